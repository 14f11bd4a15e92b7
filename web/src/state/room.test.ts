import { describe, expect, it } from 'vitest';
import { initialRoomState, resumeCursor, roomReducer } from './room.ts';

const sendDate = '2025-07-11T17:51:00.000Z';

describe('room live state', () => {
  it('takes viewer count and live status from hello and later frames', () => {
    let state = initialRoomState(3, true);
    state = roomReducer(state, {
      type: 'frame',
      frame: { type: 'hello', data: { room_id: 'r', live_status: true, live_num: 7, last_floor: 4, last_user_message_id: 9 } },
    });
    expect(state.liveNum).toBe(7);
    state = roomReducer(state, { type: 'frame', frame: { type: 'live_num', data: { live_num: 8 } } });
    state = roomReducer(state, { type: 'frame', frame: { type: 'live_status', data: { live_status: false } } });
    expect(state).toMatchObject({ liveNum: 8, liveStatus: false });
  });

  it('resumes after the newest floor and viewer message it holds, from history and live frames', () => {
    let state = initialRoomState();
    expect(resumeCursor(state)).toEqual({ afterFloor: null, afterUserMessageId: null });
    state = roomReducer(state, {
      type: 'history',
      messages: [{ floor: 0, is_user: true, live_message: 'hi', sender_name: 'A', send_date: sendDate }],
      older: false,
      hasMore: false,
    });
    state = roomReducer(state, { type: 'viewer_history', messages: [{ id: 4, uid: 'u', username: 'v', user_message: 'yo', send_date: sendDate }] });
    expect(resumeCursor(state)).toEqual({ afterFloor: 0, afterUserMessageId: 4 });
    state = roomReducer(state, {
      type: 'frame',
      frame: { type: 'chat_live_message', data: { op: 'add', floor: 1, is_user: false, live_message: '*waves*', sender_name: 'S', send_date: sendDate } },
    });
    state = roomReducer(state, { type: 'frame', frame: { type: 'chat_user_message', data: { id: 6, uid: 'u', username: 'v', user_message: 'again', send_date: sendDate } } });
    state = roomReducer(state, { type: 'frame', frame: { type: 'chat_user_message_deleted', data: { id: 4 } } });
    expect(resumeCursor(state)).toEqual({ afterFloor: 1, afterUserMessageId: 6 });
    expect(state.chat.messages.map((m) => m.id)).toEqual([6]);
    expect(state.transcript.messages.map((m) => m.live_message)).toEqual(['hi', '*waves*']);
  });

  it('leaves the state untouched for frames that change nothing visible', () => {
    const state = initialRoomState(1, true);
    expect(roomReducer(state, { type: 'frame', frame: { type: 'pong' } })).toBe(state);
    expect(roomReducer(state, { type: 'frame', frame: { type: 'error', data: { error: 'rate_limited', message: 'slow down' } } })).toBe(state);
    expect(roomReducer(state, { type: 'frame', frame: { type: 'chat_user_message_deleted', data: { id: 1 } } })).toBe(state);
  });
});
