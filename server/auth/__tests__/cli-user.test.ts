import { test } from "node:test";
import assert from "node:assert/strict";
import { main } from "../../cli/main";
import { capture } from "../../cli/__tests__/helpers";
import { testDatabases } from "../../db/__tests__/databases";
import { verifyPassword } from "../password";

test("topo user add / list / set-role / set-password on the DATABASE_URL database", async () => {
  const { db, config, close } = await testDatabases()[0].open();
  const saved = process.env.DATABASE_URL;
  process.env.DATABASE_URL = config.url;
  try {
    const add = capture();
    assert.equal(await main(["user", "add", "Ops@Example.com", "--admin", "--json"], add), 0);
    const out = JSON.parse(add.stdout.join(""));
    assert.equal(out.user.email, "ops@example.com");
    assert.equal(out.user.role, "admin");
    assert.equal(out.password.length, 20);
    const row = await db.user.findUniqueOrThrow({ where: { email: "ops@example.com" } });
    assert.equal(await verifyPassword(out.password, row.passwordHash), true);
    assert.equal(row.passwordHash!.includes(out.password), false);

    const dup = capture();
    assert.equal(await main(["user", "add", "ops@example.com"], dup), 2);
    assert.match(dup.stderr.join("\n"), /TOPO-E181/);

    const list = capture();
    assert.equal(await main(["user", "list"], list), 0);
    assert.deepEqual(list.stdout, ["ops@example.com\tadmin"]);

    const role = capture();
    assert.equal(await main(["user", "set-role", "ops@example.com", "member"], role), 0);
    assert.equal((await db.user.findUniqueOrThrow({ where: { email: "ops@example.com" } })).role, "member");
    const bad = capture();
    assert.equal(await main(["user", "set-role", "ops@example.com", "editor"], bad), 2);
    assert.match(bad.stderr.join("\n"), /TOPO-E030/);
    const missing = capture();
    assert.equal(await main(["user", "set-role", "nobody@example.com", "admin"], missing), 2);
    assert.match(missing.stderr.join("\n"), /TOPO-E179/);

    const pw = capture();
    assert.equal(await main(["user", "set-password", "ops@example.com", "--json"], pw), 0);
    const fresh = JSON.parse(pw.stdout.join("")).password;
    const after = await db.user.findUniqueOrThrow({ where: { email: "ops@example.com" } });
    assert.equal(await verifyPassword(fresh, after.passwordHash), true);
    assert.equal(await verifyPassword(out.password, after.passwordHash), false);
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    await close();
  }
});
