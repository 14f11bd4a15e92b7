/**
 * The anchor/AI transcript of a room as a pure, immutable state: messages kept in floor order,
 * merged from history pages and live `chat_live_message` events (add / replace / delete), plus the
 * resume cursor the WebSocket reconnects with so nothing is lost or shown twice.
 */
import type { LiveLine, LiveLineOp } from '../api/frames.ts';

export interface LiveMessageEvent extends LiveLine {
  op: LiveLineOp;
}

export interface TranscriptState {
  /** Ascending by floor, one message per floor. */
  readonly messages: readonly LiveLine[];
  /** Highest floor the client has heard about (also through deletes): the resume cursor. */
  readonly lastFloor: number | null;
  /** Whether older history exists before the first loaded message. */
  readonly hasOlder: boolean;
}

export const emptyTranscript: TranscriptState = { messages: [], lastFloor: null, hasOlder: false };

/** Index of `floor` in the sorted list, or the bitwise complement of where it would be inserted. */
function findFloor(messages: readonly LiveLine[], floor: number): number {
  let low = 0;
  let high = messages.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const midFloor = messages[mid]!.floor;
    if (midFloor === floor) return mid;
    if (midFloor < floor) low = mid + 1;
    else high = mid - 1;
  }
  return ~low;
}

function maxFloor(current: number | null, floor: number): number {
  return current === null ? floor : Math.max(current, floor);
}

function upsert(messages: readonly LiveLine[], message: LiveLine): readonly LiveLine[] {
  const index = findFloor(messages, message.floor);
  if (index >= 0) {
    const existing = messages[index]!;
    if (
      existing.live_message === message.live_message &&
      existing.sender_name === message.sender_name &&
      existing.is_user === message.is_user &&
      existing.send_date === message.send_date
    ) {
      return messages;
    }
    const next = messages.slice();
    next[index] = message;
    return next;
  }
  const at = ~index;
  if (at === messages.length) return [...messages, message];
  const next = messages.slice();
  next.splice(at, 0, message);
  return next;
}

function toMessage(event: LiveMessageEvent): LiveLine {
  return {
    floor: event.floor,
    is_user: event.is_user,
    live_message: event.live_message,
    sender_name: event.sender_name,
    send_date: event.send_date,
  };
}

/**
 * Applies one live event. `add` of a floor already shown (a replayed event after resume) and
 * `replace` of a floor not yet shown both converge to "this floor now says that".
 */
export function applyLiveEvent(state: TranscriptState, event: LiveMessageEvent): TranscriptState {
  const lastFloor = maxFloor(state.lastFloor, event.floor);
  if (event.op === 'delete') {
    const index = findFloor(state.messages, event.floor);
    if (index < 0) return lastFloor === state.lastFloor ? state : { ...state, lastFloor };
    const messages = state.messages.slice();
    messages.splice(index, 1);
    return { ...state, messages, lastFloor };
  }
  const messages = upsert(state.messages, toMessage(event));
  if (messages === state.messages && lastFloor === state.lastFloor) return state;
  return { ...state, messages, lastFloor };
}

/**
 * Merges a history page (the latest messages on first load, or an older page); `hasMore` is the
 * server's word on whether even older messages exist.
 */
export function mergeHistory(
  state: TranscriptState,
  page: readonly LiveLine[],
  options: { older: boolean; hasMore: boolean },
): TranscriptState {
  let messages = state.messages;
  let lastFloor = state.lastFloor;
  for (const message of page) {
    messages = upsert(messages, message);
    lastFloor = maxFloor(lastFloor, message.floor);
  }
  const hasOlder = options.older || state.messages.length === 0 ? options.hasMore : state.hasOlder;
  return { messages, lastFloor, hasOlder };
}

/**
 * Starts over from a fresh latest page (after a resume that could not carry all that was missed),
 * keeping only lines above the page: those arrived live after the page was read.
 */
export function replaceWithLatest(state: TranscriptState, page: readonly LiveLine[], hasMore: boolean): TranscriptState {
  const pageTop = page.length > 0 ? Math.max(...page.map((message) => message.floor)) : null;
  const newer = pageTop === null ? [] : state.messages.filter((message) => message.floor > pageTop);
  const fresh = mergeHistory(emptyTranscript, [...page, ...newer], { older: false, hasMore });
  return { ...fresh, lastFloor: fresh.lastFloor === null ? state.lastFloor : maxFloor(state.lastFloor, fresh.lastFloor) };
}

/** The floor to page back from (`before_floor`), or null when nothing is loaded. */
export function oldestFloor(state: TranscriptState): number | null {
  return state.messages[0]?.floor ?? null;
}

/** The line at `floor`, if held. */
export function lineAt(state: TranscriptState, floor: number): LiveLine | undefined {
  const index = findFloor(state.messages, floor);
  return index >= 0 ? state.messages[index] : undefined;
}
