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
import { ViewerChat } from './viewer-chat.js';

export interface ChatServiceDeps {
  rooms: RoomsService;
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

  constructor(db: Kysely<Database>, deps: ChatServiceDeps) {
    const repo = repositories(db).chat;
    const { rooms, eventBus } = deps;
    const clock = deps.clock ?? Date.now;
    this.transcript = new TranscriptIngestion({ inTransaction: transactional(db, repositories), rooms, eventBus, clock });
    this.moderation = new Moderation({ repo, rooms, eventBus, clock });
    const { rateLimiter, rateLimit } = deps;
    this.viewerChat = new ViewerChat({ repo, rooms, moderation: this.moderation, eventBus, rateLimiter, rateLimit, clock });
    this.history = new ChatHistory({ repo, rooms, eventBus, clock, fullTranscriptCap: deps.transcriptFullCap });
    this.typing = new LiveTyping({ repo, rooms, eventBus, rateLimiter });
  }

  /** Stops following the event bus (app shutdown). */
  close(): void {
    this.history.close();
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
