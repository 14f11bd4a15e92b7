/**
 * What the screen reader hears in a room: each genuinely new transcript line and chat message,
 * once, as it arrives — never the rows a scroll or a page of older history adds, never the lines
 * that were already there when the room opened. The viewer picks all, mentions of them only, or
 * nothing; their own messages are never read back to them.
 */
import { useEffect, useRef } from 'react';
import { announce } from '../../../shared/ui/announcer.tsx';
import type { AnnounceMode } from '../../../shared/preferences.ts';
import type { LiveLine } from '../api/frames.ts';
import type { UserMessage } from '../api/get-user-chat-history.ts';
import { mentionsOf } from './mentions.ts';

/** A burst (a resume replaying what was missed) is read as its last few lines, not all of it. */
const MAX_PER_BURST = 3;

export function useRoomAnnouncements(options: {
  ready: boolean;
  transcript: readonly LiveLine[];
  /** Chat as shown (blocked viewers already left out). */
  chat: readonly UserMessage[];
  mode: AnnounceMode;
  selfName: string;
  isMine(message: UserMessage): boolean;
}): void {
  const { ready, transcript, chat, mode, selfName, isMine } = options;
  const lastFloor = useRef<number | null>(null);
  const lastId = useRef<number | null>(null);

  useEffect(() => {
    if (!ready) return;
    const newest = transcript[transcript.length - 1]?.floor ?? -1;
    if (lastFloor.current === null || newest <= lastFloor.current) {
      lastFloor.current = Math.max(lastFloor.current ?? -1, newest);
      return;
    }
    const since = lastFloor.current;
    lastFloor.current = newest;
    if (mode !== 'all') return;
    for (const line of transcript.filter((message) => message.floor > since).slice(-MAX_PER_BURST)) {
      announce(line.sender_name, line.live_message);
    }
  }, [ready, transcript, mode]);

  useEffect(() => {
    if (!ready) return;
    const newest = chat[chat.length - 1]?.id ?? 0;
    if (lastId.current === null || newest <= lastId.current) {
      lastId.current = Math.max(lastId.current ?? 0, newest);
      return;
    }
    const since = lastId.current;
    lastId.current = newest;
    if (mode === 'off') return;
    const fresh = chat.filter((message) => message.id > since && !isMine(message));
    const wanted = mode === 'all' ? fresh : fresh.filter((message) => mentionsOf(message.user_message, selfName));
    for (const message of wanted.slice(-MAX_PER_BURST)) announce(message.username, message.user_message);
  }, [ready, chat, mode, selfName, isMine]);
}
