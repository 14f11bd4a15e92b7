import { describe, expect, it } from 'vitest';
import type { LiveLine } from '../api/frames.ts';
import { applyLiveEvent, emptyTranscript, mergeHistory, oldestFloor, type LiveMessageEvent } from './transcript.ts';

function message(floor: number, text = `message ${floor}`, isUser = floor % 2 === 0): LiveLine {
  return { floor, is_user: isUser, live_message: text, sender_name: isUser ? 'Anchor' : 'Seraphina', send_date: `2025-07-11T17:${String(floor).padStart(2, '0')}:00.000Z` };
}

function event(op: LiveMessageEvent['op'], floor: number, text?: string): LiveMessageEvent {
  return { op, ...message(floor, text) };
}

const floors = (messages: readonly LiveLine[]) => messages.map((m) => m.floor);

describe('transcript merge', () => {
  it('appends live messages in floor order even when they arrive out of order', () => {
    let state = mergeHistory(emptyTranscript, [message(0), message(1)], { older: false, hasMore: false });
    state = applyLiveEvent(state, event('add', 3));
    state = applyLiveEvent(state, event('add', 2));
    expect(floors(state.messages)).toEqual([0, 1, 2, 3]);
    expect(state.lastFloor).toBe(3);
  });

  it('replaces a floor in place when the anchor edits or swipes', () => {
    let state = mergeHistory(emptyTranscript, [message(0), message(1), message(2)], { older: false, hasMore: false });
    state = applyLiveEvent(state, event('replace', 1, '*smiles* A new swipe.'));
    expect(floors(state.messages)).toEqual([0, 1, 2]);
    expect(state.messages[1]!.live_message).toBe('*smiles* A new swipe.');
  });

  it('removes a deleted floor and still remembers it for resuming', () => {
    let state = mergeHistory(emptyTranscript, [message(0), message(1), message(2)], { older: false, hasMore: false });
    state = applyLiveEvent(state, event('delete', 2));
    expect(floors(state.messages)).toEqual([0, 1]);
    expect(state.lastFloor).toBe(2);
  });

  it('shows each floor once when a resume replays messages already shown', () => {
    let state = mergeHistory(emptyTranscript, [message(0), message(1)], { older: false, hasMore: false });
    state = applyLiveEvent(state, event('add', 2));
    const beforeReplay = state;
    state = applyLiveEvent(state, event('add', 1));
    state = applyLiveEvent(state, event('add', 2));
    expect(floors(state.messages)).toEqual([0, 1, 2]);
    expect(state).toBe(beforeReplay);
  });

  it('treats a replace of an unseen floor as that floor arriving', () => {
    const state = applyLiveEvent(emptyTranscript, event('replace', 5, 'late edit'));
    expect(state.messages).toEqual([message(5, 'late edit')]);
  });

  it('ignores deleting a floor it never had, apart from the cursor', () => {
    const state = applyLiveEvent(mergeHistory(emptyTranscript, [message(0)], { older: false, hasMore: false }), event('delete', 7));
    expect(floors(state.messages)).toEqual([0]);
    expect(state.lastFloor).toBe(7);
  });

  it('pages back: older messages go in front, and the server says whether even older ones exist', () => {
    let state = mergeHistory(emptyTranscript, [message(4), message(5)], { older: false, hasMore: true });
    expect(state.hasOlder).toBe(true);
    expect(oldestFloor(state)).toBe(4);
    state = mergeHistory(state, [message(2), message(3)], { older: true, hasMore: true });
    expect(floors(state.messages)).toEqual([2, 3, 4, 5]);
    expect(state.hasOlder).toBe(true);
    state = mergeHistory(state, [message(1)], { older: true, hasMore: false });
    expect(floors(state.messages)).toEqual([1, 2, 3, 4, 5]);
    expect(state.hasOlder).toBe(false);
    expect(state.lastFloor).toBe(5);
  });

  it('keeps the paging answer of older pages when a live page merges in', () => {
    let state = mergeHistory(emptyTranscript, [message(4)], { older: false, hasMore: true });
    state = mergeHistory(state, [message(5)], { older: false, hasMore: false });
    expect(state.hasOlder).toBe(true);
  });

  it('keeps 2,000 messages ordered and unique through a mixed stream', () => {
    let state = emptyTranscript;
    for (let floor = 0; floor < 2000; floor += 1) state = applyLiveEvent(state, event('add', floor));
    for (let floor = 0; floor < 2000; floor += 100) state = applyLiveEvent(state, event('replace', floor, 'edited'));
    for (let floor = 50; floor < 2000; floor += 100) state = applyLiveEvent(state, event('delete', floor));
    expect(state.messages).toHaveLength(1980);
    expect(floors(state.messages)).toEqual([...floors(state.messages)].sort((a, b) => a - b));
    expect(state.messages.filter((m) => m.live_message === 'edited')).toHaveLength(20);
  });
});
