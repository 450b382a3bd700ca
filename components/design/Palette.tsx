"use client";
/**
 * The palette: every node kind of the model and a bounded context, searchable. Drag an item
 * onto the canvas to place it there, or click it (or press Enter) to add it to the selected
 * context or the middle of the view. "N" on the canvas focuses the search.
 */
import { useMemo, useState, type KeyboardEvent } from "react";
import type { NodeKind } from "../../server/model/schema";
import { KindIcon } from "./icons";
import { PALETTE_MIME, searchPalette } from "./palette";
import styles from "./design.module.css";

export function Palette({ onAdd }: { onAdd: (kind: NodeKind | "context", viaKeyboard: boolean) => void }) {
  const [query, setQuery] = useState("");
  const items = useMemo(() => searchPalette(query), [query]);
  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" && items[0]) {
      e.preventDefault();
      onAdd(items[0].kind, true);
      setQuery("");
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      (e.currentTarget.closest("nav")?.querySelector("li button") as HTMLElement | null)?.focus();
    } else if (e.key === "Escape" && query) {
      e.stopPropagation();
      setQuery("");
    }
  };
  const onItemKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const li = e.currentTarget.closest("li");
    if (e.key === "ArrowDown") (li?.nextElementSibling?.querySelector("button") as HTMLElement | null)?.focus();
    else if (e.key === "ArrowUp") ((li?.previousElementSibling?.querySelector("button") ?? e.currentTarget.closest("nav")?.querySelector("input")) as HTMLElement | null)?.focus();
    else return;
    e.preventDefault();
  };
  return (
    <nav className={styles.palette} aria-label="Palette">
      <label htmlFor="design-palette-search" className={styles.srOnly}>
        Search node kinds
      </label>
      <input
        id="design-palette-search"
        type="search"
        className={`${styles.input} ${styles.paletteSearch}`}
        placeholder="Search kinds (N)"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onSearchKey}
        autoComplete="off"
      />
      <ul className={styles.paletteList}>
        {items.map((item) => (
          <li key={item.kind}>
            <button
              type="button"
              className={styles.paletteItem}
              draggable
              onDragStart={(e) => {
                e.dataTransfer.setData(PALETTE_MIME, item.kind);
                e.dataTransfer.effectAllowed = "copy";
              }}
              onClick={(e) => onAdd(item.kind, e.detail === 0)}
              onKeyDown={onItemKey}
              aria-label={`Add ${item.label}`}
              title={`${item.description} Drag onto the canvas, or click to add.`}
            >
              {item.kind === "context" ? <ContextIcon /> : <KindIcon kind={item.kind} className={styles.paletteIcon} />}
              <span className={styles.paletteLabel}>{item.label}</span>
            </button>
          </li>
        ))}
        {items.length === 0 && <li className={styles.paletteEmpty}>No kind matches “{query}”.</li>}
      </ul>
    </nav>
  );
}

function ContextIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false" className={styles.paletteIcon}>
      <rect x="1.5" y="2.5" width="13" height="11" rx="2.5" fill="none" stroke="currentColor" strokeWidth="1.3" strokeDasharray="2.5 1.8" />
    </svg>
  );
}
