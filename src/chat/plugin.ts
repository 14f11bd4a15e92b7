/** The chat feature: the anchor's transcript, moderation, viewer chat and histories, as app.chat. */
import type { Kysely } from 'kysely';
import fp from 'fastify-plugin';
import { DELETED_ACCOUNT_NAME } from '../accounts/index.js';
import type { Database } from '../db/schema.js';
import type { RateLimiter } from '../infra/rate-limiter.js';
import type { EventBus } from '../realtime/index.js';
import { ChatRepository } from './repository.js';
import { chatRoutes } from './routes.js';
import { ChatService } from './service.js';

export interface ChatFeatureOptions {
  db: Kysely<Database>;
  eventBus: EventBus;
  rateLimiter: RateLimiter;
  /** Viewer chat: at most `messages` per sender per room per window. */
  rateLimit: { messages: number; windowSeconds: number; guestMessagesPerNetwork: number };
  /** Most lines of a whole-transcript history answer. */
  transcriptFullCap: number;
  clock?: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    chat: ChatService;
  }
}

export const chatFeature = fp<ChatFeatureOptions>(
  async (app, { db, ...deps }) => {
    const chat = new ChatService(db, { ...deps, rooms: app.rooms, bans: app.accounts });
    app.addHook('onClose', async () => chat.close());
    app.decorate('chat', chat);
    // A deleted account's messages stay in their rooms, anonymous (caches catch up within a second).
    app.accounts.addDeletionStep((executor, userId) => new ChatRepository(executor).renameAuthor(userId, DELETED_ACCOUNT_NAME));
    await app.register(chatRoutes, { chat });
  },
  { name: 'chat', dependencies: ['accounts', 'auth', 'api-docs', 'rooms'] },
);
