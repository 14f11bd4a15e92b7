/**
 * Viewer-to-viewer chat of a room: the last 20 from history plus everything live, each message
 * once (the sender sees their own message from the POST answer and again from the broadcast),
 * bounded so a busy room does not grow memory without end.
 */
import type { UserMessage } from '../api/types.ts';

export const VIEWER_CHAT_LIMIT = 300;

export interface ViewerChatState {
  readonly messages: readonly UserMessage[];
  /** Highest message id seen: the resume cursor for the WebSocket. */
  readonly lastId: number | null;
}

export const emptyViewerChat: ViewerChatState = { messages: [], lastId: null };

function sameMessage(a: UserMessage, b: UserMessage): boolean {
  if (a.id !== undefined && b.id !== undefined) return a.id === b.id;
  return a.uid === b.uid && a.username === b.username && a.send_date === b.send_date && a.user_message === b.user_message;
}

export function addViewerMessages(state: ViewerChatState, incoming: readonly UserMessage[]): ViewerChatState {
  const fresh = incoming.filter(
    (message, index) => !state.messages.some((known) => sameMessage(known, message)) && incoming.findIndex((m) => sameMessage(m, message)) === index,
  );
  if (fresh.length === 0) return state;
  let messages = [...state.messages, ...fresh];
  // Server ids grow with time; ordering by them puts a replayed (resumed) message in its place.
  if (messages.every((message) => message.id !== undefined)) messages.sort((a, b) => a.id! - b.id!);
  if (messages.length > VIEWER_CHAT_LIMIT) messages = messages.slice(messages.length - VIEWER_CHAT_LIMIT);
  let lastId = state.lastId;
  for (const message of fresh) {
    if (message.id !== undefined) lastId = lastId === null ? message.id : Math.max(lastId, message.id);
  }
  return { messages, lastId };
}

/** Starts over from a fresh last page, keeping messages above it (they arrived live after it). */
export function replaceWithLatestMessages(state: ViewerChatState, page: readonly UserMessage[]): ViewerChatState {
  const ids = page.flatMap((message) => (message.id === undefined ? [] : [message.id]));
  const pageTop = ids.length > 0 ? Math.max(...ids) : 0;
  const newer = state.messages.filter((message) => message.id === undefined || message.id > pageTop);
  const fresh = addViewerMessages(emptyViewerChat, [...page, ...newer]);
  const lastId = state.lastId === null || fresh.lastId === null ? (fresh.lastId ?? state.lastId) : Math.max(state.lastId, fresh.lastId);
  return { ...fresh, lastId };
}

export function removeViewerMessage(state: ViewerChatState, id: number): ViewerChatState {
  const messages = state.messages.filter((message) => message.id !== id);
  return messages.length === state.messages.length ? state : { ...state, messages };
}
