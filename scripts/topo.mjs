#!/usr/bin/env node
// The `topo` command line. The CLI is written in TypeScript under server/cli; tsx compiles it on
// the fly so `npx topo` works in a fresh clone without a build step.
import { register } from "tsx/esm/api";

// `topo schema | head` closes the pipe early; that is not an error.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});
register();
const { main } = await import("../server/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
