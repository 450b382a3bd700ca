/**
 * Runs one copy-delete redrive task in its own process, so a test can SIGKILL it midway.
 * argv: <databaseUrl> <sqsEndpoint> <taskId> <maxPerSecond> <fresh|resume>
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import { createDb } from "../../../db/client";
import { resolveDbConfig } from "../../../db/config";
import { runCopyMove } from "../move";

const [dbUrl, endpoint, taskId, rate, how] = process.argv.slice(2);
const db = createDb(resolveDbConfig(dbUrl));
const sqs = new SQSClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" }, md5: false, maxAttempts: 1 });
process.stdout.write("started\n");
const task = await runCopyMove(db, sqs, taskId, { visibilitySeconds: 1, leaseMs: 300, maxPerSecond: Number(rate) || undefined, justCreated: how === "fresh" });
process.stdout.write(JSON.stringify(task) + "\n");
await db.$disconnect();
sqs.destroy();
