"use client";
/** Ctrl/Cmd+K: find a node or context by name, id, kind or context, and jump to it. */
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useDesign } from "./context";
import { searchElements } from "./search";
import styles from "./design.module.css";

export function SearchDialog({ onClose, onPick }: { onClose: () => void; onPick: (id: string) => void }) {
  const doc = useDesign((s) => s.doc);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const hits = useMemo(() => searchElements(doc, query, 50), [doc, query]);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  useEffect(() => input.current?.focus(), []);
  const pick = (i: number) => hits[i] && onPick(hits[i].id);
  return (
    <div className={styles.dialogBackdrop} onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={styles.dialog} role="dialog" aria-modal="true" aria-label="Find a node">
        <input
          ref={input}
          className={`${styles.input} ${styles.searchInput}`}
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={hits[active] ? `${listId}-${active}` : undefined}
          aria-label="Find a node by name, id, kind or context"
          placeholder="Find a node by name, id, kind or context…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") setActive((a) => Math.min(hits.length - 1, a + 1));
            else if (e.key === "ArrowUp") setActive((a) => Math.max(0, a - 1));
            else if (e.key === "Enter") pick(active);
            else if (e.key === "Escape") onClose();
            else return;
            e.preventDefault();
            e.stopPropagation();
          }}
        />
        <ul className={styles.searchList} id={listId} role="listbox" aria-label="Matches">
          {hits.map((h, i) => (
            <li key={h.id} id={`${listId}-${i}`} role="option" aria-selected={i === active} className={styles.searchHit} onMouseEnter={() => setActive(i)} onClick={() => pick(i)}>
              <span className={styles.searchName}>{h.name}</span>
              <span className={styles.searchMeta}>
                {h.kindLabel}
                {h.contextName ? ` · ${h.contextName}` : ""} · {h.id}
              </span>
            </li>
          ))}
          {hits.length === 0 && <li className={styles.emptyNote}>Nothing matches “{query}”.</li>}
        </ul>
      </div>
    </div>
  );
}
