"use client";
import { useEffect, useRef, type ReactNode } from "react";
import styles from "./observe.module.css";

/**
 * The side panel's frame: a titled region with a close button (Escape closes it too), focus
 * moved into it when it opens so keyboard users land on what they asked for.
 */
export function PanelFrame({
  kicker,
  title,
  subtitle,
  freshness,
  actions,
  onClose,
  testId,
  children,
}: {
  kicker: string;
  title: string;
  subtitle?: ReactNode;
  freshness?: ReactNode;
  actions?: ReactNode;
  onClose: () => void;
  testId: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <aside
      ref={ref}
      className={styles.panel}
      aria-label={`${kicker} ${title}`}
      data-testid={testId}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <header className={styles.panelHeader}>
        <div className={styles.panelTitle}>
          <span className={styles.kicker}>{kicker}</span>
          <h2 title={title}>{title}</h2>
          {subtitle}
          {freshness}
        </div>
        {actions}
        <button type="button" className="btn btn-ghost btn-sm btn-icon" aria-label="Close the panel" title="Close (Esc)" onClick={onClose}>
          ×
        </button>
      </header>
      <div className={styles.panelBody}>{children}</div>
    </aside>
  );
}
