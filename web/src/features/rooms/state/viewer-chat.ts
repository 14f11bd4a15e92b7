/**
 * Viewer-to-viewer chat of a room: the last 20 from history plus everything live, each message
 * once (the sender sees their own message from the POST answer and again from the broadcast),
 * bounded so a busy room does not grow memory without end.
 */
import type { UserMessage } from '../api/get-user-chat-history.ts';

export const VIEWER_CHAT_LIMIT = 300;

export interface ViewerChatState {
  readonly messages: readonly UserMessage[];
  /** Highest message id seen: the resume cursor for the WebSocket. */
  readonly lastId: number | null;
}

export const emptyViewerChat: ViewerChatState = { messages: [], lastId: null };

function sameMessage(a: UserMessage, b: UserMessage): boolean {
  return a.user_message === b.user_message && a.username === b.username && a.badges.join() === b.badges.join();
}

/**
 * Adds messages not held yet. A known id arriving again from the server replaces the held copy:
 * the sender's own message, first shown from the POST answer, gets its badges from the broadcast.
 * `ownCopy` marks that POST-answer copy, which never replaces what the broadcast already brought.
 */
export function addViewerMessages(state: ViewerChatState, incoming: readonly UserMessage[], ownCopy = false): ViewerChatState {
  let messages = state.messages;
  const fresh: UserMessage[] = [];
  for (const message of incoming) {
    const known = messages.findIndex((m) => m.id === message.id);
    if (known >= 0) {
      if (!ownCopy && !sameMessage(messages[known]!, message)) {
        const replaced = messages.slice();
        replaced[known] = message;
        messages = replaced;
      }
    } else if (!fresh.some((m) => m.id === message.id)) {
      fresh.push(message);
    }
  }
  if (fresh.length === 0) return messages === state.messages ? state : { ...state, messages };
  // Server ids grow with time; ordering by them puts a replayed (resumed) message in its place.
  messages = [...messages, ...fresh].sort((a, b) => a.id - b.id);
  if (messages.length > VIEWER_CHAT_LIMIT) messages = messages.slice(messages.length - VIEWER_CHAT_LIMIT);
  let lastId = state.lastId;
  for (const message of fresh) lastId = lastId === null ? message.id : Math.max(lastId, message.id);
  return { messages, lastId };
}

/** Starts over from a fresh last page, keeping messages above it (they arrived live after it). */
export function replaceWithLatestMessages(state: ViewerChatState, page: readonly UserMessage[]): ViewerChatState {
  const pageTop = page.length > 0 ? Math.max(...page.map((message) => message.id)) : 0;
  const newer = state.messages.filter((message) => message.id > pageTop);
  const fresh = addViewerMessages(emptyViewerChat, [...page, ...newer]);
  const lastId = state.lastId === null || fresh.lastId === null ? (fresh.lastId ?? state.lastId) : Math.max(state.lastId, fresh.lastId);
  return { ...fresh, lastId };
}

export function removeViewerMessage(state: ViewerChatState, id: number): ViewerChatState {
  const messages = state.messages.filter((message) => message.id !== id);
  return messages.length === state.messages.length ? state : { ...state, messages };
}
