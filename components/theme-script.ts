/**
 * The theme choice: "light", "dark", or "system" (follow `prefers-color-scheme`, the default).
 * An explicit choice is stored in localStorage and set as `data-theme` on <html>; globals.css
 * reads that attribute. Kept free of React so the root layout (a server component) can inline
 * the script, which runs before first paint and so avoids a flash of the wrong theme.
 */
export const THEME_STORAGE_KEY = "topograph-theme";

export const THEME_PREFERENCES = ["light", "dark", "system"] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];

export const themeScript = `(function(){try{var t=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});if(t==="light"||t==="dark")document.documentElement.setAttribute("data-theme",t)}catch(e){}})();`;
