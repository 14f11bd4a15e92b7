/**
 * What the realtime gateway needs from rooms and chat. RoomsService and ChatService implement these
 * structurally; the gateway depends on nothing more, so it can be tested and benchmarked on its own.
 */
import type { Viewer } from '../accounts/index.js';
import type { Hello, LiveMessageData, UserMessageData } from './schemas.js';

/** Edits and deletions among what a resuming viewer already held (ChatService.changesSince). */
export interface TranscriptChanges {
  /** `replace` (current text) or `delete` per floor, ascending. */
  live: LiveMessageData[];
  deletedUserMessageIds: number[];
  /** false when the window reaches past what is kept, or more changed than the limit. */
  complete: boolean;
}

/** Where a viewer who has seen everything stands, as hello reports it. */
export type RoomCursor = Pick<Hello, 'last_floor' | 'last_user_message_id'>;

/** A transcript line as the history endpoints return it (no `op`). */
export type LiveMessageItem = Omit<LiveMessageData, 'op'>;

export interface RoomDirectory {
  getRoom(roomId: string): Promise<{ live_status: boolean | number }>;
  /** Throws AppError 404 `room_not_found` / 403 `vip_required`. */
  assertCanEnter(viewer: Viewer, roomId: string): Promise<unknown>;
}

/** Who follows a room, for the notification sockets (RoomsService implements it). */
export interface FollowerDirectory {
  /** Which of these users follow the room. */
  followersAmong(roomId: string, userIds: readonly string[]): Promise<string[]>;
}

export interface ChatFeed {
  /** The single path for viewer chat: access, validation, mute, rate limit, store, publish. */
  /** `ip`: the sender's address, for guest limits and mutes that outlive a guest name. */
  postViewerMessage(viewer: Viewer, roomId: string, text: string, ip: string): Promise<UserMessageData>;
  /** Visible transcript lines with floor > afterFloor, ascending, at most `limit`. */
  liveMessagesAfter(roomId: string, afterFloor: number, limit: number): Promise<LiveMessageItem[]>;
  /** Viewer messages with id > afterId, ascending, at most `limit`. */
  userMessagesAfter(roomId: string, afterId: number, limit: number): Promise<UserMessageData[]>;
  roomCursor(roomId: string): Promise<RoomCursor>;
  changesSince(roomId: string, since: number, upToFloor: number, upToUserMessageId: number, limit: number): Promise<TranscriptChanges>;
}
