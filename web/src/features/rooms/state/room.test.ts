import { describe, expect, it } from 'vitest';
import { initialRoomState, resumeCursor, roomReducer } from './room.ts';

const sendDate = '2025-07-11T17:51:00.000Z';

describe('room live state', () => {
  it('takes viewer count and live status from hello and later frames', () => {
    let state = initialRoomState(3, true);
    state = roomReducer(state, {
      type: 'frame',
      frame: { type: 'hello', data: { room_id: 'r', live_status: true, live_num: 7, last_floor: 4, last_user_message_id: 9, resume_complete: true, server_time: 0, heartbeat_ms: 2500 } },
    });
    expect(state.liveNum).toBe(7);
    state = roomReducer(state, { type: 'frame', frame: { type: 'live_num', data: { live_num: 8 } } });
    state = roomReducer(state, { type: 'frame', frame: { type: 'live_status', data: { live_status: false } } });
    expect(state).toMatchObject({ liveNum: 8, liveStatus: false });
  });

  it('resumes after the newest floor and viewer message it holds, from history and live frames', () => {
    let state = initialRoomState();
    state = roomReducer(state, {
      type: 'history',
      messages: [{ floor: 0, is_user: true, live_message: 'hi', sender_name: 'A', send_date: sendDate }],
      older: false,
      hasMore: false,
    });
    state = roomReducer(state, { type: 'viewer_history', messages: [{ id: 4, uid: 'u', username: 'v', user_message: 'yo', send_date: sendDate, badges: [] }] });
    expect(resumeCursor(state)).toEqual({ afterFloor: 0, afterUserMessageId: 4 });
    state = roomReducer(state, {
      type: 'frame',
      frame: { type: 'chat_live_message', data: { op: 'add', floor: 1, is_user: false, live_message: '*waves*', live_message_html: '<em>waves</em>', sender_name: 'S', send_date: sendDate } },
    });
    state = roomReducer(state, { type: 'frame', frame: { type: 'chat_user_message', data: { id: 6, uid: 'u', username: 'v', user_message: 'again', send_date: sendDate, badges: [] } } });
    state = roomReducer(state, { type: 'frame', frame: { type: 'chat_user_message_deleted', data: { id: 4 } } });
    expect(resumeCursor(state)).toEqual({ afterFloor: 1, afterUserMessageId: 6 });
    expect(state.chat.messages.map((m) => m.id)).toEqual([6]);
    expect(state.transcript.messages.map((m) => m.live_message)).toEqual(['hi', '*waves*']);
  });

  it('resumes an empty room from its very start, so lines posted before the socket joined are replayed', () => {
    let state = roomReducer(initialRoomState(), { type: 'history', messages: [], older: false, hasMore: false });
    state = roomReducer(state, { type: 'viewer_history', messages: [] });
    expect(resumeCursor(state)).toEqual({ afterFloor: -1, afterUserMessageId: 0 });
  });

  it('shows the take-down notice when the operators take the room down, and the room again when they restore it', () => {
    const down = roomReducer(initialRoomState(), { type: 'frame', frame: { type: 'room_taken_down', data: { taken_down: true } } });
    expect(down.takenDown).toBe(true);
    const restored = roomReducer(down, { type: 'frame', frame: { type: 'room_taken_down', data: { taken_down: false } } });
    expect(restored.takenDown).toBe(false);
  });

  it('leaves the state untouched for frames that change nothing visible', () => {
    const state = initialRoomState(1, true);
    expect(roomReducer(state, { type: 'frame', frame: { type: 'pong' } })).toBe(state);
    expect(roomReducer(state, { type: 'frame', frame: { type: 'heartbeat' } })).toBe(state);
    expect(roomReducer(state, { type: 'frame', frame: { type: 'error', data: { error: 'rate_limited', message: 'slow down' } } })).toBe(state);
    expect(roomReducer(state, { type: 'frame', frame: { type: 'chat_user_message_deleted', data: { id: 1 } } })).toBe(state);
  });

  it('after an incomplete resume, fresh pages replace what was held, keeping what arrived live after them', () => {
    const line = (floor: number, text: string) => ({ floor, is_user: false, live_message: text, sender_name: 'S', send_date: sendDate });
    const comment = (id: number, text: string) => ({ id, uid: 'u', username: 'v', user_message: text, send_date: sendDate, badges: [] });
    let state = initialRoomState();
    state = roomReducer(state, { type: 'history', messages: [line(0, 'old 0'), line(1, 'old 1'), line(2, 'deleted meanwhile')], older: false, hasMore: true });
    state = roomReducer(state, { type: 'viewer_history', messages: [comment(1, 'removed meanwhile'), comment(2, 'kept')] });
    // Arrived live after the fresh pages were read.
    state = roomReducer(state, { type: 'frame', frame: { type: 'chat_live_message', data: { op: 'add', ...line(9, 'newest'), live_message_html: 'newest' } } });
    state = roomReducer(state, { type: 'frame', frame: { type: 'chat_user_message', data: comment(8, 'newest comment') } });

    state = roomReducer(state, { type: 'reload', messages: [line(0, 'old 0'), line(1, 'edited 1'), line(5, 'missed 5')], hasMore: false, viewerMessages: [comment(2, 'kept'), comment(4, 'missed')] });
    expect(state.transcript.messages.map((m) => [m.floor, m.live_message])).toEqual([
      [0, 'old 0'],
      [1, 'edited 1'],
      [5, 'missed 5'],
      [9, 'newest'],
    ]);
    expect(state.transcript.hasOlder).toBe(false);
    expect(state.chat.messages.map((m) => m.user_message)).toEqual(['kept', 'missed', 'newest comment']);
    expect(resumeCursor(state)).toEqual({ afterFloor: 9, afterUserMessageId: 8 });
  });
});
