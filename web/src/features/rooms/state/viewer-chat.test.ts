import { describe, expect, it } from 'vitest';
import type { UserMessage } from '../api/get-user-chat-history.ts';
import { addViewerMessages, emptyViewerChat, removeViewerMessage, VIEWER_CHAT_LIMIT } from './viewer-chat.ts';

function chat(id: number, text = `hello ${id}`): UserMessage {
  return { id, uid: `u${id}`, username: `viewer${id}`, user_message: text, send_date: `2025-07-11T17:00:${String(id % 60).padStart(2, '0')}.000Z`, badges: [] };
}

describe('viewer chat merge', () => {
  it('shows the sender their message once: from the POST answer and again from the broadcast', () => {
    let state = addViewerMessages(emptyViewerChat, [chat(1), chat(2)]);
    state = addViewerMessages(state, [chat(3)]); // own message, from the POST answer
    state = addViewerMessages(state, [chat(3)]); // the same message broadcast back
    expect(state.messages.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(state.lastId).toBe(3);
  });

  it("gives one's own message the badges the broadcast brings, whichever copy arrives first", () => {
    const posted = chat(7);
    const broadcast = { ...chat(7), badges: ['subscriber' as const] };
    let state = addViewerMessages(emptyViewerChat, [posted], true);
    state = addViewerMessages(state, [broadcast]);
    expect(state.messages).toEqual([broadcast]);
    const again = addViewerMessages(addViewerMessages(emptyViewerChat, [broadcast]), [posted], true);
    expect(again.messages).toEqual([broadcast]);
  });

  it('puts a message replayed after a reconnect in id order', () => {
    let state = addViewerMessages(emptyViewerChat, [chat(1), chat(3)]);
    state = addViewerMessages(state, [chat(2)]);
    expect(state.messages.map((m) => m.id)).toEqual([1, 2, 3]);
  });

  it('removes a message the anchor deleted', () => {
    let state = addViewerMessages(emptyViewerChat, [chat(1), chat(2)]);
    state = removeViewerMessage(state, 1);
    expect(state.messages.map((m) => m.id)).toEqual([2]);
    expect(removeViewerMessage(state, 99)).toBe(state);
  });

  it('keeps memory bounded in a busy room', () => {
    let state = emptyViewerChat;
    for (let id = 1; id <= VIEWER_CHAT_LIMIT + 50; id += 1) state = addViewerMessages(state, [chat(id)]);
    expect(state.messages).toHaveLength(VIEWER_CHAT_LIMIT);
    expect(state.messages[0]!.id).toBe(51);
    expect(state.lastId).toBe(VIEWER_CHAT_LIMIT + 50);
  });
});
