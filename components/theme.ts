/**
 * Theme hooks for client components: the stored preference and the theme actually shown.
 * Both read the DOM and localStorage through `useSyncExternalStore`, so every subscriber
 * (the toggle, the canvas' colour mode) agrees, across tabs too.
 */
import { useSyncExternalStore } from "react";
import { THEME_STORAGE_KEY, type ThemePreference } from "./theme-script";

const CHANGE_EVENT = "topograph:theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

function readPreference(): ThemePreference {
  try {
    const v = localStorage.getItem(THEME_STORAGE_KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

function applyPreference(pref: ThemePreference) {
  if (pref === "system") document.documentElement.removeAttribute("data-theme");
  else document.documentElement.setAttribute("data-theme", pref);
}

function subscribe(onChange: () => void) {
  const media = window.matchMedia(DARK_QUERY);
  const onStorage = (e: StorageEvent) => {
    if (e.key !== THEME_STORAGE_KEY) return;
    applyPreference(readPreference()); // another tab changed it
    onChange();
  };
  window.addEventListener(CHANGE_EVENT, onChange);
  window.addEventListener("storage", onStorage);
  media.addEventListener("change", onChange);
  return () => {
    window.removeEventListener(CHANGE_EVENT, onChange);
    window.removeEventListener("storage", onStorage);
    media.removeEventListener("change", onChange);
  };
}

/** Stores and applies a theme choice. */
export function setThemePreference(pref: ThemePreference) {
  try {
    if (pref === "system") localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, pref);
  } catch {
    // Storage disabled (private mode): the choice still applies to this page.
  }
  applyPreference(pref);
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

/** The stored choice; "system" during server rendering and hydration. */
export function useThemePreference(): ThemePreference {
  return useSyncExternalStore(subscribe, readPreference, () => "system");
}

/**
 * The theme on screen, for code that cannot read CSS variables (e.g. React Flow's `colorMode`).
 * @example const theme = useResolvedTheme(); <ReactFlow colorMode={theme} ... />
 */
export function useResolvedTheme(): "light" | "dark" {
  return useSyncExternalStore(
    subscribe,
    () => {
      const pref = readPreference();
      if (pref !== "system") return pref;
      return window.matchMedia(DARK_QUERY).matches ? "dark" : "light";
    },
    () => "light",
  );
}
