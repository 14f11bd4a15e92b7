import { describe, expect, it } from 'vitest';
import { initialToasts, MAX_TOASTS, toastsReducer, type FollowedLive } from './toasts.ts';

function notice(roomId: string, at = '2026-12-01T20:00:00.000Z'): FollowedLive {
  return { room_id: roomId, room_name: roomId, title: '', character_name: 'Seraphina', uid: 'a1', username: 'anchor', went_live_at: at };
}

describe('go-live toasts', () => {
  it('shows each go-live once, even when delivered again or after dismissal', () => {
    let state = toastsReducer(initialToasts, { type: 'went_live', notice: notice('r1') });
    expect(state.toasts.map((toast) => toast.notice.room_id)).toEqual(['r1']);
    expect(toastsReducer(state, { type: 'went_live', notice: notice('r1') })).toBe(state);
    state = toastsReducer(state, { type: 'dismiss', key: state.toasts[0]!.key });
    expect(state.toasts).toEqual([]);
    expect(toastsReducer(state, { type: 'went_live', notice: notice('r1') }).toasts).toEqual([]);
  });

  it('keeps the newest few, one per room', () => {
    let state = initialToasts;
    for (const room of ['r1', 'r2', 'r3', 'r4']) state = toastsReducer(state, { type: 'went_live', notice: notice(room) });
    expect(state.toasts.map((toast) => toast.notice.room_id)).toEqual(['r4', 'r3', 'r2']);
    expect(state.toasts).toHaveLength(MAX_TOASTS);
    state = toastsReducer(state, { type: 'went_live', notice: notice('r3', '2026-12-01T21:00:00.000Z') });
    expect(state.toasts.map((toast) => toast.key)).toEqual(['r3@2026-12-01T21:00:00.000Z', 'r4@2026-12-01T20:00:00.000Z', 'r2@2026-12-01T20:00:00.000Z']);
  });
});
