/**
 * Checks an environment's bindings against the real resources: per node "found", "not-found", "access-denied"
 * (with the IAM action that was missing), "throttled", "unbound" or "skipped" (kinds we have no client for).
 * One light read per node: DescribeLogGroups (functions), GetQueueAttributes / GetQueueUrl (queues),
 * DescribeStreamSummary (streams), kafkajs admin fetchTopicMetadata (self-managed Kafka).
 */
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeStreamSummaryCommand } from "@aws-sdk/client-kinesis";
import { GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { classifyAwsError } from "./aws-errors";
import type { Binding, ResolvedEnvironment, StackInfo } from "./environment";

export type CheckStatus = "found" | "not-found" | "access-denied" | "throttled" | "unreachable" | "error" | "unbound" | "skipped";

export interface BindingCheck {
  nodeId: string;
  kind: string;
  binding: Binding | null;
  status: CheckStatus;
  message: string;
  missingAction?: string;
}

export interface BindingsReport {
  environmentId: string;
  kind: "local" | "aws";
  revision: number;
  stack?: StackInfo;
  checks: BindingCheck[];
  summary: Record<CheckStatus, number>;
}

async function attempt(nodeId: string, kind: string, binding: Binding, action: string, resource: string, run: () => Promise<boolean>, whyMissing = ""): Promise<BindingCheck> {
  try {
    const found = await run();
    return found
      ? { nodeId, kind, binding, status: "found", message: `${resource} found` }
      : { nodeId, kind, binding, status: "not-found", message: `${resource} not found${whyMissing}` };
  } catch (e) {
    const p = classifyAwsError(e, action, resource);
    const status: CheckStatus = p.kind === "not-found" ? "not-found" : p.kind === "access-denied" ? "access-denied" : p.kind === "throttled" ? "throttled" : p.kind === "unreachable" ? "unreachable" : "error";
    return {
      nodeId,
      kind,
      binding,
      status,
      message: status === "not-found" ? `${resource} not found` : p.message,
      ...(p.missingAction ? { missingAction: p.missingAction } : {}),
    };
  }
}

export async function checkBindings(r: ResolvedEnvironment): Promise<BindingsReport> {
  const jobs: Promise<BindingCheck>[] = [];
  for (const n of r.topology.nodes) {
    const b = r.bindings[n.id];
    const skip = (message: string) => jobs.push(Promise.resolve({ nodeId: n.id, kind: n.kind, binding: b ?? null, status: "skipped" as const, message }));
    if (!b) {
      if (["function", "queue", "stream", "kafka-topic"].includes(n.kind)) jobs.push(Promise.resolve({ nodeId: n.id, kind: n.kind, binding: null, status: "unbound" as const, message: `${n.kind} ${n.id} is not bound` }));
      continue;
    }
    switch (n.kind) {
      case "function": {
        const group = b.logGroupName!;
        jobs.push(
          attempt(n.id, n.kind, b, "logs:DescribeLogGroups", `log group ${group}`, async () => {
            const res = await r.clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group, limit: 50 }));
            return (res.logGroups ?? []).some((g) => g.logGroupName === group);
          }, ": Lambda creates it on the function's first invocation, so either the function has not run yet or the name is wrong"),
        );
        break;
      }
      case "queue": {
        const what = b.queueUrl ? `queue ${b.queueUrl}` : `queue ${b.queueName}`;
        if (b.queueUrl) {
          jobs.push(
            attempt(n.id, n.kind, b, "sqs:GetQueueAttributes", what, async () => {
              await r.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: b.queueUrl, AttributeNames: ["QueueArn"] }));
              return true;
            }),
          );
        } else if (b.queueName) {
          jobs.push(
            attempt(n.id, n.kind, b, "sqs:GetQueueUrl", what, async () => {
              await r.clients.sqs.send(new GetQueueUrlCommand({ QueueName: b.queueName }));
              return true;
            }),
          );
        } else jobs.push(Promise.resolve({ nodeId: n.id, kind: n.kind, binding: b, status: "unbound" as const, message: `queue ${n.id} has no URL or name` }));
        break;
      }
      case "stream": {
        const what = `stream ${b.streamArn ?? b.streamName}`;
        jobs.push(
          attempt(n.id, n.kind, b, "kinesis:DescribeStreamSummary", what, async () => {
            await r.clients.kinesis.send(new DescribeStreamSummaryCommand(b.streamName ? { StreamName: b.streamName } : { StreamARN: b.streamArn }));
            return true;
          }),
        );
        break;
      }
      case "kafka-topic": {
        if (r.kind === "local") {
          skip(`topic ${b.kafkaTopic} lives in the sandbox's local Kafka log`);
          break;
        }
        const brokers = b.kafkaBootstrapServers ?? [];
        if (!brokers.length) {
          skip(`MSK topic ${b.kafkaTopic}: lag comes from the OffsetLag metric`);
          break;
        }
        jobs.push(
          attempt(n.id, n.kind, b, "kafka-cluster:DescribeTopic", `topic ${b.kafkaTopic} on ${brokers.join(",")}`, async () => {
            const { kafkajsAdmin } = await import("./collectors/lag");
            const admin = (await kafkajsAdmin(brokers))() as unknown as { connect(): Promise<void>; disconnect(): Promise<void>; listTopics(): Promise<string[]> };
            await admin.connect();
            try {
              return (await admin.listTopics()).includes(b.kafkaTopic!);
            } finally {
              await admin.disconnect().catch(() => {});
            }
          }),
        );
        break;
      }
      default:
        if (n.kind === "table" || n.kind === "sns-topic") skip(`${n.kind} bindings are not checked`);
    }
  }
  const checks = await Promise.all(jobs);
  const summary = { found: 0, "not-found": 0, "access-denied": 0, throttled: 0, unreachable: 0, error: 0, unbound: 0, skipped: 0 } as Record<CheckStatus, number>;
  for (const c of checks) summary[c.status]++;
  return { environmentId: r.env.id, kind: r.kind, revision: r.revision, ...(r.stack ? { stack: r.stack } : {}), checks, summary };
}
