/** Viewers' own chat: the one path a viewer message takes, over HTTP or the room WebSocket. */
import type { Insertable } from 'kysely';
import { assertNotBanned, type Viewer } from '../accounts/index.js';
import { clientNetwork } from '../http/client-network.js';
import { badRequest, conflict, forbidden, tooManyRequests } from '../http/errors.js';
import { consume, type RateLimiter } from '../infra/rate-limiter.js';
import { WriteBatcher } from '../infra/write-batcher.js';
import type { EventBus, UserMessageData } from '../realtime/index.js';
import type { RoomsService } from '../rooms/index.js';
import { formatBadges, mapUserMessage } from './mappers.js';
import { guestNetworkSubject, viewerSubject, type Moderation } from './moderation.js';
import type { UserMessagesTable } from '../db/schema.js';
import type { TransactionRunner } from '../db/transaction.js';
import type { ChatRepository } from './repository.js';

export const MAX_USER_MESSAGE_CHARS = 500;
/** Messages per INSERT: 9 columns x 500 stays far below both engines' bound-parameter limits. */
const MAX_MESSAGES_PER_WRITE = 500;
const CONTROL_CHARACTER = /\p{Cc}/u;

/** Whether an account is banned now (consumer-owned port; the accounts service implements it). */
export interface BanCheck {
  currentBan(userId: string): Promise<{ reason: string } | undefined>;
}

export interface ViewerChatDeps {
  /** Read on every signed-in post: an open WebSocket resolved its user before a ban. */
  bans?: BanCheck;
  /** Viewer messages are stored in transactions of their own, grouped (see WriteBatcher). */
  inTransaction: TransactionRunner<{ chat: ChatRepository }>;
  rooms: RoomsService;
  moderation: Moderation;
  eventBus: EventBus;
  rateLimiter: RateLimiter;
  /** `guestMessagesPerNetwork`: all guests of one network together, per room and window. */
  rateLimit: { messages: number; windowSeconds: number; guestMessagesPerNetwork: number };
  clock: () => number;
}

type NewUserMessage = Insertable<UserMessagesTable>;

export class ViewerChat {
  /**
   * Concurrent posts share one transaction (one commit) instead of one each: the commit, not the
   * checks before it, was most of a post's cost. A caller still answers only once its own row is in.
   */
  private readonly writes: WriteBatcher<NewUserMessage, number>;

  constructor(private readonly deps: ViewerChatDeps) {
    this.writes = new WriteBatcher({
      maxBatch: MAX_MESSAGES_PER_WRITE,
      write: (rows) =>
        deps.inTransaction(async ({ chat }) => {
          await chat.lockUserMessageOrder();
          return chat.insertUserMessages(rows);
        }),
    });
  }

  /**
   * Access, validation, mute, rate limit, store, then announce. Identity comes only from `viewer`.
   * A guest is also checked by network (`ip`), since a guest name lasts only as long as its cookie.
   */
  async post(viewer: Viewer, roomId: string, text: string, ip: string): Promise<UserMessageData> {
    const room = await this.deps.rooms.assertCanEnter(viewer, roomId);
    if (viewer.kind === 'user') {
      const ban = (await this.deps.bans?.currentBan(viewer.user.id)) ?? viewer.user.ban;
      if (ban) assertNotBanned({ ...viewer.user, ban });
    }
    if (room.archived) throw conflict('room_archived', 'This room is archived: its chat is closed');
    const message = validateUserMessage(text);
    const network = viewer.kind === 'guest' ? clientNetwork(ip) : null;
    const subjects = [viewerSubject(viewer), ...(network ? [guestNetworkSubject(network)] : [])];
    const now = this.deps.clock();
    for (const subject of subjects) {
      const mutedUntil = await this.deps.moderation.mutedUntil(roomId, subject);
      if (mutedUntil > now) {
        throw forbidden('muted', `You are muted in this room until ${new Date(mutedUntil).toISOString()}`);
      }
    }
    const { messages, windowSeconds, guestMessagesPerNetwork } = this.deps.rateLimit;
    for (const [subject, allowed] of subjects.map((subject, index) => [subject, index === 0 ? messages : guestMessagesPerNetwork] as const)) {
      const limit = await consume(this.deps.rateLimiter, `chat:${roomId}:${subject}`, allowed, windowSeconds);
      if (!limit.allowed) throw tooManyRequests('You are sending messages too fast', limit.retryAfterSeconds);
    }

    const row = {
      room_id: roomId,
      user_id: viewer.kind === 'user' ? viewer.user.id : null,
      guest_name: viewer.kind === 'guest' ? viewer.guestName : null,
      username: viewer.kind === 'user' ? viewer.user.username : viewer.guestName,
      message,
      created_at: now,
      deleted_at: null,
      badges: formatBadges(await this.deps.rooms.chatBadges(viewer, room)),
      guest_network: network,
    };
    const id = await this.writes.submit(row);
    const data = mapUserMessage({ ...row, id });
    await this.deps.eventBus.publish({ type: 'chat_user_message', room_id: roomId, data });
    return data;
  }
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
