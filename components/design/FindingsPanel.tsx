"use client";
/**
 * Every finding of the design, grouped by severity: the design rules (server/rules) and the
 * model's integrity problems, each with its fix. Clicking one selects its element and centres
 * it on the canvas. Problems that stopped a save come first.
 */
import { useMemo } from "react";
import { useDesign } from "./context";
import { groupBySeverity, type DesignFinding } from "./findings";
import styles from "./design.module.css";

const TITLE = { error: "Errors", warning: "Warnings", info: "Notes" } as const;

export function FindingsPanel({ onClose, onJump }: { onClose: () => void; onJump: (id: string) => void }) {
  const list = useDesign((s) => s.findings.list);
  const at = useDesign((s) => s.findings.at);
  const save = useDesign((s) => s.save);
  const names = useDesign((s) => s.doc);
  const groups = useMemo(() => groupBySeverity(list), [list]);
  const nameOf = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of names.contexts) m.set(c.id, c.name);
    for (const n of names.nodes) m.set(n.id, n.name);
    return (id: string) => m.get(id) ?? id;
  }, [names]);
  return (
    <aside className={styles.inspector} aria-label="Findings" data-testid="design-findings">
      <header className={styles.inspectorHeader}>
        <div className={styles.inspectorHeading}>
          <div className={styles.inspectorKind}>Design review</div>
          <h2 className={styles.inspectorTitle}>Findings</h2>
          <div className={styles.inspectorId}>{at === 0 ? "checking…" : `${list.length} finding${list.length === 1 ? "" : "s"}; rules run after each change`}</div>
        </div>
        <button type="button" className={styles.close} onClick={onClose} aria-label="Close findings" title="Close">
          ×
        </button>
      </header>
      <div className={styles.inspectorBody}>
        {save.status === "invalid" && save.problems && (
          <section className={styles.findingGroup} aria-label="Not saved">
            <h3 className={styles.findingGroupTitle}>Not saved: the model refuses the design</h3>
            <ul className={styles.findingList}>
              {save.problems.map((p, i) => (
                <li key={i}>
                  <button type="button" className={`${styles.findingItem} ${styles.severity_error}`} onClick={() => p.elementId && onJump(p.elementId)} disabled={!p.elementId}>
                    <span className={styles.findingMessage}>
                      <span className={styles.findingCode}>{p.code}</span> {p.path ? `${p.path}: ` : ""}
                      {p.message}
                    </span>
                    {p.fix && <span className={styles.findingFix}>Fix: {p.fix}</span>}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        {at !== 0 && list.length === 0 && <p className={styles.emptyNote}>No findings: the design rules have nothing to say about this design.</p>}
        {groups.map((g) => (
          <section key={g.severity} className={styles.findingGroup} aria-label={TITLE[g.severity]}>
            <h3 className={styles.findingGroupTitle}>
              <span className={`${styles.countBadge} ${styles[`severity_${g.severity}`]}`}>{g.findings.length}</span> {TITLE[g.severity]}
            </h3>
            <ul className={styles.findingList}>
              {g.findings.slice(0, 500).map((f) => (
                <li key={f.key}>
                  <FindingButton finding={f} nameOf={nameOf} onJump={onJump} />
                </li>
              ))}
            </ul>
            {g.findings.length > 500 && <p className={styles.emptyNote}>and {g.findings.length - 500} more.</p>}
          </section>
        ))}
      </div>
    </aside>
  );
}

function FindingButton({ finding, nameOf, onJump }: { finding: DesignFinding; nameOf: (id: string) => string; onJump: (id: string) => void }) {
  const target = finding.elements[0];
  return (
    <button type="button" className={`${styles.findingItem} ${styles[`severity_${finding.severity}`]}`} onClick={() => target && onJump(target)} disabled={!target} title={target ? `Show ${nameOf(target)}` : undefined}>
      <span className={styles.findingMessage}>
        <span className={styles.findingCode}>{finding.code}</span> {finding.message}
      </span>
      <span className={styles.findingFix}>Fix: {finding.fix}</span>
    </button>
  );
}
