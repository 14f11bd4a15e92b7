/**
 * The app's one modal slot. A feature shows its dialog there (showing another replaces it, so at
 * most one is open) and the app shell renders <ModalOutlet /> once; no provider has to know which
 * dialogs exist.
 */
import { useSyncExternalStore, type ReactNode } from 'react';

let current: ReactNode = null;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function showModal(content: ReactNode): void {
  current = content;
  for (const listener of listeners) listener();
}

export function closeModal(): void {
  showModal(null);
}

export function ModalOutlet() {
  return useSyncExternalStore(subscribe, () => current);
}
