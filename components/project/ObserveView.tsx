"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { environmentsQuery, type EnvironmentRecord } from "../queries";
import { ErrorNotice } from "../ui/ErrorNotice";
import { ActivityIcon, CloudIcon, PlusIcon, ServerIcon } from "../ui/icons";
import styles from "./ObserveView.module.css";

const SIGNALS: { name: string; where: string; what: string }[] = [
  { name: "Invocations", where: "functions", what: "Calls per interval, from the functions' REPORT log lines." },
  { name: "Errors", where: "functions", what: "Failed invocations and timeouts, as a count and a rate." },
  { name: "p95 duration", where: "functions", what: "The 95th percentile of the duration, next to the function’s timeout." },
  { name: "Cold starts", where: "functions", what: "Invocations that ran an init phase, with its duration." },
  { name: "Lag", where: "trigger edges", what: "Iterator age on streams, offset lag on Kafka consumer groups." },
  { name: "DLQ depth", where: "queues", what: "Messages waiting in dead-letter queues, with a peek at the newest." },
];

/** The Observe tab, before live data exists: what it will show and where it will come from. */
export function ObserveView({ projectId }: { projectId: string }) {
  const environments = useQuery(environmentsQuery(projectId));
  const settingsHref = `/projects/${encodeURIComponent(projectId)}/settings#environments`;

  return (
    <div className="container page">
      <div className="page-header">
        <div>
          <h2>Observe</h2>
          <p>Live numbers drawn on the same canvas as the design, for an environment where this topology runs.</p>
        </div>
      </div>

      <div className={styles.grid}>
        <section className="card" aria-labelledby="observe-signals">
          <div className="card-header">
            <div>
              <h2 id="observe-signals">What you will see</h2>
              <p>Each node and edge of the canvas carries its own figures, refreshed every few seconds.</p>
            </div>
          </div>
          <ul className={styles.signals}>
            {SIGNALS.map((s) => (
              <li key={s.name}>
                <span className={styles.signalIcon}>
                  <ActivityIcon size={14} />
                </span>
                <div>
                  <p className={styles.signalName}>
                    {s.name} <span className="subtle">on {s.where}</span>
                  </p>
                  <p className="muted">{s.what}</p>
                </div>
              </li>
            ))}
          </ul>
        </section>

        <section className="card" aria-labelledby="observe-environments">
          <div className="card-header">
            <div>
              <h2 id="observe-environments">Environments</h2>
              <p>Where this project&apos;s topology is observed.</p>
            </div>
            <Link className="btn btn-sm" href={settingsHref}>
              Manage
            </Link>
          </div>
          {environments.error && (
            <div className="card-body">
              <ErrorNotice error={environments.error} title="Could not load the environments" onRetry={() => environments.refetch()} />
            </div>
          )}
          {environments.isPending && (
            <div className="card-body" aria-busy="true">
              <span className="skeleton" style={{ width: "60%" }} />
            </div>
          )}
          {environments.data?.length === 0 && (
            <div className="empty">
              <h3>No environment yet</h3>
              <p>Add the local sandbox to watch this topology run on your machine, or an AWS environment to watch a deployed stack.</p>
              <div className="btn-row">
                <Link className="btn btn-primary" href={settingsHref}>
                  <PlusIcon size={14} /> Add an environment
                </Link>
              </div>
            </div>
          )}
          {environments.data && environments.data.length > 0 && (
            <ul className={styles.envs} aria-label="Environments">
              {environments.data.map((env) => (
                <li key={env.id}>
                  <EnvironmentSummary env={env} />
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <section className={styles.kinds} aria-label="Environment kinds">
        <Kind icon={<ServerIcon size={16} />} title="Local sandbox" badge="local">
          Runs the topology on this machine: handlers execute locally, queues live in an SQS emulator and Kinesis streams in a Kinesis emulator, and logs are served over the CloudWatch
          Logs protocol. No AWS account, no credentials, no cost; figures are read with the same AWS SDK calls as in AWS.
        </Kind>
        <Kind icon={<CloudIcon size={16} />} title="AWS" badge="aws">
          Watches a deployed CloudFormation stack in one region: function logs and metrics from CloudWatch, queue depths from SQS, lag from the streams&apos; and Kafka&apos;s metrics.
          Read-only. Credentials are a reference, never a secret: the default provider chain, a named profile, or a role ARN to assume.
        </Kind>
      </section>
    </div>
  );
}

function EnvironmentSummary({ env }: { env: EnvironmentRecord }) {
  const bindings = Object.keys(env.bindings).length;
  return (
    <div className={styles.env}>
      <span className={styles.envIcon}>{env.kind === "aws" ? <CloudIcon size={16} /> : <ServerIcon size={16} />}</span>
      <div className={styles.envText}>
        <p className={styles.envName}>{env.name}</p>
        <p className="muted">
          {env.kind === "aws" ? [env.region, env.stackName && `stack ${env.stackName}`, env.credentialsRef].filter(Boolean).join(" · ") : "Local sandbox on this machine"}
        </p>
      </div>
      <span className="badge">{bindings === 0 ? "no bindings yet" : `${bindings} bound node${bindings === 1 ? "" : "s"}`}</span>
      <span className={env.kind === "aws" ? "badge badge-warning" : "badge badge-success"}>{env.kind}</span>
    </div>
  );
}

function Kind({ icon, title, badge, children }: { icon: ReactNode; title: string; badge: string; children: ReactNode }) {
  return (
    <div className={`card ${styles.kind}`}>
      <div className={styles.kindHeader}>
        <span className={styles.envIcon}>{icon}</span>
        <h3>{title}</h3>
        <code className="badge">{badge}</code>
      </div>
      <p className="muted">{children}</p>
    </div>
  );
}
