import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contractRoute, mergedParams, requireRoomId } from '../http/contract-params.js';
import { PreSerializedBodies } from '../http/pre-serialized.js';
import { okData, responses } from '../http/schemas.js';
import {
  AnchorRoomBody,
  AnchorRooms,
  AnchorRoomsQuery,
  ArchiveBody,
  ChatRoomBody,
  DeletedRoom,
  FollowBody,
  FollowedLives,
  FollowStatus,
  LiveInfo,
  LiveInfoParams,
  LivePage,
  LiveRoomsQuery,
  LiveSwitchBody,
  LiveTags,
  MAX_LIVE_LIST,
  RoomParams,
  RoomSearchQuery,
  RoomSearchResults,
  RoomSettings,
  SavedChatRoom,
} from './schemas.js';
import type { RoomsService } from './service.js';

export interface RoomsRoutesOptions {
  rooms: RoomsService;
}

export const roomsRoutes: FastifyPluginAsyncTypebox<RoomsRoutesOptions> = async (app, { rooms }) => {
  // ---- anchor side -------------------------------------------------------------------------

  app.post(
    '/api/anchor/rooms',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: 'Open the room for a chat (idempotent per anchor + character_name + character_date)',
        body: ChatRoomBody,
        response: responses(okData(SavedChatRoom), 401, 403, 409),
      },
    },
    async (request) => {
      return { code: 0 as const, data: await rooms.saveChatRoom(request.user, request.body) };
    },
  );

  app.get(
    '/api/anchor/rooms',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: "The anchor's own rooms, newest first, with live status, viewers and message counts; all without limit, else one page",
        querystring: AnchorRoomsQuery,
        response: responses(okData(AnchorRooms), 401, 403),
      },
    },
    async (request) => {
      const page = await rooms.listAnchorRooms(request.user, request.query);
      return { code: 0 as const, data: { rooms: page.rooms, next_cursor: page.nextCursor } };
    },
  );

  app.patch(
    '/api/anchor/rooms/:room_id',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: "Change a room's name, title, description, type or price",
        params: RoomParams,
        body: RoomSettings,
        response: responses(okData(AnchorRoomBody), 401, 403, 404),
      },
    },
    async (request) => {
      return { code: 0 as const, data: { room: await rooms.updateRoom(request.user, request.params.room_id, request.body) } };
    },
  );

  app.post(
    '/api/anchor/rooms/:room_id/live',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: 'Start or stop broadcasting the room',
        params: RoomParams,
        body: LiveSwitchBody,
        response: responses(okData(AnchorRoomBody), 401, 403, 404, 409),
      },
    },
    async (request) => {
      const room = await rooms.setLive(request.user, request.params.room_id, request.body.live_status === 'start');
      return { code: 0 as const, data: { room } };
    },
  );

  app.post(
    '/api/anchor/rooms/:room_id/archive',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: 'Archive a room (out of every listing, stopped, read-only; kept for its payers) or restore it',
        params: RoomParams,
        body: ArchiveBody,
        response: responses(okData(AnchorRoomBody), 401, 403, 404),
      },
    },
    async (request) => {
      return { code: 0 as const, data: { room: await rooms.setArchived(request.user, request.params.room_id, request.body.archived) } };
    },
  );

  app.delete(
    '/api/anchor/rooms/:room_id',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: 'Delete a room nobody paid into (with its transcript and chat); a room someone paid into is archived instead',
        params: RoomParams,
        response: responses(okData(DeletedRoom), 401, 403, 404),
      },
    },
    async (request) => {
      return { code: 0 as const, data: await rooms.deleteRoom(request.user, request.params.room_id) };
    },
  );

  // ---- viewer side (contract 3, 4 and follows) -------------------------------------------
  // The unpaged list is one object per snapshot build, shared by every request until the next one.
  const livePages = new PreSerializedBodies();
  app.get(
    '/api/live/get_all_lives',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['live'],
        summary: `Live rooms (contract 3): most watched first, then latest AI message (or newest first); a tag narrows them. All (max ${MAX_LIVE_LIST}) unless limit is given`,
        querystring: LiveRoomsQuery,
        response: responses(okData(LivePage), 400),
      },
    },
    async (request, reply) => {
      const { sort, tag } = request.query;
      if ((sort ?? 'popular') === 'popular' && tag === undefined) return livePages.send(reply, await rooms.liveRooms(request.query));
      return { code: 0 as const, data: await rooms.discoverLive(request.query) };
    },
  );

  app.get(
    '/api/live/tags',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['live'],
        summary: "Tags of the live rooms, most used first (the home page's tag filter)",
        response: responses(okData(LiveTags)),
      },
    },
    async () => ({ code: 0 as const, data: await rooms.liveTags() }),
  );

  app.get(
    '/api/live/search',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['live'],
        summary: 'Search rooms, live or not, by title, room or character name, anchor name and tags (Chinese or English), and/or by tag',
        querystring: RoomSearchQuery,
        response: responses(okData(RoomSearchResults), 400),
      },
    },
    async (request) => ({ code: 0 as const, data: { lives_info: await rooms.search(request.query) } }),
  );

  contractRoute(app, {
    url: '/api/live/get_live_info',
    config: { auth: 'viewer' },
    schema: {
      tags: ['live'],
      summary: "One room with the viewer's access, follow and subscription state (contract 4)",
      response: responses(okData(LiveInfo), 403, 404),
    },
    params: LiveInfoParams,
    handler: async (request) => {
      const roomId = requireRoomId(mergedParams<{ room_id: string }>(request));
      return { code: 0 as const, data: await rooms.liveInfo(request.viewer, roomId) };
    },
  });

  app.post(
    '/api/live/follow',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['live'],
        summary: 'Follow or unfollow a room (login required, idempotent)',
        body: FollowBody,
        response: responses(okData(FollowStatus), 401, 403, 404),
      },
    },
    async (request) => {
      return { code: 0 as const, data: await rooms.setFollow(request.user, request.body.room_id, request.body.follow_status) };
    },
  );

  app.get(
    '/api/live/get_followed_lives',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['live'],
        summary: 'Rooms the user follows, live or not (login required)',
        response: responses(okData(FollowedLives), 401),
      },
    },
    async (request) => {
      return { code: 0 as const, data: { lives_info: await rooms.followedRooms(request.user) } };
    },
  );
};
