/**
 * How a template refers to a node: its ARN, name, URL or stream ARN, as an intrinsic on its
 * logical id, or through the expressions kept in `@ref` for elements the template references
 * without owning (an imported queue ARN, a Kafka cluster, a bus by name).
 */
import type { TopoNode } from "../../model/schema";
import { getAtt, ref } from "../parse/intrinsics";
import { refAnnotation } from "../ir/annotations";

export type RefAttr = "arn" | "name" | "url" | "streamArn";

/** `arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<resource>` built from a name expression. */
function arnFromName(service: string, resource: string, name: unknown) {
  return { "Fn::Sub": [`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}\${Name}`, { Name: name }] };
}

/** The last segment of an ARN expression (`:`-separated or `/`-separated). */
function nameFromArn(arn: unknown, sep: ":" | "/", index: number) {
  return { "Fn::Select": [index, { "Fn::Split": [sep, arn] }] };
}

/**
 * The expression for `attr` of `node`, or undefined when the template cannot say it.
 * @example refExpr(queue, "arn", "OrderEvents") // { "Fn::GetAtt": ["OrderEvents", "Arn"] }
 */
export function refExpr(node: TopoNode, attr: RefAttr, logicalId: string | undefined): unknown {
  const r = refAnnotation(node);
  if (r) return referenced(node, attr, r as Record<string, unknown>);
  if (node.kind === "event-bus" && node.busName === "default") {
    if (attr === "name") return "default";
    if (attr === "arn") return { "Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default" };
    return undefined;
  }
  if (!logicalId) return undefined;
  switch (node.kind) {
    case "function":
      return attr === "arn" ? getAtt(logicalId, "Arn") : attr === "name" ? ref(logicalId) : undefined;
    case "queue":
      return attr === "arn" ? getAtt(logicalId, "Arn") : attr === "name" ? getAtt(logicalId, "QueueName") : attr === "url" ? ref(logicalId) : undefined;
    case "stream":
      return attr === "arn" ? getAtt(logicalId, "Arn") : attr === "name" ? ref(logicalId) : undefined;
    case "table":
      return attr === "arn" ? getAtt(logicalId, "Arn") : attr === "name" ? ref(logicalId) : attr === "streamArn" ? getAtt(logicalId, "StreamArn") : undefined;
    case "sns-topic":
      return attr === "arn" ? ref(logicalId) : attr === "name" ? getAtt(logicalId, "TopicName") : undefined;
    case "event-bus":
      return attr === "arn" ? getAtt(logicalId, "Arn") : attr === "name" ? ref(logicalId) : undefined;
    case "bucket":
      return attr === "arn" ? getAtt(logicalId, "Arn") : attr === "name" ? ref(logicalId) : undefined;
    case "schedule":
      return attr === "arn" ? getAtt(logicalId, "Arn") : attr === "name" ? ref(logicalId) : undefined;
    default:
      return undefined;
  }
}

function referenced(node: TopoNode, attr: RefAttr, r: Record<string, unknown>): unknown {
  if (r[attr] !== undefined) return r[attr];
  const arn = r.arn;
  const name = r.name;
  switch (node.kind) {
    case "queue":
      if (attr === "name" && arn !== undefined) return nameFromArn(arn, ":", 5);
      if (attr === "arn" && name !== undefined) return arnFromName("sqs", "", name);
      return undefined;
    case "sns-topic":
      if (attr === "name" && arn !== undefined) return nameFromArn(arn, ":", 5);
      if (attr === "arn" && name !== undefined) return arnFromName("sns", "", name);
      return undefined;
    case "stream":
      if (attr === "name" && arn !== undefined) return nameFromArn(arn, "/", 1);
      if (attr === "arn" && name !== undefined) return arnFromName("kinesis", "stream/", name);
      return undefined;
    case "table":
      if (attr === "name" && (arn ?? r.streamArn) !== undefined) return nameFromArn(arn ?? r.streamArn, "/", 1);
      if (attr === "arn" && name !== undefined) return arnFromName("dynamodb", "table/", name);
      return undefined;
    case "event-bus":
      if (attr === "name" && arn !== undefined) return nameFromArn(arn, "/", 1);
      if (attr === "arn" && name !== undefined) return arnFromName("events", "event-bus/", name);
      return undefined;
    case "bucket":
      if (attr === "name" && arn !== undefined) return nameFromArn(arn, ":", 5);
      if (attr === "arn" && name !== undefined) return { "Fn::Sub": ["arn:${AWS::Partition}:s3:::${Name}", { Name: name }] };
      return undefined;
    case "function":
      if (attr === "name" && arn !== undefined) return arn;
      if (attr === "arn" && name !== undefined) return arnFromName("lambda", "function:", name);
      return undefined;
    default:
      return undefined;
  }
}
