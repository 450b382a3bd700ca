"use client";
/** The topology as a Mermaid flowchart (mermaid.ts), to copy into docs or download as a .mmd file. */
import { useEffect, useRef, useState } from "react";
import styles from "./design.module.css";

export function MermaidDialog({ text, fileName, onClose }: { text: string; fileName: string; onClose: () => void }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState(false);
  const [href, setHref] = useState<string>();
  useEffect(() => {
    area.current?.focus();
    area.current?.select();
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [text]);
  return (
    <div className={styles.dialogBackdrop} onMouseDown={(e) => e.target === e.currentTarget && onClose()} onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <div className={`${styles.dialog} ${styles.dialogWide}`} role="dialog" aria-modal="true" aria-label="Mermaid flowchart">
        <header className={styles.dialogHeader}>
          <h2 className={styles.inspectorTitle}>Mermaid flowchart</h2>
          <button type="button" className={styles.close} onClick={onClose} aria-label="Close">
            ×
          </button>
        </header>
        <p className={styles.sectionNote}>Contexts are subgraphs; edges carry their kind and settings. Paste into a Markdown file inside a ```mermaid block.</p>
        <textarea ref={area} className={`${styles.input} ${styles.textarea} ${styles.mono}`} rows={16} readOnly value={text} aria-label="Mermaid source" />
        <div className={styles.actionRow}>
          <button
            type="button"
            className={styles.smallButton}
            onClick={() => {
              void navigator.clipboard?.writeText(text).then(() => setCopied(true));
            }}
          >
            {copied ? "Copied" : "Copy"}
          </button>
          <a className={styles.smallButton} href={href} download={fileName}>
            Download {fileName}
          </a>
        </div>
      </div>
    </div>
  );
}
