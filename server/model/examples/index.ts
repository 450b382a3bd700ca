/**
 * Seeded example topologies: what `npm start` shows on first run, what the sandbox runs, and
 * what the tests hold every part of Topograph to. Each is built with `TopologySchema.parse`,
 * so an example that stops matching the schema fails at import time, not in a demo.
 */
import type { Topology } from "../schema";
import { chocolateBoxTopology } from "./chocolate-box";
import { kafkaConsumersTopology } from "./kafka-consumers";
import { ordersTopology } from "./orders";

export { chocolateBoxTopology, kafkaConsumersTopology, ordersTopology };

/**
 * The examples in display order; `slug` is stable and URL-safe.
 * @example EXAMPLES.find((e) => e.slug === "orders")?.topology.name // "Orders"
 */
export const EXAMPLES: { slug: string; topology: Topology }[] = [
  { slug: "orders", topology: ordersTopology },
  { slug: "chocolate-box", topology: chocolateBoxTopology },
  { slug: "kafka-consumers", topology: kafkaConsumersTopology },
];
