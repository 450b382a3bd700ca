"use client";
/** The editor's toolbar: history, creation, layout, search, findings, export, and the save state. */
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useDesign, useDesignStore } from "./context";
import { Legend } from "./Legend";
import styles from "./design.module.css";

const isMac = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

export interface ToolbarProps {
  paletteOpen: boolean;
  onTogglePalette: () => void;
  findingsOpen: boolean;
  onToggleFindings: () => void;
  onAddContext: () => void;
  onAutoLayout: () => void;
  onTidy: () => void;
  onSearch: () => void;
  onCopy: () => void;
  onPaste: () => void;
  onExport: (format: "png" | "svg" | "mermaid") => void;
  exporting: boolean;
  status: ReactNode;
}

function ToolButton({ label, shortcut, onClick, disabled, pressed, children }: { label: string; shortcut?: string; onClick: () => void; disabled?: boolean; pressed?: boolean; children: ReactNode }) {
  return (
    <button type="button" className={styles.toolButton} onClick={onClick} disabled={disabled} aria-pressed={pressed} aria-label={label} title={shortcut ? `${label} (${shortcut})` : label} aria-keyshortcuts={shortcut?.replace(/\+/g, "+")}>
      {children}
    </button>
  );
}

export function Toolbar(props: ToolbarProps) {
  const store = useDesignStore();
  const canUndo = useDesign((s) => s.past.length > 0);
  const canRedo = useDesign((s) => s.future.length > 0);
  const undoLabel = useDesign((s) => s.past.at(-1)?.label);
  const redoLabel = useDesign((s) => s.future[0]?.label);
  const selectionSize = useDesign((s) => s.selection.size);
  const counts = useDesign((s) => s.findings.list);
  const errors = counts.filter((f) => f.severity === "error").length;
  const warnings = counts.filter((f) => f.severity === "warning").length;
  const m = isMac() ? "Cmd" : "Ctrl";
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Design tools">
      <div className={styles.toolGroup}>
        <ToolButton label="Palette" pressed={props.paletteOpen} onClick={props.onTogglePalette} shortcut="N">
          <Icon d="M3 3h4v4H3zM9 3h4v4H9zM3 9h4v4H3zM9 9h4v4H9z" /> Palette
        </ToolButton>
        <span className={styles.toolSep} />
        <ToolButton label={undoLabel ? `Undo ${undoLabel.charAt(0).toLowerCase()}${undoLabel.slice(1)}` : "Undo"} shortcut={`${m}+Z`} onClick={() => store.getState().undo()} disabled={!canUndo}>
          <Icon d="M6 4 3 7l3 3M3.5 7H10a3 3 0 0 1 0 6H8" /> <span className={styles.srOnly}>Undo</span>
        </ToolButton>
        <ToolButton label={redoLabel ? `Redo ${redoLabel.charAt(0).toLowerCase()}${redoLabel.slice(1)}` : "Redo"} shortcut={`Shift+${m}+Z`} onClick={() => store.getState().redo()} disabled={!canRedo}>
          <Icon d="M10 4l3 3-3 3M12.5 7H6a3 3 0 0 0 0 6h2" /> <span className={styles.srOnly}>Redo</span>
        </ToolButton>
        <span className={styles.toolSep} />
        <ToolButton label="Add context" onClick={props.onAddContext}>
          <Icon d="M2.5 3.5h11v9h-11zM8 6v4M6 8h4" /> Context
        </ToolButton>
        <ToolButton label="Automatic layout" onClick={props.onAutoLayout}>
          <Icon d="M2 4h4v3H2zM10 2h4v3h-4zM10 9h4v3h-4zM6 5.5h2l2-2M8 5.5l2 5" /> Auto layout
        </ToolButton>
        <ToolButton label="Tidy the selection" onClick={props.onTidy} disabled={selectionSize < 2}>
          <Icon d="M3 4h10M3 8h7M3 12h10" /> Tidy
        </ToolButton>
        <span className={styles.toolSep} />
        <ToolButton label="Copy" shortcut={`${m}+C`} onClick={props.onCopy} disabled={selectionSize === 0}>
          <Icon d="M5 5h8v8H5zM3 11V3h8" /> <span className={styles.srOnly}>Copy</span>
        </ToolButton>
        <ToolButton label="Paste" shortcut={`${m}+V`} onClick={props.onPaste}>
          <Icon d="M5 3h6v2H5zM4 4H3v10h10V4h-1M6 9h4" /> <span className={styles.srOnly}>Paste</span>
        </ToolButton>
        <ToolButton label="Duplicate" shortcut={`${m}+D`} onClick={() => store.getState().duplicate()} disabled={selectionSize === 0}>
          <Icon d="M3 3h7v7H3zM6 6h7v7H6z" /> <span className={styles.srOnly}>Duplicate</span>
        </ToolButton>
        <ToolButton label="Delete" shortcut="Delete" onClick={() => store.getState().deleteElements()} disabled={selectionSize === 0}>
          <Icon d="M3 4.5h10M6 4.5V3h4v1.5M4.5 4.5l.7 9h5.6l.7-9" /> <span className={styles.srOnly}>Delete</span>
        </ToolButton>
      </div>
      <div className={styles.toolGroup}>
        <div className={styles.legendHost}>
          <Legend />
        </div>
        <ToolButton label="Search" shortcut={`${m}+K`} onClick={props.onSearch}>
          <Icon d="M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10zM10.5 10.5 14 14" /> Search
        </ToolButton>
        <ToolButton label={`Findings: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`} pressed={props.findingsOpen} onClick={props.onToggleFindings}>
          <Icon d="M8 2 14.5 13.5h-13zM8 6.5v3.5M8 11.5v.5" /> Findings
          {errors > 0 && <span className={`${styles.countBadge} ${styles.severity_error}`}>{errors}</span>}
          {warnings > 0 && <span className={`${styles.countBadge} ${styles.severity_warning}`}>{warnings}</span>}
        </ToolButton>
        <ExportMenu onExport={props.onExport} busy={props.exporting} />
        {props.status && <span className={styles.toolSep} />}
        {props.status}
      </div>
    </div>
  );
}

function ExportMenu({ onExport, busy }: { onExport: (f: "png" | "svg" | "mermaid") => void; busy: boolean }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open]);
  const pick = (f: "png" | "svg" | "mermaid") => {
    setOpen(false);
    onExport(f);
  };
  return (
    <div className={styles.menuHost} ref={ref}>
      <button
        type="button"
        className={styles.toolButton}
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={busy}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            setOpen(true);
            setTimeout(() => ref.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus(), 0);
          }
        }}
      >
        <Icon d="M8 2v8M5 7l3 3 3-3M3 12.5h10" /> {busy ? "Exporting…" : "Export"}
      </button>
      {open && (
        <div
          className={styles.menu}
          role="menu"
          aria-label="Export"
          onKeyDown={(e) => {
            const items = [...(ref.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
            const i = items.indexOf(document.activeElement as HTMLElement);
            if (e.key === "ArrowDown") items[(i + 1) % items.length]?.focus();
            else if (e.key === "ArrowUp") items[(i - 1 + items.length) % items.length]?.focus();
            else if (e.key === "Escape") setOpen(false);
            else return;
            e.preventDefault();
            e.stopPropagation();
          }}
        >
          <button type="button" role="menuitem" className={styles.menuItem} onClick={() => pick("png")}>
            PNG image
          </button>
          <button type="button" role="menuitem" className={styles.menuItem} onClick={() => pick("svg")}>
            SVG image
          </button>
          <button type="button" role="menuitem" className={styles.menuItem} onClick={() => pick("mermaid")}>
            Mermaid flowchart
          </button>
        </div>
      )}
    </div>
  );
}

function Icon({ d }: { d: string }) {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false" className={styles.toolIcon}>
      <path d={d} fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
