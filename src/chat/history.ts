/**
 * What viewers read of a room's chat: the history pages (the latest ones cached per room and shared
 * by every viewer), and for the realtime layer the catch-up reads behind resume and bus gaps.
 */
import type { Viewer } from '../accounts/index.js';
import { notFound } from '../http/errors.js';
import { ReadThroughCache } from '../infra/read-through-cache.js';
import type { DomainEvent, EventBus, LiveMessageData, RoomCursor, TranscriptChanges, UserMessageData } from '../realtime/index.js';
import type { RoomsService } from '../rooms/index.js';
import { mapDeletedFloor, mapDeletedLine, mapLiveMessage, mapTranscriptItem, mapUserMessage } from './mappers.js';
import type { ChatRepository } from './repository.js';
import { DEFAULT_LIVE_HISTORY, MAX_LIVE_HISTORY, type LiveChatHistory, type TranscriptItem, type UserChatHistory } from './schemas.js';
import { TRANSCRIPT_CHANGES_KEPT_MS } from './transcript.js';

export const USER_HISTORY_SIZE = 20;
/**
 * The latest history pages are what every viewer opening a room asks for, so each room's are built
 * once and shared until the room's next chat event (or, should an event be missed, for at most this long).
 */
const HISTORY_CACHE_MAX_AGE_MS = 1000;
const HISTORY_CACHE_ROOMS = 1000;
/** Bounds the cached transcript text (in characters) however long the anchors' messages are. */
const HISTORY_CACHE_MAX_CHARS = 32 * 1024 * 1024;
/** Whole transcripts are cached for fewer rooms, under a bound of their own. */
const FULL_TRANSCRIPT_CACHE_ROOMS = 200;
const FULL_TRANSCRIPT_CACHE_MAX_CHARS = 64 * 1024 * 1024;
/** A whole transcript is read this many lines per query, so no single read holds the database long. */
export const TRANSCRIPT_READ_CHUNK = 1_000;

export interface ChatHistoryDeps {
  repo: ChatRepository;
  rooms: RoomsService;
  eventBus: EventBus;
  clock: () => number;
  /** Most lines a history request without limit or before_floor gets (the latest ones). */
  fullTranscriptCap: number;
}

export class ChatHistory {
  private readonly latestLiveHistory: ReadThroughCache<LiveChatHistory>;
  private readonly fullTranscript: ReadThroughCache<LiveChatHistory>;
  private readonly latestUserHistory: ReadThroughCache<UserChatHistory>;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: ChatHistoryDeps) {
    const cacheOptions = { clock: deps.clock, maxAgeMs: HISTORY_CACHE_MAX_AGE_MS, maxEntries: HISTORY_CACHE_ROOMS };
    this.latestLiveHistory = new ReadThroughCache<LiveChatHistory>({
      ...cacheOptions,
      weigh: transcriptChars,
      maxWeight: HISTORY_CACHE_MAX_CHARS,
    });
    this.fullTranscript = new ReadThroughCache<LiveChatHistory>({
      ...cacheOptions,
      maxEntries: FULL_TRANSCRIPT_CACHE_ROOMS,
      weigh: transcriptChars,
      maxWeight: FULL_TRANSCRIPT_CACHE_MAX_CHARS,
    });
    this.latestUserHistory = new ReadThroughCache<UserChatHistory>(cacheOptions);
    this.unsubscribe = deps.eventBus.subscribe((event) => this.onEvent(event));
  }

  /** Stops following the event bus (app shutdown). */
  close(): void {
    this.unsubscribe();
  }

  /**
   * Without `limit` or `before_floor`: the whole transcript, as the contract's clients expect, up to
   * the configured cap of latest lines (`has_more` says older ones exist). With either: one page.
   * The whole transcript and the latest default page are shared by every viewer of the room (see
   * HISTORY_CACHE_MAX_AGE_MS): treat the result as read-only.
   */
  async liveChatHistory(viewer: Viewer, roomId: string, page: { before_floor?: number; limit?: number } = {}): Promise<LiveChatHistory> {
    await this.deps.rooms.assertCanEnter(viewer, roomId);
    if (page.before_floor === undefined && page.limit === undefined) {
      return (await this.fullTranscript.get(roomId, () => this.readFullTranscript(roomId))) ?? roomGone();
    }
    const limit = Math.min(page.limit ?? DEFAULT_LIVE_HISTORY, MAX_LIVE_HISTORY);
    if (page.before_floor === undefined && limit === DEFAULT_LIVE_HISTORY) {
      const latest = await this.latestLiveHistory.get(roomId, () => this.readLiveHistory(roomId, undefined, limit));
      return latest ?? roomGone();
    }
    return (await this.readLiveHistory(roomId, page.before_floor, limit)) ?? roomGone();
  }

  /** Shared by every viewer of the room, like the latest live page: treat the result as read-only. */
  async userChatHistory(viewer: Viewer, roomId: string): Promise<UserChatHistory> {
    await this.deps.rooms.assertCanEnter(viewer, roomId);
    const latest = await this.latestUserHistory.get(roomId, () => this.readUserHistory(roomId));
    return latest ?? roomGone();
  }

  // ---- catch-up for the realtime layer (callers check access first) ---------------------------

  /** Visible transcript messages with floor > afterFloor, ascending. */
  async liveMessagesAfter(roomId: string, afterFloor: number, limit: number): Promise<TranscriptItem[]> {
    const rows = await this.deps.repo.visibleMessagesAfter(roomId, afterFloor, Math.min(limit, MAX_LIVE_HISTORY));
    return rows.map(mapTranscriptItem);
  }

  /** Viewer messages with id > afterId, ascending (deleted ones left out). */
  async userMessagesAfter(roomId: string, afterId: number, limit: number): Promise<UserMessageData[]> {
    const rows = await this.deps.repo.userMessagesAfter(roomId, afterId, Math.min(limit, MAX_LIVE_HISTORY));
    return rows.map(mapUserMessage);
  }

  /**
   * Edits and deletions since `since` (ms) among floors ≤ `upToFloor` and viewer messages with
   * id ≤ `upToUserMessageId`: what a viewer that was away missed of what it already had. Lines
   * written since then are sent as `replace` with their current text, hidden or deleted ones as
   * `delete`; both are idempotent, so an early `since` costs bandwidth, never correctness.
   */
  async changesSince(roomId: string, since: number, upToFloor: number, upToUserMessageId: number, limit: number): Promise<TranscriptChanges> {
    const { repo } = this.deps;
    const bounded = Math.min(limit, MAX_LIVE_HISTORY);
    const [changed, deletedFloors, deletedIds] = await Promise.all([
      repo.messagesChangedSince(roomId, upToFloor, since, bounded + 1),
      repo.floorsDeletedSince(roomId, upToFloor, since, bounded + 1),
      repo.userMessagesDeletedSince(roomId, upToUserMessageId, since, bounded + 1),
    ]);
    const live: LiveMessageData[] = [
      ...changed.slice(0, bounded).map((row) => (row.visible === 1 ? mapLiveMessage(row, 'replace') : mapDeletedLine(row))),
      ...deletedFloors.slice(0, bounded).map((row) => mapDeletedFloor(row.floor, row.deleted_at)),
    ].sort((a, b) => a.floor - b.floor);
    const complete =
      since >= this.deps.clock() - TRANSCRIPT_CHANGES_KEPT_MS &&
      changed.length <= bounded &&
      deletedFloors.length <= bounded &&
      deletedIds.length <= bounded;
    return { live, deletedUserMessageIds: deletedIds.slice(0, bounded), complete };
  }

  /** Where a viewer who has seen everything stands: -1 / 0 for an empty room. */
  async roomCursor(roomId: string): Promise<RoomCursor> {
    const [lastFloor, lastId] = await Promise.all([this.deps.repo.lastVisibleFloor(roomId), this.deps.repo.lastUserMessageId(roomId)]);
    return { last_floor: lastFloor, last_user_message_id: lastId };
  }

  // The readers look the room up again rather than taking the caller's copy: a page must not be
  // cached with room fields read before the change that invalidated the previous page.
  private async readLiveHistory(roomId: string, beforeFloor: number | undefined, limit: number): Promise<LiveChatHistory | undefined> {
    const readAt = this.deps.clock();
    const room = await this.deps.rooms.findRoom(roomId);
    if (!room) return undefined;
    // One extra row tells whether there is an older page.
    const rows = await this.deps.repo.visibleMessagesBefore(roomId, beforeFloor, limit + 1);
    const hasMore = rows.length > limit;
    return {
      uid: room.anchor_id,
      username: room.anchor_username,
      room_id: room.room_id,
      room_name: room.room_name,
      chat_info: (hasMore ? rows.slice(1) : rows).map(mapTranscriptItem),
      has_more: hasMore,
      server_time: readAt,
    };
  }

  /** The latest `fullTranscriptCap` lines, read newest first in chunks. */
  private async readFullTranscript(roomId: string): Promise<LiveChatHistory | undefined> {
    const readAt = this.deps.clock();
    const room = await this.deps.rooms.findRoom(roomId);
    if (!room) return undefined;
    const cap = this.deps.fullTranscriptCap;
    const chunks: Array<Awaited<ReturnType<ChatRepository['visibleMessagesBefore']>>> = [];
    let read = 0;
    let beforeFloor: number | undefined;
    // One line beyond the cap tells whether older lines exist.
    while (read <= cap) {
      const want = Math.min(TRANSCRIPT_READ_CHUNK, cap + 1 - read);
      const chunk = await this.deps.repo.visibleMessagesBefore(roomId, beforeFloor, want);
      chunks.unshift(chunk);
      read += chunk.length;
      if (chunk.length < want) break;
      beforeFloor = chunk[0]!.floor;
    }
    const rows = chunks.flat();
    const hasMore = rows.length > cap;
    return {
      uid: room.anchor_id,
      username: room.anchor_username,
      room_id: room.room_id,
      room_name: room.room_name,
      chat_info: (hasMore ? rows.slice(rows.length - cap) : rows).map(mapTranscriptItem),
      has_more: hasMore,
      server_time: readAt,
    };
  }

  private async readUserHistory(roomId: string): Promise<UserChatHistory | undefined> {
    const readAt = this.deps.clock();
    const room = await this.deps.rooms.findRoom(roomId);
    if (!room) return undefined;
    const rows = await this.deps.repo.lastUserMessages(roomId, USER_HISTORY_SIZE);
    return {
      room_id: room.room_id,
      room_name: room.room_name,
      uid: room.anchor_id,
      username: room.character_name,
      chat_info: rows.map(mapUserMessage),
      server_time: readAt,
    };
  }

  private onEvent(event: DomainEvent): void {
    if (event.type === 'chat_live_message' || event.type === 'room_updated') {
      this.latestLiveHistory.invalidate(event.room_id);
      this.fullTranscript.invalidate(event.room_id);
    }
    if (event.type === 'chat_user_message' || event.type === 'chat_user_message_deleted' || event.type === 'room_updated') {
      this.latestUserHistory.invalidate(event.room_id);
    }
  }
}

function transcriptChars(page: LiveChatHistory): number {
  return page.chat_info.reduce((chars, item) => chars + item.live_message.length + item.sender_name.length, 0);
}

function roomGone(): never {
  throw notFound('room_not_found', 'Room not found');
}
