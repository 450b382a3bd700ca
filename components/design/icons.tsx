/**
 * One small inline SVG per node kind (no icon font, no network), drawn with `currentColor`
 * so they follow the theme. Decorative: the node's aria-label already names the kind.
 */
import type { ReactNode } from "react";
import type { NodeKind } from "../../server/model/schema";

const PATHS: Record<NodeKind, ReactNode> = {
  function: <path d="M4 3h2.5l5.5 10h-2.4L7.6 9.2 5.3 13H3l3.4-5.6L4.9 4.9H4z" fill="currentColor" stroke="none" />,
  "http-route": (
    <>
      <circle cx="8" cy="8" r="5.5" />
      <path d="M2.5 8h11M8 2.5c1.7 1.6 2.5 3.4 2.5 5.5S9.7 11.9 8 13.5C6.3 11.9 5.5 10.1 5.5 8S6.3 4.1 8 2.5z" />
    </>
  ),
  queue: (
    <>
      <rect x="1.5" y="5" width="3.4" height="6" rx="0.8" />
      <rect x="6.3" y="5" width="3.4" height="6" rx="0.8" />
      <rect x="11.1" y="5" width="3.4" height="6" rx="0.8" />
    </>
  ),
  stream: <path d="M1.5 5c2-1.6 3.5-1.6 5 0s3 1.6 5 0M1.5 8.5c2-1.6 3.5-1.6 5 0s3 1.6 5 0M1.5 12c2-1.6 3.5-1.6 5 0s3 1.6 5 0M13 4.5l1.5 1.5L13 7.5" />,
  table: (
    <>
      <ellipse cx="8" cy="4" rx="5.5" ry="2" />
      <path d="M2.5 4v8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2V4M2.5 8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2" />
    </>
  ),
  "kafka-topic": (
    <>
      <circle cx="5" cy="8" r="1.8" />
      <circle cx="11.5" cy="3.8" r="1.6" />
      <circle cx="11.5" cy="12.2" r="1.6" />
      <circle cx="5" cy="2.6" r="1.2" />
      <circle cx="5" cy="13.4" r="1.2" />
      <path d="M6.6 7l3.4-2.3M6.6 9l3.4 2.3M5 3.8v2.4M5 9.8v2.4" />
    </>
  ),
  "sns-topic": <path d="M2 6.5v3h2.2l4.3 3V3.5l-4.3 3zM10.8 5.5c.9.7 1.3 1.5 1.3 2.5s-.4 1.8-1.3 2.5M12.6 3.8c1.3 1.1 2 2.5 2 4.2s-.7 3.1-2 4.2" />,
  "event-bus": (
    <>
      <path d="M1.5 8h13" />
      <circle cx="4" cy="4" r="1.4" />
      <circle cx="12" cy="4" r="1.4" />
      <circle cx="4" cy="12" r="1.4" />
      <circle cx="12" cy="12" r="1.4" />
      <path d="M4 5.4V8M12 5.4V8M4 8v2.6M12 8v2.6" />
    </>
  ),
  schedule: (
    <>
      <circle cx="8" cy="8" r="6" />
      <path d="M8 4.5V8l2.5 1.6" />
    </>
  ),
  bucket: <path d="M2.5 4.2c0 1 2.5 1.8 5.5 1.8s5.5-.8 5.5-1.8S11 2.4 8 2.4 2.5 3.2 2.5 4.2zM2.5 4.2l1.3 8.6c.2 .8 2 1.4 4.2 1.4s4-.6 4.2-1.4l1.3-8.6" />,
  "data-store": (
    <>
      <ellipse cx="8" cy="3.8" rx="5" ry="1.8" />
      <path d="M3 3.8v8.4c0 1 2.2 1.8 5 1.8s5-.8 5-1.8V3.8" />
      <path d="M5.5 9.5h5M5.5 7h5" />
    </>
  ),
  external: (
    <>
      <path d="M9 2.5h4.5V7M13.5 2.5L7.5 8.5" />
      <path d="M11.5 9.5v3.2a.8.8 0 0 1-.8.8H3.3a.8.8 0 0 1-.8-.8V5.3a.8.8 0 0 1 .8-.8h3.2" />
    </>
  ),
};

export function KindIcon({ kind, className }: { kind: NodeKind; className?: string }) {
  return (
    <svg className={className} viewBox="0 0 16 16" width={16} height={16} fill="none" stroke="currentColor" strokeWidth={1.3} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {PATHS[kind]}
    </svg>
  );
}
