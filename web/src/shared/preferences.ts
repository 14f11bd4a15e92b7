/**
 * How the viewer likes to read, kept in this browser: the transcript's text size, theatre mode (the
 * transcript full width), which new chat lines the screen reader announces, and whether followed
 * rooms going live raise browser notifications.
 */
import { useCallback, useSyncExternalStore } from 'react';

export type AnnounceMode = 'all' | 'mentions' | 'off';

export interface Preferences {
  /** Index into TEXT_SIZES. */
  textSize: number;
  theatre: boolean;
  announce: AnnounceMode;
  /** Followed rooms going live also raise a browser notification (while a tab is open). */
  browserNotifications: boolean;
}

/** Reading sizes of the transcript, in rem. */
export const TEXT_SIZES = [0.94, 1.06, 1.2, 1.4] as const;

const STORAGE_KEY = 'pecktra.preferences';
const DEFAULTS: Preferences = { textSize: 1, theatre: false, announce: 'all', browserNotifications: false };

function read(): Preferences {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<Preferences>;
    return {
      textSize: Number.isInteger(saved.textSize) && saved.textSize! >= 0 && saved.textSize! < TEXT_SIZES.length ? saved.textSize! : DEFAULTS.textSize,
      theatre: typeof saved.theatre === 'boolean' ? saved.theatre : DEFAULTS.theatre,
      announce: saved.announce === 'all' || saved.announce === 'mentions' || saved.announce === 'off' ? saved.announce : DEFAULTS.announce,
      browserNotifications: saved.browserNotifications === true,
    };
  } catch {
    return DEFAULTS;
  }
}

let current: Preferences | null = null;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function snapshot(): Preferences {
  return (current ??= read());
}

export function usePreferences(): [Preferences, (change: Partial<Preferences>) => void] {
  const preferences = useSyncExternalStore(subscribe, snapshot);
  const update = useCallback((change: Partial<Preferences>) => {
    current = { ...snapshot(), ...change };
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(current));
    } catch {
      // Private mode without storage: the choice lasts for this page only.
    }
    for (const listener of listeners) listener();
  }, []);
  return [preferences, update];
}
