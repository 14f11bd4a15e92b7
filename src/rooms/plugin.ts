/** The rooms feature: anchors' rooms, the live list, follows; other features reach it as app.rooms. */
import type { Kysely } from 'kysely';
import fp from 'fastify-plugin';
import type { Database } from '../db/schema.js';
import type { EventBus, Presence } from '../realtime/index.js';
import type { RoomAccessPolicy } from './access.js';
import { roomsRoutes } from './routes.js';
import { RoomsService } from './service.js';

export interface RoomsFeatureOptions {
  db: Kysely<Database>;
  eventBus: EventBus;
  presence: Presence;
  roomAccess: RoomAccessPolicy;
  liveIdleMinutes: number;
  maxRoomsPerAnchor: number;
  liveAnnouncementCooldownMinutes: number;
  clock?: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    rooms: RoomsService;
  }
}

export const roomsFeature = fp<RoomsFeatureOptions>(
  async (app, { db, ...deps }) => {
    const rooms = new RoomsService(db, { ...deps, log: app.log });
    app.addHook('onClose', async () => rooms.close());
    app.accounts.addRenameStep((executor, userId) => rooms.reindexAnchor(executor, userId));
    app.decorate('rooms', rooms);
    await app.register(roomsRoutes, { rooms });
  },
  { name: 'rooms', dependencies: ['accounts', 'auth', 'api-docs'] },
);
