"use client";
/**
 * The design store in React: one store per open editor, provided through context, read with
 * selectors so a component re-renders only when what it selects changes.
 */
import { createContext, useContext } from "react";
import { useStore } from "zustand";
import type { DesignState, DesignStore } from "./store";

export const DesignStoreContext = createContext<DesignStore | null>(null);

export function useDesignStore(): DesignStore {
  const store = useContext(DesignStoreContext);
  if (!store) throw new Error("useDesignStore: no <DesignCanvas> above this component");
  return store;
}

/**
 * @example const doc = useDesign((s) => s.doc)
 */
export function useDesign<T>(selector: (s: DesignState) => T): T {
  return useStore(useDesignStore(), selector);
}
