/**
 * Live chat: the anchor/AI transcript the anchor's tool posts (transcript.ts), the anchor's
 * moderation (moderation.ts), the viewers' own chat (viewer-chat.ts), what viewers read
 * (history.ts) and the AI reply as it streams (typing.ts). ChatService builds the five over one repository and is the realtime gateway's
 * ChatFeed. Every change is published as a domain event after its transaction commits.
 */
import type { Kysely } from 'kysely';
import type { Viewer } from '../accounts/index.js';
import type { Database } from '../db/schema.js';
import { transactional, type Executor } from '../db/transaction.js';
import type { RateLimiter } from '../infra/rate-limiter.js';
import type { ChatFeed, EventBus, RoomCursor, TranscriptChanges, UserMessageData } from '../realtime/index.js';
import type { RoomsService } from '../rooms/index.js';
import { ChatHistory } from './history.js';
import { Moderation } from './moderation.js';
import { ChatRepository } from './repository.js';
import type { TranscriptItem } from './schemas.js';
import { TranscriptIngestion } from './transcript.js';
import { LiveTyping } from './typing.js';
import { ViewerChat, type BanCheck } from './viewer-chat.js';
import { conflict, notFound } from '../http/errors.js';
import { mapDeletedLine } from './mappers.js';

export interface ChatServiceDeps {
  rooms: RoomsService;
  bans?: BanCheck;
  eventBus: EventBus;
  rateLimiter: RateLimiter;
  rateLimit: { messages: number; windowSeconds: number; guestMessagesPerNetwork: number };
  transcriptFullCap: number;
  clock?: () => number;
}

const repositories = (executor: Executor) => ({ chat: new ChatRepository(executor) });

export class ChatService implements ChatFeed {
  readonly transcript: TranscriptIngestion;
  readonly moderation: Moderation;
  readonly viewerChat: ViewerChat;
  readonly history: ChatHistory;
  readonly typing: LiveTyping;
  private readonly eventBus: EventBus;
  private readonly repo: ChatRepository;

  constructor(db: Kysely<Database>, deps: ChatServiceDeps) {
    const repo = repositories(db).chat;
    this.repo = repo;
    const { rooms, eventBus } = deps;
    this.eventBus = eventBus;
    const clock = deps.clock ?? Date.now;
    const inTransaction = transactional(db, repositories);
    this.transcript = new TranscriptIngestion({ inTransaction, rooms, eventBus, clock });
    this.moderation = new Moderation({ repo, rooms, eventBus, clock });
    const { rateLimiter, rateLimit } = deps;
    this.viewerChat = new ViewerChat({ inTransaction, rooms, moderation: this.moderation, eventBus, rateLimiter, rateLimit, clock, bans: deps.bans });
    this.history = new ChatHistory({ repo, rooms, eventBus, clock, fullTranscriptCap: deps.transcriptFullCap });
    this.typing = new LiveTyping({ repo, rooms, eventBus, rateLimiter });
  }

  /** Stops following the event bus (app shutdown). */
  close(): void {
    this.history.close();
  }

  // ---- operators (the console's actions run these inside their audited transaction) ---------------

  /**
   * Hides a transcript line for good: the row stays (the audit trail shows what it said), hidden,
   * and the anchor's tool sending it again does not bring it back. Viewers drop it live.
   */
  async removeLiveLineWithin(executor: Executor, roomId: string, floor: number, now: number) {
    const chat = new ChatRepository(executor);
    const [row] = await chat.messagesInRange(roomId, floor, floor);
    if (!row) throw notFound('message_not_found', `No transcript line at floor ${floor}`);
    if (row.removed_at !== null) throw conflict('already_removed', 'This line was already removed');
    await chat.markLineRemoved(roomId, floor, now);
    return {
      before: { sender_name: row.sender_name, message: row.message, visible: row.visible === 1 },
      after: { removed: true },
      afterCommit: async () => {
        if (row.visible === 1) await this.eventBus.publish({ type: 'chat_live_message', room_id: roomId, data: mapDeletedLine(row) });
      },
    };
  }

  /** A room's latest lines and viewer messages as an operator reviews them: removed ones too, marked. */
  async reviewRoom(roomId: string, limit: number) {
    const [lines, userMessages] = await Promise.all([this.repo.latestLinesForReview(roomId, limit), this.repo.latestUserMessagesForReview(roomId, limit)]);
    return {
      lines: lines.map((row) => ({
        floor: row.floor,
        sender_name: row.sender_name,
        message: row.message,
        is_user: row.is_user === 1,
        hidden: row.visible !== 1,
        removed: row.removed_at !== null,
        send_date: new Date(Number(row.send_date)).toISOString(),
      })),
      user_messages: userMessages.map((row) => ({
        id: row.id,
        uid: row.user_id ?? '',
        username: row.username,
        message: row.message,
        created_at: new Date(Number(row.created_at)).toISOString(),
        removed: row.deleted_at !== null,
      })),
    };
  }

  /** Soft-deletes a viewer message (kept, with its deletion time); viewers drop it live. */
  async removeUserMessageWithin(executor: Executor, roomId: string, id: number, now: number) {
    const chat = new ChatRepository(executor);
    const row = await chat.findUserMessage(roomId, id);
    if (!row) throw notFound('message_not_found', 'No such viewer message in this room');
    if (row.deleted_at !== null) throw conflict('already_removed', 'This message was already removed');
    await chat.softDeleteUserMessage(roomId, id, now);
    return {
      before: { username: row.username, uid: row.user_id, message: row.message },
      after: { removed: true },
      afterCommit: async () => {
        await this.eventBus.publish({ type: 'chat_user_message_deleted', room_id: roomId, data: { id } });
      },
    };
  }

  // ---- the realtime gateway's ChatFeed -----------------------------------------------------------

  postViewerMessage(viewer: Viewer, roomId: string, text: string, ip: string): Promise<UserMessageData> {
    return this.viewerChat.post(viewer, roomId, text, ip);
  }

  liveMessagesAfter(roomId: string, afterFloor: number, limit: number): Promise<TranscriptItem[]> {
    return this.history.liveMessagesAfter(roomId, afterFloor, limit);
  }

  userMessagesAfter(roomId: string, afterId: number, limit: number): Promise<UserMessageData[]> {
    return this.history.userMessagesAfter(roomId, afterId, limit);
  }

  roomCursor(roomId: string): Promise<RoomCursor> {
    return this.history.roomCursor(roomId);
  }

  changesSince(roomId: string, since: number, upToFloor: number, upToUserMessageId: number, limit: number): Promise<TranscriptChanges> {
    return this.history.changesSince(roomId, since, upToFloor, upToUserMessageId, limit);
  }
}
