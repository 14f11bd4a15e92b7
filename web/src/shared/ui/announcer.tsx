/**
 * The app's one polite live region for chat. Lists that grow (the transcript, the viewer chat) are
 * not live regions themselves: a virtualised list adds rows as the reader scrolls, and a screen
 * reader would read every one of them. Instead, the room announces each genuinely new line here,
 * once, with the speaker's name kept apart from the text. Only the last few announcements stay in
 * the document.
 */
import { useSyncExternalStore } from 'react';

export interface Announcement {
  id: number;
  speaker: string;
  text: string;
}

const KEPT = 3;
/** Long messages are cut for speech; the full text is in the list. */
const SPOKEN_MAX_CHARS = 280;

let announcements: readonly Announcement[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Plain words for speech: role-play markup and runs of whitespace removed, long text shortened. */
export function spokenText(text: string): string {
  const plain = text.replace(/[*_`>]+/g, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(plain);
  return chars.length > SPOKEN_MAX_CHARS ? `${chars.slice(0, SPOKEN_MAX_CHARS).join('')}…` : plain;
}

export function announce(speaker: string, text: string): void {
  announcements = [...announcements, { id: nextId++, speaker, text: spokenText(text) }].slice(-KEPT);
  for (const listener of listeners) listener();
}

export function LiveAnnouncer() {
  const items = useSyncExternalStore(subscribe, () => announcements);
  return (
    <div className="visually-hidden" aria-live="polite" aria-relevant="additions" data-testid="announcer">
      {items.map((item) => (
        <p key={item.id}>
          <bdi>{item.speaker}</bdi>
          <span>: </span>
          <bdi>{item.text}</bdi>
        </p>
      ))}
    </div>
  );
}
