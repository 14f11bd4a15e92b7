/** `GET /ws/chat/:room_id`: the viewer WebSocket (protocol in the route description and README). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { RequestAuth } from '../accounts/index.js';
import { AppError, forbidden, tooManyRequests } from '../http/errors.js';
import { isSameSiteOrigin, type OriginPolicy } from '../http/origin.js';
import type { Config } from '../config.js';
import type { EventBus } from './events.js';
import type { ChatFeed, RoomDirectory } from './feed.js';
import { RealtimeGateway } from './gateway.js';
import { REPLAY_LIMIT } from './room-hub.js';
import type { Presence } from './presence.js';
import { RealtimeFrame } from './schemas.js';

export interface RealtimeRoutesOptions {
  gateway: RealtimeGateway;
  auth: RequestAuth;
  originPolicy: OriginPolicy;
}

const PROTOCOL = `WebSocket endpoint (connect with \`Upgrade: websocket\`; a plain GET answers 426).
Identity: the session cookie, else the guest cookie. Browsers must connect from the site's own origin.

**Server → client** text frames \`{"type":...,"data":{...}}\`:
- \`hello\` first: \`{room_id, live_status, live_num, last_floor, last_user_message_id, resume_complete, server_time}\`
  (\`server_time\`: the server's clock in ms, for \`changed_since\` on a later resume)
- \`chat_live_message\`: \`{op:"add"|"replace"|"delete", floor, is_user, live_message, sender_name, send_date}\`
- \`chat_user_message\`: \`{id, uid, username, user_message, send_date}\`; \`chat_user_message_deleted\`: \`{id}\`
- \`live_num\`: \`{live_num}\` (at most one per room per second); \`live_status\`: \`{live_status}\`
- \`error\`: \`{error, message}\` for a rejected client frame
- \`{"type":"pong"}\` answering a ping

**Client → server**: \`{"type":"chat_user_message","user_message":"..."}\` (same rules as
POST /api/live/save_user_chat_history; the message comes back as a broadcast), \`{"type":"ping"}\`.

**Resume**: \`?after_floor=N&after_user_message_id=M\` replays what came after (at most ${REPLAY_LIMIT} of each,
\`resume_complete:false\` in hello when more was missed) right after hello, then goes live with nothing
lost or duplicated. Add \`changed_since=T\` (server ms, e.g. hello's \`server_time\` plus the time
connected, minus a few seconds) to also get what changed among what the client already held: a
\`replace\` with the current text or a \`delete\` per edited or removed floor ≤ N, and
\`chat_user_message_deleted\` per removed viewer message ≤ M (changes are kept for 24 h). **Batch**: \`?batch=1\` lets one frame carry several events separated by \\n.

**Close codes**: 1001 server shutting down (reconnect), 1009 frame over 16 KiB, 4008 too slow to read
(outgoing buffer full), 4029 too many messages or connections, 4403 room not allowed (VIP),
4404 unknown room, 1011 internal error. Upgrades from a foreign Origin get 403, over the per-IP cap 429.`;

export const realtimeRoutes: FastifyPluginAsyncTypebox<RealtimeRoutesOptions> = async (app, options) => {
  const { gateway, auth, originPolicy } = options;

  app.route({
    method: 'GET',
    url: '/ws/chat/:room_id',
    schema: {
      tags: ['realtime'],
      summary: 'Live room WebSocket: transcript, viewer chat, live_num',
      description: PROTOCOL,
      params: Type.Object({ room_id: Type.String({ minLength: 1, maxLength: 64 }) }),
      querystring: Type.Object({
        after_floor: Type.Optional(Type.Integer({ minimum: -1, description: 'resume: last transcript floor seen' })),
        after_user_message_id: Type.Optional(
          Type.Integer({ minimum: 0, description: 'resume: last viewer message id seen' }),
        ),
        changed_since: Type.Optional(
          Type.Integer({ minimum: 0, description: 'resume: also replay edits and deletions made at or after this server time (ms)' }),
        ),
        batch: Type.Optional(Type.Integer({ minimum: 0, maximum: 1, description: '1: newline-delimited batches' })),
      }),
      response: {
        101: RealtimeFrame,
        400: { $ref: 'ErrorBody#' },
        403: { $ref: 'ErrorBody#' },
        426: { $ref: 'ErrorBody#' },
        429: { $ref: 'ErrorBody#' },
        503: { $ref: 'ErrorBody#' },
      },
    },
    preValidation: async (request) => {
      const origin = request.headers.origin;
      // No Origin means a non-browser client, which cannot be used for cross-site hijacking.
      if (typeof origin === 'string' && origin !== '' && !isSameSiteOrigin(origin, request, originPolicy)) {
        throw forbidden('cross_site_request', 'WebSocket connections from other sites are not allowed');
      }
      if (gateway.isClosing) throw new AppError(503, 'shutting_down', 'Server is shutting down, reconnect');
      if (!gateway.hasRoomForIp(request.ip)) {
        throw tooManyRequests('Too many connections from this address', 10);
      }
      // Resolved before the upgrade so the socket handler can attach its listeners synchronously.
      await auth.viewer(request);
    },
    handler: async () => {
      throw new AppError(426, 'upgrade_required', 'Connect to this endpoint with a WebSocket client');
    },
    wsHandler: async (socket, request) => {
      const viewer = await auth.viewer(request);
      gateway.accept(socket, {
        roomId: request.params.room_id,
        viewer,
        ip: request.ip,
        batch: request.query.batch === 1,
        afterFloor: request.query.after_floor,
        afterUserMessageId: request.query.after_user_message_id,
        changedSince: request.query.changed_since,
      });
    },
  });
};

export interface RealtimeDependencies {
  config: Config;
  rooms: RoomDirectory;
  chat: ChatFeed;
  eventBus: EventBus;
  presence: Presence;
  auth: RequestAuth;
}

/** Registers the WebSocket server and the room endpoint; closing the app closes every socket with 1001. */
export async function installRealtime(app: FastifyInstance, deps: RealtimeDependencies): Promise<RealtimeGateway> {
  const { config } = deps;
  const gateway = new RealtimeGateway({
    rooms: deps.rooms,
    chat: deps.chat,
    eventBus: deps.eventBus,
    presence: deps.presence,
    config: config.realtime,
    log: app.log,
  });
  await app.register(websocket, {
    // Deflate costs CPU and memory per socket for little gain on short chat frames.
    options: { maxPayload: config.realtime.maxPayloadBytes, perMessageDeflate: false, clientTracking: false },
    preClose: async () => {
      await gateway.close();
    },
  });
  await app.register(realtimeRoutes, { gateway, auth: deps.auth, originPolicy: config });
  return gateway;
}
