"use client";

import { setThemePreference, useThemePreference } from "./theme";
import { THEME_PREFERENCES, type ThemePreference } from "./theme-script";
import { MonitorIcon, MoonIcon, SunIcon } from "./ui/icons";

const LABELS: Record<ThemePreference, string> = { light: "Light", dark: "Dark", system: "System" };
const ICONS = { light: SunIcon, dark: MoonIcon, system: MonitorIcon };

/** Light / dark / system, as a radio group (one tab stop, arrow keys move between choices). */
export function ThemeToggle() {
  const preference = useThemePreference();
  return (
    <fieldset className="segmented" aria-label="Theme">
      {THEME_PREFERENCES.map((pref) => {
        const Icon = ICONS[pref];
        return (
          <label key={pref} className="segmented-option" title={`${LABELS[pref]} theme`}>
            <input
              type="radio"
              name="theme"
              value={pref}
              checked={preference === pref}
              onChange={() => setThemePreference(pref)}
              aria-label={LABELS[pref]}
            />
            <Icon size={14} />
          </label>
        );
      })}
    </fieldset>
  );
}
