import { useCallback, useEffect, useState } from "react";

export type Theme = "light" | "dark";

const storageKey = "sightline.theme";
const darkQuery = "(prefers-color-scheme: dark)";

function storedTheme(): Theme | undefined {
  try {
    const value = localStorage.getItem(storageKey);
    return value === "light" || value === "dark" ? value : undefined;
  } catch {
    return undefined; // storage can be disabled; the system preference still applies
  }
}

function systemTheme(): Theme {
  return window.matchMedia(darkQuery).matches ? "dark" : "light";
}

/** Sets `data-theme` on <html> before the first render, so the first paint has the right colours. */
export function applyInitialTheme(): void {
  document.documentElement.dataset.theme = storedTheme() ?? systemTheme();
}

/** The current theme and a setter that persists the user's choice. */
export function useTheme(): [Theme, (theme: Theme) => void] {
  const [theme, setThemeState] = useState<Theme>(() => storedTheme() ?? systemTheme());

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  // Follow the system until the user picks a theme.
  useEffect(() => {
    const media = window.matchMedia(darkQuery);
    const follow = () => {
      if (!storedTheme()) setThemeState(systemTheme());
    };
    media.addEventListener("change", follow);
    return () => media.removeEventListener("change", follow);
  }, []);

  const setTheme = useCallback((next: Theme) => {
    try {
      localStorage.setItem(storageKey, next);
    } catch {
      // Not persisted, still applied for this visit.
    }
    setThemeState(next);
  }, []);

  return [theme, setTheme];
}
