/**
 * Everything live about an open room, as one pure reducer: the transcript, the viewer chat, the
 * viewer count and live status, fed by history pages and WebSocket frames alike.
 */
import { addGift, emptyGiftFeed, type GiftFeedState, type RoomLeaderboard } from '../../gifts/index.ts';
import type { LiveLine, LiveTyping, ServerFrame } from '../api/frames.ts';
import type { UserMessage } from '../api/get-user-chat-history.ts';
import { applyLiveEvent, emptyTranscript, lineAt, mergeHistory, replaceWithLatest, type TranscriptState } from './transcript.ts';
import { applyTyping, expireTyping, noTyping, settleTyping, type TypingState } from './typing.ts';
import { addViewerMessages, emptyViewerChat, removeViewerMessage, replaceWithLatestMessages, type ViewerChatState } from './viewer-chat.ts';

export interface RoomLiveState {
  transcript: TranscriptState;
  /** The AI reply being generated, shown at its floor until the real line arrives. */
  typing: TypingState;
  chat: ViewerChatState;
  liveNum: number;
  liveStatus: boolean;
  /** A hello arrived: liveNum and liveStatus are the socket's, no longer the page's first answer. */
  synced: boolean;
  /** The newest line and viewer message of the first histories: what was there when the room opened. */
  baseline: { floor: number; chatId: number } | null;
  /** Gifts sent since the room opened, combos combined. */
  gifts: GiftFeedState;
  /** The newest leaderboard the socket brought; null until a payment changes it. */
  leaderboard: RoomLeaderboard | null;
  /** The site's operators took the room down while it was open (a `room_taken_down` frame). */
  takenDown: boolean;
}

export type RoomAction =
  | { type: 'history'; messages: readonly LiveLine[]; older: boolean; hasMore: boolean }
  | { type: 'viewer_history'; messages: readonly UserMessage[] }
  | { type: 'sent'; message: UserMessage }
  /** Fresh latest pages replacing what is held, after a resume that could not carry all it missed. */
  | { type: 'reload'; messages: readonly LiveLine[]; hasMore: boolean; viewerMessages: readonly UserMessage[] }
  | { type: 'frame'; frame: ServerFrame }
  /** Nothing more came for this bubble in time (typingTimeout). */
  | { type: 'typing_silence'; bubble: LiveTyping };

export function initialRoomState(liveNum = 0, liveStatus = false): RoomLiveState {
  return {
    transcript: emptyTranscript,
    typing: noTyping,
    chat: emptyViewerChat,
    liveNum,
    liveStatus,
    synced: false,
    baseline: null,
    gifts: emptyGiftFeed,
    leaderboard: null,
    takenDown: false,
  };
}

export function roomReducer(state: RoomLiveState, action: RoomAction): RoomLiveState {
  switch (action.type) {
    case 'history':
      return { ...state, transcript: mergeHistory(state.transcript, action.messages, action) };
    case 'viewer_history': {
      // The page loads the transcript page first, then this one: together they are the opening state.
      const chat = addViewerMessages(state.chat, action.messages);
      const baseline = state.baseline ?? { floor: state.transcript.lastFloor ?? -1, chatId: chat.lastId ?? 0 };
      return { ...state, chat, baseline };
    }
    case 'sent':
      return { ...state, chat: addViewerMessages(state.chat, [action.message], true) };
    case 'reload':
      return {
        ...state,
        transcript: replaceWithLatest(state.transcript, action.messages, action.hasMore),
        chat: replaceWithLatestMessages(state.chat, action.viewerMessages),
      };
    case 'frame':
      return applyFrame(state, action.frame);
    case 'typing_silence': {
      const typing = expireTyping(state.typing, action.bubble);
      return typing === state.typing ? state : { ...state, typing };
    }
  }
}

function applyFrame(state: RoomLiveState, frame: ServerFrame): RoomLiveState {
  switch (frame.type) {
    case 'hello':
      return { ...state, liveNum: frame.data.live_num, liveStatus: frame.data.live_status, synced: true };
    case 'chat_live_message': {
      const transcript = applyLiveEvent(state.transcript, frame.data);
      const typing = frame.data.op === 'delete' ? state.typing : settleTyping(state.typing, frame.data.floor);
      return transcript === state.transcript && typing === state.typing ? state : { ...state, transcript, typing };
    }
    case 'chat_live_typing': {
      const typing = applyTyping(state.typing, frame.data, lineAt(state.transcript, frame.data.floor));
      return typing === state.typing ? state : { ...state, typing };
    }
    case 'chat_user_message': {
      const chat = addViewerMessages(state.chat, [frame.data]);
      return chat === state.chat ? state : { ...state, chat };
    }
    case 'chat_user_message_deleted': {
      const chat = removeViewerMessage(state.chat, frame.data.id);
      return chat === state.chat ? state : { ...state, chat };
    }
    case 'live_num':
      return { ...state, liveNum: frame.data.live_num };
    case 'live_status':
      return { ...state, liveStatus: frame.data.live_status };
    case 'gift':
      return { ...state, gifts: addGift(state.gifts, frame.data) };
    case 'leaderboard':
      return { ...state, leaderboard: frame.data };
    case 'room_taken_down':
      return frame.data.taken_down === state.takenDown ? state : { ...state, takenDown: frame.data.taken_down };
    case 'error':
    case 'pong':
    case 'heartbeat':
      // pong and heartbeat only prove liveness (RoomSocket watches that); errors answer chat sent
      // over the socket, and this client posts chat over HTTP where the refusal comes back directly.
      return state;
    default:
      // A frame type this client does not know (a newer server): nothing to show.
      return state;
  }
}

/**
 * Where a (re)connecting socket resumes: after the newest floor and viewer message already held.
 * The socket opens only once the histories are in, so holding nothing means the room had nothing:
 * it resumes from the very start, and a line posted between the history read and the join is
 * replayed rather than lost.
 */
export function resumeCursor(state: RoomLiveState): { afterFloor: number; afterUserMessageId: number } {
  return { afterFloor: state.transcript.lastFloor ?? -1, afterUserMessageId: state.chat.lastId ?? 0 };
}
