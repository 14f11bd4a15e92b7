import { describe, expect, it } from 'vitest';
import type { LiveLine, ServerFrame } from '../api/frames.ts';
import { initialRoomState, roomReducer, type RoomLiveState } from './room.ts';
import { transcriptRows, TYPING_DONE_GRACE_MS, TYPING_SILENCE_MS, typingTimeout } from './typing.ts';

const sendDate = '2025-07-11T17:51:00.000Z';
const line = (floor: number, text: string, isUser = false): LiveLine => ({
  floor,
  is_user: isUser,
  live_message: text,
  sender_name: isUser ? 'Anchor' : 'Seraphina',
  send_date: sendDate,
});
const typing = (floor: number, text: string, done = false): ServerFrame => ({
  type: 'chat_live_typing',
  data: { floor, text, sender_name: 'Seraphina', done },
});
const added = (floor: number, text: string, op: 'add' | 'replace' | 'delete' = 'add'): ServerFrame => ({
  type: 'chat_live_message',
  data: { op, ...line(floor, text), live_message_html: text },
});

function room(...frames: ServerFrame[]): RoomLiveState {
  let state = roomReducer(initialRoomState(), { type: 'history', messages: [line(0, 'Hello?', true)], older: false, hasMore: false });
  for (const frame of frames) state = roomReducer(state, { type: 'frame', frame });
  return state;
}

const rows = (state: RoomLiveState) =>
  transcriptRows(state.transcript.messages, state.typing.bubble).map((row) => [row.floor, row.live_message, row.typing ?? false]);

describe('the typing bubble', () => {
  it('grows at the floor being generated, after the lines before it', () => {
    const state = room(typing(1, 'Gree'), typing(1, 'Greetings, trav'));
    expect(rows(state)).toEqual([
      [0, 'Hello?', false],
      [1, 'Greetings, trav', 'writing'],
    ]);
  });

  it('the real line takes its place in the same row; a late typing frame does not bring it back', () => {
    let state = room(typing(1, 'Greetings, trav'), added(1, 'Greetings, traveller.'));
    expect(rows(state)).toEqual([
      [0, 'Hello?', false],
      [1, 'Greetings, traveller.', false],
    ]);
    const settled = state;
    state = roomReducer(state, { type: 'frame', frame: typing(1, 'Greetings, travel') });
    expect(state).toBe(settled);
    // A regeneration (swipe) of that floor with different text shows again, in place of the line.
    state = roomReducer(state, { type: 'frame', frame: typing(1, 'Well met') });
    expect(rows(state)).toEqual([
      [0, 'Hello?', false],
      [1, 'Well met', 'writing'],
    ]);
  });

  it('after done it waits briefly for its line, then goes; a silence removes it only if nothing newer came', () => {
    const finished = room(typing(1, 'Gree'), typing(1, 'Greetings', true));
    expect(finished.typing.bubble).toMatchObject({ floor: 1, text: 'Greetings', done: true });
    expect(typingTimeout(finished.typing.bubble!)).toBe(TYPING_DONE_GRACE_MS);
    expect(rows(finished)).toEqual([
      [0, 'Hello?', false],
      [1, 'Greetings', 'finished'],
    ]);
    expect(rows(roomReducer(finished, { type: 'frame', frame: added(1, 'Greetings.') }))).toEqual([
      [0, 'Hello?', false],
      [1, 'Greetings.', false],
    ]);
    expect(roomReducer(finished, { type: 'typing_silence', bubble: finished.typing.bubble! }).typing.bubble).toBeNull();
    // done for another floor leaves the bubble alone
    expect(room(typing(1, 'Gree'), typing(2, '', true)).typing.bubble?.text).toBe('Gree');

    const first = room(typing(1, 'Gree'));
    const stale = first.typing.bubble!;
    expect(typingTimeout(stale)).toBe(TYPING_SILENCE_MS);
    const newer = roomReducer(first, { type: 'frame', frame: typing(1, 'Greetings') });
    expect(roomReducer(newer, { type: 'typing_silence', bubble: stale }).typing.bubble?.text).toBe('Greetings');
    expect(roomReducer(newer, { type: 'typing_silence', bubble: newer.typing.bubble! }).typing.bubble).toBeNull();
  });

  it('a deletion elsewhere or a viewer message does not disturb it; an identical frame changes nothing', () => {
    const state = room(added(1, 'a'), added(2, 'b'), typing(3, 'Gree'));
    const after = roomReducer(state, { type: 'frame', frame: added(1, '', 'delete') });
    expect(after.typing).toBe(state.typing);
    expect(roomReducer(state, { type: 'frame', frame: typing(3, 'Gree') })).toBe(state);
  });

  it('sits in floor order when it is for a floor inside what is loaded', () => {
    const messages = [line(0, 'a', true), line(1, 'b'), line(2, 'c', true)];
    expect(transcriptRows(messages, { floor: 1, text: 'b2', sender_name: 'S', done: false }).map((r) => r.live_message)).toEqual(['a', 'b2', 'c']);
    expect(transcriptRows(messages, { floor: 5, text: 'z', sender_name: 'S', done: false }).map((r) => r.floor)).toEqual([0, 1, 2, 5]);
    expect(transcriptRows(messages, null)).toBe(messages);
  });
});
