/**
 * A room's two histories asked for before the app first renders (the page preloads them with its
 * HTML), so the room can be drawn complete in one pass. The first `useLiveRoom` of that room takes
 * them; every later load asks the server again.
 */
import { getLiveChatHistory, type LiveChatHistory } from '../api/get-live-chat-history.ts';
import { getUserChatHistory, type UserChatHistory } from '../api/get-user-chat-history.ts';

export type Histories = [LiveChatHistory, UserChatHistory];

interface Primed {
  roomId: string;
  promise: Promise<Histories>;
  /** Set once the promise has settled with answers. */
  value?: Histories;
}

let primed: Primed | null = null;

export const HISTORY_PAGE_SIZE = 200;

export function loadHistories(roomId: string): Promise<Histories> {
  return Promise.all([getLiveChatHistory(roomId, { limit: HISTORY_PAGE_SIZE }), getUserChatHistory(roomId)]);
}

export function primeHistories(roomId: string): Promise<unknown> {
  const entry: Primed = { roomId, promise: loadHistories(roomId) };
  primed = entry;
  return entry.promise.then(
    (value) => {
      entry.value = value;
    },
    () => {
      // A refusal (a paid room) is not kept: after paying, the room asks again.
      if (primed === entry) primed = null;
    },
  );
}

/** The primed histories of this room, if any, without taking them. */
export function peekPrimed(roomId: string): Primed | null {
  return primed?.roomId === roomId ? primed : null;
}

/** Takes the primed histories of this room: they serve one load only. */
export function takePrimed(roomId: string): Primed | null {
  const entry = peekPrimed(roomId);
  if (entry) primed = null;
  return entry;
}
