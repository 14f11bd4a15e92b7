/**
 * `GET /ws/chat/:room_id`: the viewer WebSocket (protocol in the route description and README), and
 * the same room on the original site's path for its pages (legacy client support).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { AppError, forbidden, tooManyRequests } from '../http/errors.js';
import { isSameSiteOrigin, type OriginPolicy } from '../http/origin.js';
import type { RealtimeGateway } from './gateway.js';
import { REPLAY_LIMIT } from './room-hub.js';
import { LegacyRoomSocketParams, NotificationFrame, RealtimeFrame, RoomSocketParams, RoomSocketQuery } from './schemas.js';
import type { UserChannels } from './user-channels.js';

/** Every WebSocket path the server serves: the room socket, and the original site's path for the same room. */
export const ROOM_SOCKET_PATH = '/ws/chat/:room_id';
export const LEGACY_ROOM_SOCKET_PATH = '/ws/chat/:room_id/:room_name';
export const NOTIFICATIONS_SOCKET_PATH = '/ws/notifications';

export interface RealtimeRoutesOptions {
  gateway: RealtimeGateway;
  userChannels: UserChannels;
  originPolicy: OriginPolicy;
}

const PROTOCOL = `WebSocket endpoint (connect with \`Upgrade: websocket\`; a plain GET answers 426).
Identity: the session cookie, else the guest cookie. Browsers must connect from the site's own origin.

**Server → client** text frames \`{"type":...,"data":{...}}\`:
- \`hello\` first: \`{room_id, live_status, live_num, last_floor, last_user_message_id, resume_complete, server_time, heartbeat_ms}\`
  (\`server_time\`: the server's clock in ms, for \`changed_since\` on a later resume)
- \`{"type":"heartbeat"}\` when the server has sent nothing for \`heartbeat_ms\`: at least one frame arrives every
  2 × \`heartbeat_ms\`, so a longer silence means the connection is dead (reconnect and resume)
- \`chat_live_message\`: \`{op:"add"|"replace"|"delete", floor, is_user, live_message, sender_name, send_date}\`
- \`chat_user_message\`: \`{id, uid, username, user_message, send_date, badges}\`; \`chat_user_message_deleted\`: \`{id}\`
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
\`chat_user_message_deleted\` per removed viewer message ≤ M (changes are kept for 24 h). **Batch**: \`?batch=1\` (the web app's mode): a frame carries one or more events, one JSON object per line
(separated by \\n), in order; the server gathers a room's events for a few ms (REALTIME_COALESCE_MS) into one
frame under 64 KiB. Without it, one event per frame.

**Close codes**: 1001 server shutting down (reconnect), 1009 frame over 16 KiB, 4008 too slow to read
(outgoing buffer full), 4029 too many messages or connections, 4403 room not allowed (VIP),
4404 unknown room, 1011 internal error. Upgrades from a foreign Origin get 403, over the per-IP cap 429.`;

const LEGACY_PROTOCOL = `Legacy client support: the original site's pages connect here; the room name is ignored and the
room is the same as on /ws/chat/{room_id}, with these differences: \`chat_live_message\` frames are additions
only (no replace or delete), \`chat_user_message\` data also carries \`message\` (equal to \`user_message\`),
client frames \`{message, username}\` are ignored (those pages post through save_user_chat_history too), and
\`?batch\` is not offered. Everything else as on /ws/chat/{room_id}.`;

const NOTIFICATIONS_PROTOCOL = `The signed-in viewer's notification socket (one per tab; connect with \`Upgrade: websocket\`,
session cookie required: guests get 401). It carries what concerns the viewer wherever they are on the site.

**Server → client** text frames \`{"type":...,"data":{...}}\`:
- \`hello\` first: \`{uid, heartbeat_ms}\` (from here on nothing is missed while connected)
- \`followed_live\`: \`{room_id, room_name, title, character_name, uid, username, went_live_at}\`: a room the viewer
  follows went live. Sent to every open socket of the viewer, on any instance, once per go-live: a room switched
  on again within GO_LIVE_NOTIFY_COOLDOWN_MINUTES of its last notice sends none
- \`{"type":"heartbeat"}\` after \`heartbeat_ms\` of silence; \`{"type":"pong"}\` answering any client frame

**Client → server**: \`{"type":"ping"}\` (optional). **Close codes**: 1001 server shutting down (reconnect),
4029 too many sockets for this user or too many messages.`;

export const realtimeRoutes: FastifyPluginAsyncTypebox<RealtimeRoutesOptions> = async (app, options) => {
  const { gateway, userChannels, originPolicy } = options;

  const upgradeResponses = {
    101: RealtimeFrame,
    400: { $ref: 'ErrorBody#' },
    403: { $ref: 'ErrorBody#' },
    426: { $ref: 'ErrorBody#' },
    429: { $ref: 'ErrorBody#' },
    503: { $ref: 'ErrorBody#' },
  };
  const preValidation = async (request: FastifyRequest) => {
    const origin = request.headers.origin;
    // No Origin means a non-browser client, which cannot be used for cross-site hijacking.
    if (typeof origin === 'string' && origin !== '' && !isSameSiteOrigin(origin, request, originPolicy)) {
      throw forbidden('cross_site_request', 'WebSocket connections from other sites are not allowed');
    }
    if (gateway.isClosing) throw new AppError(503, 'shutting_down', 'Server is shutting down, reconnect');
    if (!gateway.hasRoomForIp(request.ip)) {
      throw tooManyRequests('Too many connections from this address', 10);
    }
  };
  const handler = async () => {
    throw new AppError(426, 'upgrade_required', 'Connect to this endpoint with a WebSocket client');
  };
  /*
   * A socket lives for hours, thousands per instance: it must not keep its upgrade request alive (a
   * few KiB each with its response, headers and logger). The response answers nothing (the upgrade
   * writes its own 101), so it lets go of the socket now; and @fastify/websocket's error listener,
   * which holds the request, gives way to one function shared by every socket (same effect: logged,
   * then terminated).
   */
  const releaseUpgradeResponse = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.ws) reply.raw.detachSocket(request.raw.socket);
  };
  const onSocketError = function (this: WebSocket, err: Error) {
    app.log.warn({ err }, 'websocket error');
    this.terminate();
  };
  const releaseUpgradeRequest = (socket: WebSocket) => {
    socket.removeAllListeners('error');
    socket.on('error', onSocketError);
  };

  for (const legacy of [false, true]) {
    app.route({
      method: 'GET',
      url: legacy ? LEGACY_ROOM_SOCKET_PATH : ROOM_SOCKET_PATH,
      // Resolved before the upgrade, so the socket handler can attach its listeners synchronously.
      config: { auth: 'viewer' },
      schema: {
        tags: ['realtime'],
        summary: legacy
          ? "Legacy client support: the room WebSocket on the original site's path"
          : 'Live room WebSocket: transcript, viewer chat, live_num',
        description: legacy ? LEGACY_PROTOCOL : PROTOCOL,
        params: legacy ? LegacyRoomSocketParams : RoomSocketParams,
        querystring: RoomSocketQuery,
        response: upgradeResponses,
      },
      preValidation,
      preHandler: releaseUpgradeResponse,
      handler,
      wsHandler: (socket, request) => {
        releaseUpgradeRequest(socket);
        gateway.accept(socket, {
          roomId: request.params.room_id,
          viewer: request.viewer,
          ip: request.ip,
          batch: !legacy && request.query.batch === 1,
          afterFloor: request.query.after_floor,
          afterUserMessageId: request.query.after_user_message_id,
          changedSince: request.query.changed_since,
          legacy,
        });
      },
    });
  }

  app.route({
    method: 'GET',
    url: NOTIFICATIONS_SOCKET_PATH,
    config: { auth: 'user' },
    schema: {
      tags: ['realtime'],
      summary: "Notification WebSocket: the signed-in viewer's followed rooms going live",
      description: NOTIFICATIONS_PROTOCOL,
      response: {
        101: NotificationFrame,
        401: { $ref: 'ErrorBody#' },
        403: { $ref: 'ErrorBody#' },
        426: { $ref: 'ErrorBody#' },
        429: { $ref: 'ErrorBody#' },
        503: { $ref: 'ErrorBody#' },
      },
    },
    preValidation,
    preHandler: releaseUpgradeResponse,
    handler,
    wsHandler: (socket, request) => {
      releaseUpgradeRequest(socket);
      userChannels.accept(socket, request.user.id);
    },
  });
};
