/**
 * The realtime feature: the WebSocket server, the room socket route and the gateway behind it.
 * Rooms and chat come in as the gateway's own ports, so it depends on no other feature's code.
 */
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RealtimeConfig } from '../config.js';
import { notFound } from '../http/errors.js';
import type { OriginPolicy } from '../http/origin.js';
import type { EventBus } from './events.js';
import type { ChatFeed, FollowerDirectory, RoomDirectory } from './feed.js';
import { RealtimeGateway } from './gateway.js';
import type { Presence } from './presence.js';
import { realtimeRoutes } from './routes.js';
import { UserChannels } from './user-channels.js';

export interface RealtimeFeatureOptions {
  config: RealtimeConfig;
  originPolicy: OriginPolicy;
  rooms: RoomDirectory & FollowerDirectory;
  chat: ChatFeed;
  eventBus: EventBus;
  presence: Presence;
}

declare module 'fastify' {
  interface FastifyInstance {
    realtime: RealtimeGateway;
    /** The per-user notification sockets (followed rooms going live). */
    userChannels: UserChannels;
  }
}

/**
 * The one place that decides which paths accept a WebSocket upgrade: the routes that declare a
 * `wsHandler`. @fastify/websocket would otherwise upgrade a request to any GET route (the web app's
 * catch-all included) and then close it; here it gets a 404 envelope before any upgrade.
 */
function refuseUpgradesOutsideSocketRoutes(app: FastifyInstance): void {
  const socketRoutes = new Set<string>();
  app.addHook('onRoute', (route) => {
    if (route.wsHandler) socketRoutes.add(route.url);
  });
  app.addHook('onRequest', async (request) => {
    if (request.ws && !socketRoutes.has(request.routeOptions.url ?? '')) {
      throw notFound('not_found', `No WebSocket endpoint at ${request.url.split('?')[0]}`);
    }
  });
}

/** Closing the app closes every socket with 1001, so clients reconnect to another instance. */
export const realtimeFeature = fp<RealtimeFeatureOptions>(
  async (app, { config, originPolicy, rooms, chat, eventBus, presence }) => {
    const gateway = new RealtimeGateway({ rooms, chat, eventBus, presence, config, log: app.log });
    const userChannels = new UserChannels({ followers: rooms, eventBus, config, log: app.log });
    await app.register(websocket, {
      // Deflate costs CPU and memory per socket for little gain on short chat frames.
      options: { maxPayload: config.maxPayloadBytes, perMessageDeflate: false, clientTracking: false },
      preClose: async () => {
        await Promise.all([gateway.close(), userChannels.close()]);
      },
    });
    app.decorate('realtime', gateway);
    app.decorate('userChannels', userChannels);
    refuseUpgradesOutsideSocketRoutes(app);
    await app.register(realtimeRoutes, { gateway, userChannels, originPolicy });
  },
  { name: 'realtime', dependencies: ['auth', 'api-docs'] },
);
