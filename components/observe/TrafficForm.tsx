"use client";

/**
 * The traffic generator: N events/s to a source of the running design for T seconds, a share of them poison
 * (they carry the consuming function's poison marker), to make lag, errors and DLQs visible on purpose.
 */
import { useMemo, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Topology } from "@/server/model/schema";
import type { TrafficRun } from "@/server/sandbox/manager";
import { SENDABLE_KINDS } from "@/server/sandbox/traffic";
import { apiFetch } from "../api";
import { projectKeys } from "../queries";
import { ErrorNotice } from "../ui/ErrorNotice";
import { Field } from "../ui/Field";
import styles from "./SandboxControls.module.css";

const KIND_LABELS: Record<string, string> = {
  queue: "Queues",
  stream: "Kinesis streams",
  "kafka-topic": "Kafka topics",
  "http-route": "HTTP routes",
  "sns-topic": "SNS topics",
  "event-bus": "Event buses",
  bucket: "S3 buckets",
  table: "DynamoDB tables",
  function: "Functions (async invoke)",
};

const enc = encodeURIComponent;

export function TrafficForm({ projectId, topology, runs }: { projectId: string; topology: Topology | undefined; runs: TrafficRun[] }) {
  const qc = useQueryClient();
  const groups = useMemo(() => {
    const out: { kind: string; nodes: { id: string; name: string }[] }[] = [];
    for (const kind of SENDABLE_KINDS) {
      const nodes = (topology?.nodes ?? []).filter((n) => n.kind === kind).map((n) => ({ id: n.id, name: n.kind === "http-route" ? `${n.method} ${n.path}` : n.name }));
      if (nodes.length) out.push({ kind, nodes });
    }
    return out;
  }, [topology]);
  const [nodeId, setNodeId] = useState("");
  const [rate, setRate] = useState("20");
  const [seconds, setSeconds] = useState("30");
  const [poison, setPoison] = useState("0");
  const chosen = nodeId || groups[0]?.nodes[0]?.id || "";

  const send = useMutation({
    mutationFn: (body: { nodeId: string; ratePerSec: number; durationSec: number; poisonFraction: number }) =>
      apiFetch<{ run: TrafficRun }>(`/api/projects/${enc(projectId)}/sandbox/traffic`, { method: "POST", body }).then((r) => r.run),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...projectKeys.detail(projectId), "sandbox"] }),
  });
  const stopAll = useMutation({
    mutationFn: () => apiFetch<{ stopped: number }>(`/api/projects/${enc(projectId)}/sandbox/traffic`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...projectKeys.detail(projectId), "sandbox"] }),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate({ nodeId: chosen, ratePerSec: Number(rate), durationSec: Number(seconds), poisonFraction: Number(poison) / 100 });
  };
  const names = new Map((topology?.nodes ?? []).map((n) => [n.id, n.name]));
  const active = runs.filter((r) => r.state === "running");
  const recent = runs.filter((r) => r.state !== "running").slice(0, 3);
  const fieldError = (path: string) => (send.error && "fieldMessage" in send.error ? (send.error as { fieldMessage(p: string): string | undefined }).fieldMessage(path) : undefined);

  return (
    <div className={styles.traffic}>
      <h3>Send traffic</h3>
      {groups.length === 0 ? (
        <p className="muted">This design has no source the sandbox can send to (a queue, stream, Kafka topic, HTTP route, topic, bus, bucket, table or function).</p>
      ) : (
        <form className={styles.trafficForm} onSubmit={submit} aria-label="Traffic generator">
          <Field label="Source" className={styles.sourceField} error={fieldError("nodeId")}>
            {(p) => (
              <select {...p} className="input" value={chosen} onChange={(e) => setNodeId(e.target.value)}>
                {groups.map((g) => (
                  <optgroup key={g.kind} label={KIND_LABELS[g.kind] ?? g.kind}>
                    {g.nodes.map((n) => (
                      <option key={n.id} value={n.id}>
                        {n.name}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            )}
          </Field>
          <Field label="Events/s" error={fieldError("ratePerSec")}>
            {(p) => <input {...p} className="input" type="number" min={0.1} max={2000} step="any" required value={rate} onChange={(e) => setRate(e.target.value)} />}
          </Field>
          <Field label="Seconds" error={fieldError("durationSec")}>
            {(p) => <input {...p} className="input" type="number" min={1} max={600} step={1} required value={seconds} onChange={(e) => setSeconds(e.target.value)} />}
          </Field>
          <Field label="Poison %" error={fieldError("poisonFraction")}>
            {(p) => <input {...p} className="input" type="number" min={0} max={100} step="any" required value={poison} onChange={(e) => setPoison(e.target.value)} />}
          </Field>
          <div className={styles.trafficButtons}>
            <button type="submit" className="btn btn-primary" disabled={send.isPending || !chosen}>
              Send
            </button>
            {active.length > 0 && (
              <button type="button" className="btn" disabled={stopAll.isPending} onClick={() => stopAll.mutate()}>
                Stop traffic
              </button>
            )}
          </div>
        </form>
      )}
      {send.error && <ErrorNotice error={send.error} title="Traffic not sent" hidePaths={["nodeId", "ratePerSec", "durationSec", "poisonFraction"]} />}
      {stopAll.error && <ErrorNotice error={stopAll.error} title="Could not stop the traffic" />}
      {[...active, ...recent].length > 0 && (
        <ul className={styles.runs} aria-label="Traffic runs">
          {[...active, ...recent].map((r) => (
            <li key={r.id} data-testid="traffic-run" data-state={r.state}>
              <span className={styles.runText}>
                {r.state === "running" ? "Sending" : r.state === "done" ? "Sent" : "Stopped"} {fmt(r.ratePerSec)} events/s to <strong>{names.get(r.nodeId) ?? r.nodeId}</strong>: {r.sent} of{" "}
                {Math.floor(r.ratePerSec * r.durationSec)}
                {r.poison > 0 && `, ${r.poison} poison`}
                {r.failed > 0 && <span className={styles.bad}>, {r.failed} failed to send</span>}
              </span>
              <span className={styles.progress} role="progressbar" aria-label={`Traffic to ${names.get(r.nodeId) ?? r.nodeId}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(r.progress * 100)}>
                <span style={{ width: `${Math.round(r.progress * 100)}%` }} data-state={r.state} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function fmt(n: number) {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
