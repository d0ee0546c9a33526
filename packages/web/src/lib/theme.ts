import { createContext, useContext, useEffect, useState } from 'react';

/** What the user chose: follow the system, or always light or dark. */
export type ThemePreference = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'botwire-theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** The stored preference; `system` when none (or storage is off). */
export function storedTheme(): ThemePreference {
  const value = storage()?.getItem(STORAGE_KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** Light or dark, for a preference and whether the system is dark. */
export function resolveTheme(preference: ThemePreference, systemDark: boolean): 'light' | 'dark' {
  return preference === 'system' ? (systemDark ? 'dark' : 'light') : preference;
}

/**
 * Puts the theme on the document: the `dark` class (Tailwind's `dark:` variant keys on it) and
 * `color-scheme`, so native controls and scrollbars match.
 */
export function applyTheme(preference: ThemePreference): 'light' | 'dark' {
  const resolved = resolveTheme(preference, window.matchMedia(DARK_QUERY).matches);
  const root = document.documentElement;
  root.classList.toggle('dark', resolved === 'dark');
  root.style.colorScheme = resolved;
  return resolved;
}

/** The theme preference, its resolved value, and a setter that stores and applies it. */
export function useTheme(): {
  preference: ThemePreference;
  resolved: 'light' | 'dark';
  setPreference: (preference: ThemePreference) => void;
} {
  const [preference, setPreferenceState] = useState<ThemePreference>(storedTheme);
  const [resolved, setResolved] = useState<'light' | 'dark'>(() => applyTheme(preference));

  useEffect(() => {
    setResolved(applyTheme(preference));
    if (preference !== 'system') return;
    // Following the system: follow its changes too.
    const media = window.matchMedia(DARK_QUERY);
    const onChange = (): void => setResolved(applyTheme('system'));
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, [preference]);

  const setPreference = (next: ThemePreference): void => {
    if (next === 'system') storage()?.removeItem(STORAGE_KEY);
    else storage()?.setItem(STORAGE_KEY, next);
    setPreferenceState(next);
  };
  return { preference, resolved, setPreference };
}

/** The one theme state of the page, shared by the header's switch and the toasts. */
export const ThemeContext = createContext<ReturnType<typeof useTheme> | undefined>(undefined);

/** The page's theme state; only inside {@link ThemeContext}'s provider (main.tsx sets it up). */
export function useThemeContext(): ReturnType<typeof useTheme> {
  const theme = useContext(ThemeContext);
  if (theme === undefined) throw new Error('useThemeContext needs a ThemeContext provider');
  return theme;
}
