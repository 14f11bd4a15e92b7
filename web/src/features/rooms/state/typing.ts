/**
 * The AI reply as it streams (`chat_live_typing` frames), as a pure state: at most one bubble, at
 * the floor being generated. The real line (`chat_live_message` for that floor) takes its place
 * under the same row key, so the bubble turns into the line without a flash. After `done` the
 * bubble waits briefly for that line; a silence removes it.
 */
import type { LiveLine, LiveTyping } from '../api/frames.ts';

/** Without an update for this long, the generation is taken to have ended (the tool went away). */
export const TYPING_SILENCE_MS = 10_000;
/**
 * A finished bubble (`done`) stays this long for its real line, which the tool posts right after:
 * removing it at once would make the row vanish and come back.
 */
export const TYPING_DONE_GRACE_MS = 3_000;

export interface TypingState {
  readonly bubble: LiveTyping | null;
  /** The floor whose bubble the real line last replaced: late typing for it must not bring the bubble back. */
  readonly settledFloor: number | null;
}

export const noTyping: TypingState = { bubble: null, settledFloor: null };

/** A transcript row: a line, or the reply still being written at its floor. */
export interface TranscriptRow extends LiveLine {
  /** 'writing' while the reply grows, 'finished' after done until its line arrives. */
  typing?: 'writing' | 'finished';
}

/**
 * One typing frame. `line` is what the transcript holds at that floor: a frame sent before the
 * line was committed but arriving after it (its text a prefix of the line) is ignored.
 */
export function applyTyping(state: TypingState, frame: LiveTyping, line: LiveLine | undefined): TypingState {
  if (frame.done) {
    const bubble = state.bubble;
    if (bubble?.floor !== frame.floor || bubble.done) return state;
    return { ...state, bubble: { ...bubble, text: frame.text || bubble.text, done: true } };
  }
  if (frame.floor === state.settledFloor && line && line.live_message.startsWith(frame.text)) return state;
  const bubble = state.bubble;
  if (bubble && bubble.floor === frame.floor && bubble.text === frame.text && bubble.sender_name === frame.sender_name) return state;
  return { bubble: frame, settledFloor: frame.floor === state.settledFloor ? state.settledFloor : null };
}

/** A line was added or replaced at `floor`: it takes the place of a bubble there. */
export function settleTyping(state: TypingState, floor: number): TypingState {
  if (state.bubble?.floor !== floor) return state;
  return { bubble: null, settledFloor: floor };
}

/** How long `bubble` may stay without news before it is removed. */
export function typingTimeout(bubble: LiveTyping): number {
  return bubble.done ? TYPING_DONE_GRACE_MS : TYPING_SILENCE_MS;
}

/** The timer for `bubble` ran out (see typingTimeout); a newer bubble stays. */
export function expireTyping(state: TypingState, bubble: LiveTyping): TypingState {
  return state.bubble === bubble ? { ...state, bubble: null } : state;
}

/**
 * The rows to draw: the lines, with the bubble at its floor (in place of the line being
 * regenerated there, or inserted in floor order). `messages` is ascending by floor.
 */
export function transcriptRows(messages: readonly LiveLine[], bubble: LiveTyping | null): readonly TranscriptRow[] {
  if (!bubble) return messages;
  const row: TranscriptRow = {
    floor: bubble.floor,
    is_user: false,
    live_message: bubble.text,
    sender_name: bubble.sender_name,
    // Not written yet: the row shows that it is being typed instead of a time.
    send_date: '',
    typing: bubble.done ? 'finished' : 'writing',
  };
  let at = messages.length;
  while (at > 0 && messages[at - 1]!.floor >= bubble.floor) at -= 1;
  const replaces = messages[at]?.floor === bubble.floor;
  return [...messages.slice(0, at), row, ...messages.slice(replaces ? at + 1 : at)];
}
