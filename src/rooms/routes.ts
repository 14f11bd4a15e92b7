import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RequestAuth } from '../accounts/index.js';
import { CONTRACT_METHODS, contractParams, mergedParams, requireRoomId } from '../http/contract-params.js';
import { PreSerializedBodies } from '../http/pre-serialized.js';
import { okData, responses } from '../http/schemas.js';
import { MAX_LIVE_LIST, type RoomsService } from './service.js';

const RoomInfo = Type.Object({
  title: Type.String(),
  coin_num: Type.Integer(),
  room_type: Type.Integer(),
  describe: Type.String(),
});

const LiveListing = Type.Object({
  room_id: Type.String(),
  room_name: Type.String(),
  uid: Type.String({ description: "The anchor's user id" }),
  username: Type.String({ description: "The anchor's name" }),
  live_num: Type.Integer({ description: 'Viewers watching now' }),
  character_name: Type.String(),
  character_date: Type.String(),
  room_info: RoomInfo,
});

const FollowedListing = Type.Object({ ...LiveListing.properties, live_status: Type.Boolean() });

const AnchorRoom = Type.Object({
  room_id: Type.String(),
  room_name: Type.String(),
  uid: Type.String(),
  username: Type.String(),
  character_name: Type.String(),
  character_date: Type.String(),
  title: Type.String(),
  describe: Type.String(),
  room_type: Type.Integer(),
  coin_num: Type.Integer(),
  live_status: Type.Boolean(),
  live_num: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
  live_message_count: Type.Optional(Type.Integer()),
  user_message_count: Type.Optional(Type.Integer()),
});

const RoomTypeField = Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)], {
  description: '0 free, 1 VIP (one-off payment of coin_num diamonds), 2 private (gated like VIP)',
});
const RoomSettings = {
  room_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Defaults to the character name' })),
  title: Type.Optional(Type.String({ maxLength: 200 })),
  describe: Type.Optional(Type.String({ maxLength: 2000 })),
  room_type: Type.Optional(RoomTypeField),
  coin_num: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'Price in diamonds; > 0 unless free' })),
};
const ChatRoomBody = Type.Object({
  character_name: Type.String({ minLength: 1, maxLength: 200 }),
  character_date: Type.String({
    minLength: 1,
    maxLength: 100,
    description: "The chat's creation stamp as the chat tool writes it, e.g. 2025-07-03@18h17m20s",
  }),
  ...RoomSettings,
});
const RoomParams = Type.Object({ room_id: Type.String({ minLength: 1, maxLength: 64 }) });
const RoomBody = okData(Type.Object({ room: AnchorRoom }));

const LiveInfo = Type.Object({
  live_info: Type.Object({
    room_id: Type.String(),
    room_name: Type.String(),
    uid: Type.String(),
    username: Type.String(),
    live_num: Type.Integer(),
    character_name: Type.String(),
    live_status: Type.Boolean(),
    title: Type.String(),
    describe: Type.String(),
  }),
  vip_info: Type.Object({ room_type: Type.Integer(), vip_status: Type.Boolean(), amount: Type.Integer() }),
  follow_info: Type.Object({ follow_status: Type.Boolean() }),
  subscription_info: Type.Object({
    subscription_status: Type.Boolean(),
    amount: Type.Integer(),
    expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  }),
});

export interface RoomsRoutesOptions {
  rooms: RoomsService;
  auth: RequestAuth;
}

export const roomsRoutes: FastifyPluginAsyncTypebox<RoomsRoutesOptions> = async (app, { rooms, auth }) => {
  // ---- anchor side -------------------------------------------------------------------------
  const anchorSecurity = [{ anchorToken: [] }];

  app.post(
    '/api/anchor/rooms',
    {
      schema: {
        tags: ['anchor'],
        summary: 'Open the room for a chat (idempotent per anchor + character_name + character_date)',
        security: anchorSecurity,
        body: ChatRoomBody,
        response: responses(okData(Type.Object({ room: AnchorRoom, created: Type.Boolean() })), 401, 403),
      },
    },
    async (request) => {
      const anchor = await auth.requireAnchor(request);
      return { code: 0 as const, data: await rooms.saveChatRoom(anchor, request.body) };
    },
  );

  app.get(
    '/api/anchor/rooms',
    {
      schema: {
        tags: ['anchor'],
        summary: "The anchor's own rooms with live status, viewers and message counts",
        security: anchorSecurity,
        response: responses(okData(Type.Object({ rooms: Type.Array(AnchorRoom) })), 401, 403),
      },
    },
    async (request) => {
      const anchor = await auth.requireAnchor(request);
      return { code: 0 as const, data: { rooms: await rooms.listAnchorRooms(anchor) } };
    },
  );

  app.patch(
    '/api/anchor/rooms/:room_id',
    {
      schema: {
        tags: ['anchor'],
        summary: "Change a room's name, title, description, type or price",
        security: anchorSecurity,
        params: RoomParams,
        body: Type.Object(RoomSettings),
        response: responses(RoomBody, 401, 403, 404),
      },
    },
    async (request) => {
      const anchor = await auth.requireAnchor(request);
      return { code: 0 as const, data: { room: await rooms.updateRoom(anchor, request.params.room_id, request.body) } };
    },
  );

  app.post(
    '/api/anchor/rooms/:room_id/live',
    {
      schema: {
        tags: ['anchor'],
        summary: 'Start or stop broadcasting the room',
        security: anchorSecurity,
        params: RoomParams,
        body: Type.Object({ live_status: Type.Union([Type.Literal('start'), Type.Literal('stop')]) }),
        response: responses(RoomBody, 401, 403, 404),
      },
    },
    async (request) => {
      const anchor = await auth.requireAnchor(request);
      const room = await rooms.setLive(anchor, request.params.room_id, request.body.live_status === 'start');
      return { code: 0 as const, data: { room } };
    },
  );

  // ---- viewer side (contract 3, 4 and follows) -------------------------------------------
  // The unpaged list is one object per snapshot build, shared by every request until the next one.
  const livePages = new PreSerializedBodies();
  app.get(
    '/api/live/get_all_lives',
    {
      schema: {
        tags: ['live'],
        summary: `Live rooms (contract 3): most watched first, then latest AI message. All (max ${MAX_LIVE_LIST}) unless limit is given`,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIVE_LIST })),
          cursor: Type.Optional(Type.String({ maxLength: 16, description: 'next_cursor of the previous page' })),
        }),
        response: responses(
          okData(Type.Object({ lives_info: Type.Array(LiveListing), next_cursor: Type.Union([Type.String(), Type.Null()]) })),
        ),
      },
    },
    async (request, reply) => livePages.send(reply, await rooms.liveRooms(request.query)),
  );

  const liveInfoFields = {
    room_id: Type.String({ maxLength: 64 }),
    uid: Type.String({ maxLength: 64, description: 'Accepted for compatibility; identity comes from the session' }),
  };
  for (const method of CONTRACT_METHODS) {
    app.route({
      method,
      url: '/api/live/get_live_info',
      schema: {
        tags: ['live'],
        summary: 'One room with the viewer\'s access, follow and subscription state (contract 4)',
        ...contractParams(liveInfoFields, method),
        response: responses(okData(LiveInfo), 403, 404),
      },
      handler: async (request, reply) => {
        const roomId = requireRoomId(mergedParams<{ room_id: string }>(request));
        const viewer = await auth.viewer(request, reply);
        return { code: 0 as const, data: await rooms.liveInfo(viewer, roomId) };
      },
    });
  }

  app.post(
    '/api/live/follow',
    {
      schema: {
        tags: ['live'],
        summary: 'Follow or unfollow a room (login required, idempotent)',
        body: Type.Object({ room_id: Type.String({ minLength: 1, maxLength: 64 }), follow_status: Type.Boolean() }),
        response: responses(okData(Type.Object({ follow_status: Type.Boolean() })), 401, 403, 404),
      },
    },
    async (request, reply) => {
      const user = await auth.requireUser(request, reply);
      return { code: 0 as const, data: await rooms.setFollow(user, request.body.room_id, request.body.follow_status) };
    },
  );

  app.get(
    '/api/live/get_followed_lives',
    {
      schema: {
        tags: ['live'],
        summary: 'Rooms the user follows, live or not (login required)',
        response: responses(okData(Type.Object({ lives_info: Type.Array(FollowedListing) })), 401),
      },
    },
    async (request, reply) => {
      const user = await auth.requireUser(request, reply);
      return { code: 0 as const, data: { lives_info: await rooms.followedRooms(user) } };
    },
  );
};
