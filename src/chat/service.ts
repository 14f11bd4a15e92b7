/**
 * Live chat: the anchor/AI transcript the anchor's tool posts (ingestion, edits, swipes, deletes)
 * and the viewers' own chat (posting, history, moderation). Every change is published as a domain
 * event after its transaction commits.
 */
import type { Kysely } from 'kysely';
import type { SessionUser, Viewer } from '../accounts/index.js';
import type { Database } from '../db/schema.js';
import { transactional, type Executor, type TransactionRunner } from '../db/transaction.js';
import { badRequest, forbidden, notFound, tooManyRequests } from '../http/errors.js';
import { consume, type RateLimiter } from '../infra/rate-limiter.js';
import { ReadThroughCache } from '../infra/read-through-cache.js';
import type { DomainEvent, EventBus, LiveMessageData, TranscriptChanges, UserMessageData } from '../realtime/index.js';
import type { RoomView, RoomsService } from '../rooms/index.js';
import { ChatRepository, type LiveMessageRow, type NewLiveMessage, type UserMessageRow } from './repository.js';
import {
  DEFAULT_LIVE_HISTORY,
  MAX_LIVE_HISTORY,
  type IngestResult,
  type LiveChatHistory,
  type MuteResult,
  type MuteTarget,
  type TranscriptItem,
  type UserChatHistory,
} from './schemas.js';
import { isViewerVisible, MAX_FLOOR, type ChatFile, type IncomingLiveMessage } from './sillytavern.js';

export const USER_HISTORY_SIZE = 20;
export const MAX_USER_MESSAGE_CHARS = 500;
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * The latest history pages are what every viewer opening a room asks for, so each room's are built
 * once and shared until the room's next chat event (or, should an event be missed, for at most this long).
 */
const HISTORY_CACHE_MAX_AGE_MS = 1000;
const HISTORY_CACHE_ROOMS = 1000;
/** Bounds the cached transcript text (in characters) however long the anchors' messages are. */
const HISTORY_CACHE_MAX_CHARS = 32 * 1024 * 1024;
/**
 * Mute state checked on every viewer post. A mute or unmute applies at once on the instance that
 * handled it; another instance may still go by the previous state for up to this long.
 */
const MUTE_CACHE_MAX_AGE_MS = 1000;
const MUTE_CACHE_ENTRIES = 50_000;
/**
 * How far back a resuming viewer can learn of edits and deletions of lines it already holds;
 * deletion tombstones older than this are pruned. Longer absences reload history over HTTP.
 */
export const TRANSCRIPT_CHANGES_KEPT_MS = 24 * 60 * 60 * 1000;

export interface ChatServiceDeps {
  rooms: RoomsService;
  eventBus: EventBus;
  rateLimiter: RateLimiter;
  rateLimit: { messages: number; windowSeconds: number };
  clock?: () => number;
}

const repositories = (executor: Executor) => ({ chat: new ChatRepository(executor) });

export class ChatService {
  private readonly repo: ChatRepository;
  private readonly inTransaction: TransactionRunner<ReturnType<typeof repositories>>;
  private readonly clock: () => number;
  private readonly latestLiveHistory: ReadThroughCache<LiveChatHistory>;
  private readonly latestUserHistory: ReadThroughCache<UserChatHistory>;
  /** room + sender -> muted until (epoch ms; 0 when not muted). */
  private readonly mutes: ReadThroughCache<number>;
  private readonly unsubscribe: () => void;

  constructor(
    db: Kysely<Database>,
    private readonly deps: ChatServiceDeps,
  ) {
    this.repo = repositories(db).chat;
    this.inTransaction = transactional(db, repositories);
    this.clock = deps.clock ?? Date.now;
    const cacheOptions = { clock: this.clock, maxAgeMs: HISTORY_CACHE_MAX_AGE_MS, maxEntries: HISTORY_CACHE_ROOMS };
    this.latestLiveHistory = new ReadThroughCache<LiveChatHistory>({
      ...cacheOptions,
      weigh: (page) => page.chat_info.reduce((chars, item) => chars + item.live_message.length + item.sender_name.length, 0),
      maxWeight: HISTORY_CACHE_MAX_CHARS,
    });
    this.latestUserHistory = new ReadThroughCache<UserChatHistory>(cacheOptions);
    this.mutes = new ReadThroughCache<number>({ clock: this.clock, maxAgeMs: MUTE_CACHE_MAX_AGE_MS, maxEntries: MUTE_CACHE_ENTRIES });
    this.unsubscribe = deps.eventBus.subscribe((event) => this.onEvent(event));
  }

  /** Stops following the event bus (app shutdown). */
  close(): void {
    this.unsubscribe();
  }

  // ---- anchor: transcript ingestion ------------------------------------------------------------

  /** Messages posted one by one or in a batch: a floor replaces that floor, no floor appends. */
  async postLiveMessages(anchor: SessionUser, roomId: string, messages: IncomingLiveMessage[]): Promise<IngestResult> {
    const room = await this.deps.rooms.requireOwnRoom(anchor, roomId);
    return this.ingest(room, messages, false);
  }

  /**
   * A whole chat file: it is the chat, so floors beyond its end are removed. Re-posting a grown
   * file only writes (and announces) the lines that changed.
   */
  async importChatFile(anchor: SessionUser, roomId: string, file: ChatFile): Promise<IngestResult> {
    const room = await this.deps.rooms.requireOwnRoom(anchor, roomId);
    if (file.header.character_name !== undefined && file.header.character_name !== room.character_name) {
      throw badRequest(
        'chat_mismatch',
        `This file is a chat with "${file.header.character_name}", but the room is for "${room.character_name}"`,
        { line: 1 },
      );
    }
    return this.ingest(room, file.messages, true);
  }

  async deleteLiveMessage(anchor: SessionUser, roomId: string, floor: number): Promise<void> {
    const room = await this.deps.rooms.requireOwnRoom(anchor, roomId);
    const now = this.clock();
    const removed = await this.inTransaction(async ({ chat }) => {
      await chat.touchRoomActivity(roomId, now, null);
      const row = await chat.deleteMessage(roomId, floor);
      if (row?.visible === 1) await chat.recordDeletions(roomId, [floor], now, now - TRANSCRIPT_CHANGES_KEPT_MS);
      return row;
    });
    // The post counted as anchor activity even if the floor was already gone.
    await this.announceRevival(room);
    if (!removed) throw notFound('message_not_found', `No message at floor ${floor}`);
    if (removed.visible === 1) await this.publish({ type: 'chat_live_message', room_id: roomId, data: deletedData(removed) });
  }

  private async ingest(room: RoomView, incoming: IncomingLiveMessage[], wholeChat: boolean): Promise<IngestResult> {
    const roomId = room.room_id;
    const now = this.clock();
    const { events, result } = await this.inTransaction(async ({ chat }) => {
      const events: LiveMessageData[] = [];
      const result: IngestResult = { received: incoming.length, added: 0, replaced: 0, unchanged: 0, deleted: 0, last_floor: -1 };
      // First statement: takes the room's row lock, so concurrent posts number floors one at a time.
      await chat.touchRoomActivity(roomId, now, null);

      const byFloor = new Map<number, IncomingLiveMessage>();
      let nextFloor = incoming.some((m) => m.floor === undefined) ? (await chat.maxFloor(roomId)) + 1 : 0;
      for (const message of incoming) {
        const floor = message.floor ?? nextFloor;
        if (floor > MAX_FLOOR) throw badRequest('invalid_message', `The chat is longer than ${MAX_FLOOR} messages`);
        nextFloor = Math.max(nextFloor, floor + 1);
        byFloor.set(floor, message);
      }
      const floors = [...byFloor.keys()].sort((a, b) => a - b);
      const existing = new Map<number, LiveMessageRow>();
      if (floors.length > 0) {
        const rows = await chat.messagesInRange(roomId, floors[0] ?? 0, floors[floors.length - 1] ?? 0);
        for (const row of rows) existing.set(row.floor, row);
      }

      const writes: NewLiveMessage[] = [];
      let aiMessageShown = false;
      for (const floor of floors) {
        const message = byFloor.get(floor) as IncomingLiveMessage;
        const before = existing.get(floor);
        const row = toRow(roomId, floor, message, before?.send_date ?? now, now);
        if (before && sameContent(before, row)) {
          result.unchanged += 1;
          continue;
        }
        writes.push(row);
        if (before) result.replaced += 1;
        else result.added += 1;
        const op = liveOp(before?.visible === 1, row.visible === 1);
        if (op) events.push(op === 'delete' && before ? deletedData(before) : { ...transcriptData(row), op });
        if (row.visible === 1 && row.is_user === 0) aiMessageShown = true;
      }
      await chat.upsertMessages(writes);

      if (wholeChat) {
        const removed = await chat.deleteFloorsFrom(roomId, floors.length);
        result.deleted = removed.length;
        if (removed.length > 0) {
          await chat.recordDeletions(roomId, removed.map((row) => row.floor), now, now - TRANSCRIPT_CHANGES_KEPT_MS);
        }
        for (const row of removed) events.push(deletedData(row));
      }
      if (aiMessageShown) await chat.touchRoomActivity(roomId, now, now);
      result.last_floor = await chat.maxFloor(roomId);
      return { events, result };
    });

    await this.announceRevival(room);
    for (const data of events) await this.publish({ type: 'chat_live_message', room_id: roomId, data });
    return result;
  }

  /** A live room that had gone idle is live again once the anchor is back. */
  private async announceRevival(room: RoomView): Promise<void> {
    if (room.live_switched_on && !room.live_status) {
      await this.publish({ type: 'live_status', room_id: room.room_id, data: { live_status: true } });
    }
  }

  // ---- anchor: moderation --------------------------------------------------------------------

  /** Mutes a user or guest in the room for `minutes` (0 lifts the mute). */
  async mute(anchor: SessionUser, roomId: string, target: MuteTarget, minutes: number): Promise<MuteResult> {
    await this.deps.rooms.requireOwnRoom(anchor, roomId);
    const subject = muteSubject(target);
    if (minutes === 0) {
      await this.repo.clearMute(roomId, subject);
      this.mutes.invalidate(muteKey(roomId, subject));
      return { muted_until: null };
    }
    const until = this.clock() + minutes * 60_000;
    await this.repo.setMute(roomId, subject, until);
    this.mutes.invalidate(muteKey(roomId, subject));
    return { muted_until: new Date(until).toISOString() };
  }

  async deleteUserMessage(anchor: SessionUser, roomId: string, id: number): Promise<void> {
    await this.deps.rooms.requireOwnRoom(anchor, roomId);
    if (!(await this.repo.softDeleteUserMessage(roomId, id, this.clock()))) {
      throw notFound('message_not_found', 'No such viewer message in this room');
    }
    await this.publish({ type: 'chat_user_message_deleted', room_id: roomId, data: { id } });
  }

  // ---- viewers ---------------------------------------------------------------------------------

  /**
   * The latest page is shared by every viewer of the room (see HISTORY_CACHE_MAX_AGE_MS): treat the
   * result as read-only.
   */
  async liveChatHistory(viewer: Viewer, roomId: string, page: { before_floor?: number; limit?: number } = {}): Promise<LiveChatHistory> {
    await this.deps.rooms.assertCanEnter(viewer, roomId);
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

  // The readers look the room up again rather than taking the caller's copy: a page must not be
  // cached with room fields read before the change that invalidated the previous page.
  private async readLiveHistory(roomId: string, beforeFloor: number | undefined, limit: number): Promise<LiveChatHistory | undefined> {
    const readAt = this.clock();
    const room = await this.deps.rooms.findRoom(roomId);
    if (!room) return undefined;
    // One extra row tells whether there is an older page.
    const rows = await this.repo.visibleMessagesBefore(roomId, beforeFloor, limit + 1);
    const hasMore = rows.length > limit;
    return {
      uid: room.anchor_id,
      username: room.anchor_username,
      room_id: room.room_id,
      room_name: room.room_name,
      chat_info: (hasMore ? rows.slice(1) : rows).map(toTranscriptItem),
      has_more: hasMore,
      server_time: readAt,
    };
  }

  private async readUserHistory(roomId: string): Promise<UserChatHistory | undefined> {
    const readAt = this.clock();
    const room = await this.deps.rooms.findRoom(roomId);
    if (!room) return undefined;
    const rows = await this.repo.lastUserMessages(roomId, USER_HISTORY_SIZE);
    return {
      room_id: room.room_id,
      room_name: room.room_name,
      uid: room.anchor_id,
      username: room.character_name,
      chat_info: rows.map(toUserMessageData),
      server_time: readAt,
    };
  }

  private onEvent(event: DomainEvent): void {
    if (event.type === 'chat_live_message' || event.type === 'room_updated') this.latestLiveHistory.invalidate(event.room_id);
    if (event.type === 'chat_user_message' || event.type === 'chat_user_message_deleted' || event.type === 'room_updated') {
      this.latestUserHistory.invalidate(event.room_id);
    }
  }

  /**
   * The one path for viewer chat (HTTP now, WebSocket too): access, validation, mute, rate limit,
   * store, then announce. Identity comes only from `viewer`.
   */
  async postViewerMessage(viewer: Viewer, roomId: string, text: string): Promise<UserMessageData> {
    await this.deps.rooms.assertCanEnter(viewer, roomId);
    const message = validateUserMessage(text);
    const subject = viewer.kind === 'user' ? muteSubject({ uid: viewer.user.id }) : muteSubject({ guest_name: viewer.guestName });
    const now = this.clock();
    const mutedUntil = (await this.mutes.get(muteKey(roomId, subject), async () => (await this.repo.muteUntil(roomId, subject)) ?? 0)) ?? 0;
    if (mutedUntil > now) {
      throw forbidden('muted', `You are muted in this room until ${new Date(mutedUntil).toISOString()}`);
    }
    const { messages, windowSeconds } = this.deps.rateLimit;
    const limit = await consume(this.deps.rateLimiter, `chat:${roomId}:${subject}`, messages, windowSeconds);
    if (!limit.allowed) throw tooManyRequests('You are sending messages too fast', limit.retryAfterSeconds);

    const row = {
      room_id: roomId,
      user_id: viewer.kind === 'user' ? viewer.user.id : null,
      guest_name: viewer.kind === 'guest' ? viewer.guestName : null,
      username: viewer.kind === 'user' ? viewer.user.username : viewer.guestName,
      message,
      created_at: now,
      deleted_at: null,
    };
    const id = await this.repo.insertUserMessage(row);
    const data = toUserMessageData({ ...row, id });
    await this.publish({ type: 'chat_user_message', room_id: roomId, data });
    return data;
  }

  // ---- catch-up for the realtime layer (callers check access first) ---------------------------

  /** Visible transcript messages with floor > afterFloor, ascending. */
  async liveMessagesAfter(roomId: string, afterFloor: number, limit: number): Promise<TranscriptItem[]> {
    const rows = await this.repo.visibleMessagesAfter(roomId, afterFloor, Math.min(limit, MAX_LIVE_HISTORY));
    return rows.map(toTranscriptItem);
  }

  /** Viewer messages with id > afterId, ascending (deleted ones left out). */
  async userMessagesAfter(roomId: string, afterId: number, limit: number): Promise<UserMessageData[]> {
    const rows = await this.repo.userMessagesAfter(roomId, afterId, Math.min(limit, MAX_LIVE_HISTORY));
    return rows.map(toUserMessageData);
  }

  /**
   * Edits and deletions since `since` (ms) among floors ≤ `upToFloor` and viewer messages with
   * id ≤ `upToUserMessageId`: what a viewer that was away missed of what it already had. Lines
   * written since then are sent as `replace` with their current text, hidden or deleted ones as
   * `delete`; both are idempotent, so an early `since` costs bandwidth, never correctness.
   */
  async changesSince(roomId: string, since: number, upToFloor: number, upToUserMessageId: number, limit: number): Promise<TranscriptChanges> {
    const bounded = Math.min(limit, MAX_LIVE_HISTORY);
    const [changed, deletedFloors, deletedIds] = await Promise.all([
      this.repo.messagesChangedSince(roomId, upToFloor, since, bounded + 1),
      this.repo.floorsDeletedSince(roomId, upToFloor, since, bounded + 1),
      this.repo.userMessagesDeletedSince(roomId, upToUserMessageId, since, bounded + 1),
    ]);
    const live: LiveMessageData[] = [
      ...changed.slice(0, bounded).map((row) => (row.visible === 1 ? { ...transcriptData(row), op: 'replace' as const } : deletedData(row))),
      ...deletedFloors.slice(0, bounded).map((row) => deletedFloor(row.floor, row.deleted_at)),
    ].sort((a, b) => a.floor - b.floor);
    const complete =
      since >= this.clock() - TRANSCRIPT_CHANGES_KEPT_MS &&
      changed.length <= bounded &&
      deletedFloors.length <= bounded &&
      deletedIds.length <= bounded;
    return { live, deletedUserMessageIds: deletedIds.slice(0, bounded), complete };
  }

  /** Where a viewer who has seen everything stands: -1 / 0 for an empty room. */
  async roomCursor(roomId: string): Promise<{ last_floor: number; last_user_message_id: number }> {
    const [lastFloor, lastId] = await Promise.all([this.repo.lastVisibleFloor(roomId), this.repo.lastUserMessageId(roomId)]);
    return { last_floor: lastFloor, last_user_message_id: lastId };
  }

  private publish(event: DomainEvent): Promise<void> {
    return this.deps.eventBus.publish(event);
  }
}

function roomGone(): never {
  throw notFound('room_not_found', 'Room not found');
}

function validateUserMessage(text: string): string {
  const message = typeof text === 'string' ? text.trim() : '';
  if (message === '') throw badRequest('empty_message', 'The message is empty');
  if ([...message].length > MAX_USER_MESSAGE_CHARS) {
    throw badRequest('message_too_long', `Messages are at most ${MAX_USER_MESSAGE_CHARS} characters`);
  }
  if (CONTROL_CHARACTER.test(message)) throw badRequest('invalid_message', 'Messages may not contain control characters');
  return message;
}

function muteSubject(target: MuteTarget): string {
  if (target.uid) return `user:${target.uid}`;
  if (target.guest_name) return `guest:${target.guest_name}`;
  throw badRequest('invalid_request', 'Give the uid or the guest_name to mute');
}

function muteKey(roomId: string, subject: string): string {
  return `${roomId} ${subject}`;
}

function toRow(roomId: string, floor: number, message: IncomingLiveMessage, sendDate: number, now: number): NewLiveMessage {
  return {
    room_id: roomId,
    floor,
    is_user: message.is_user ? 1 : 0,
    is_system: message.is_system ? 1 : 0,
    visible: isViewerVisible(message) ? 1 : 0,
    sender_name: message.sender_name,
    message: message.message,
    send_date: sendDate,
    original_send_date: message.original_send_date,
    extra: message.extra,
    updated_at: now,
  };
}

function sameContent(before: LiveMessageRow, after: NewLiveMessage): boolean {
  return (
    before.is_user === after.is_user &&
    before.is_system === after.is_system &&
    before.sender_name === after.sender_name &&
    before.message === after.message &&
    before.original_send_date === after.original_send_date &&
    before.extra === after.extra
  );
}

/** What viewers must do: a message they had changed or went away, or a new one appeared. */
function liveOp(wasVisible: boolean, isVisible: boolean): LiveMessageData['op'] | undefined {
  if (isVisible) return wasVisible ? 'replace' : 'add';
  return wasVisible ? 'delete' : undefined;
}

function transcriptData(row: { floor: number; is_user: number; message: string; sender_name: string; send_date: number }) {
  return {
    floor: row.floor,
    is_user: row.is_user === 1,
    live_message: row.message,
    sender_name: row.sender_name,
    send_date: new Date(row.send_date).toISOString(),
  };
}

function deletedData(row: Pick<LiveMessageRow, 'floor' | 'is_user' | 'message' | 'sender_name' | 'send_date'>): LiveMessageData {
  return { ...transcriptData(row), live_message: '', op: 'delete' };
}

/** A deletion of which only the floor and time are known any more (the row is gone). */
function deletedFloor(floor: number, deletedAt: number): LiveMessageData {
  return { op: 'delete', floor, is_user: false, live_message: '', sender_name: '', send_date: new Date(deletedAt).toISOString() };
}

function toTranscriptItem(row: Pick<LiveMessageRow, 'floor' | 'is_user' | 'message' | 'sender_name' | 'send_date' | 'original_send_date'>): TranscriptItem {
  return { ...transcriptData(row), original_send_date: row.original_send_date };
}

function toUserMessageData(row: Pick<UserMessageRow, 'id' | 'user_id' | 'username' | 'message' | 'created_at'>): UserMessageData {
  return {
    id: row.id,
    uid: row.user_id ?? '',
    username: row.username,
    user_message: row.message,
    send_date: new Date(row.created_at).toISOString(),
  };
}
