import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contractRoute, mergedParams, requireRoomId } from '../http/contract-params.js';
import { PreSerializedBodies } from '../http/pre-serialized.js';
import { okData, responses } from '../http/schemas.js';
import {
  Deleted,
  FloorParams,
  IngestResult,
  LiveChatHistory,
  LiveHistoryParams,
  LiveMessagesBody,
  MuteBody,
  MuteResult,
  PostedUserMessage,
  RoomParams,
  SaveUserMessageBody,
  TypingBody,
  TypingResult,
  UserChatHistory,
  UserHistoryParams,
  UserMessageParams,
} from './schemas.js';
import type { ChatService } from './service.js';
import { MAX_BATCH_MESSAGES, MAX_CHAT_FILE_BYTES, MAX_MESSAGE_CHARS, parseChatFile, parseMessageBody } from './sillytavern.js';

const CHAT_FILE_TYPES = ['application/x-ndjson', 'application/jsonl'];

export interface ChatRoutesOptions {
  chat: ChatService;
}

export const chatRoutes: FastifyPluginAsyncTypebox<ChatRoutesOptions> = async (app, { chat }) => {
  // A whole chat file arrives as ndjson text; it is parsed (and its lines checked) by the service layer.
  app.addContentTypeParser(CHAT_FILE_TYPES, { parseAs: 'string', bodyLimit: MAX_CHAT_FILE_BYTES }, (_request, body, done) => {
    done(null, body);
  });

  // ---- anchor side -------------------------------------------------------------------------

  app.post(
    '/api/anchor/rooms/:room_id/messages',
    {
      bodyLimit: MAX_CHAT_FILE_BYTES,
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: 'Post chat messages in SillyTavern\'s format: one object, {"messages":[...]} or a whole chat file',
        description:
          `JSON: one message {"name","is_user","is_system"?,"send_date"?,"mes","extra"?,"swipes"?,"floor"?} or ` +
          `{"messages":[...]} (<= ${MAX_BATCH_MESSAGES}). application/x-ndjson: a whole SillyTavern .jsonl chat ` +
          `(header line, then one message per line; floor = line index; <= 5 MB); floors past its end are removed. ` +
          `A message with a floor replaces that floor (edit or swipe); without one it is appended. ` +
          `mes <= ${MAX_MESSAGE_CHARS} characters. A malformed line rejects the whole file (error.line).`,
        params: RoomParams,
        body: LiveMessagesBody,
        response: responses(okData(IngestResult), 401, 403, 404, 409, 413),
      },
    },
    async (request) => {
      const { room_id: roomId } = request.params;
      const result =
        typeof request.body === 'string'
          ? await chat.transcript.importChatFile(request.user, roomId, await parseChatFile(request.body))
          : await chat.transcript.postLiveMessages(request.user, roomId, parseMessageBody(request.body));
      return { code: 0 as const, data: result };
    },
  );

  app.post(
    '/api/anchor/rooms/:room_id/typing',
    {
      // Cumulative text of up to MAX_TYPING_CHARS characters, JSON-escaped.
      bodyLimit: 256 * 1024,
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: 'The AI reply so far for a floor, shown to viewers as it grows (chat_live_typing); never stored',
        description:
          'Send the cumulative text a few times a second while the reply streams, and done:true when the generation ' +
          'ends or stops; then post the final line to /messages. Too many updates per room per second: 429.',
        params: RoomParams,
        body: TypingBody,
        response: responses(okData(TypingResult), 401, 403, 404, 409, 413, 429),
      },
    },
    async (request) => {
      const data = await chat.typing.update(request.user, request.params.room_id, request.body);
      return { code: 0 as const, data: { floor: data.floor, done: data.done } };
    },
  );

  app.delete(
    '/api/anchor/rooms/:room_id/messages/:floor',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: 'Remove one transcript message',
        params: FloorParams,
        response: responses(okData(Deleted), 401, 403, 404, 409),
      },
    },
    async (request) => {
      await chat.transcript.deleteLiveMessage(request.user, request.params.room_id, request.params.floor);
      return { code: 0 as const, data: { deleted: true } };
    },
  );

  app.post(
    '/api/anchor/rooms/:room_id/mute',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: 'Mute a viewer (uid) or guest (guest_name) in the room; minutes 0 lifts the mute',
        params: RoomParams,
        body: MuteBody,
        response: responses(okData(MuteResult), 401, 403, 404),
      },
    },
    async (request) => {
      const { minutes, ...target } = request.body;
      return { code: 0 as const, data: await chat.moderation.mute(request.user, request.params.room_id, target, minutes) };
    },
  );

  app.delete(
    '/api/anchor/rooms/:room_id/user_messages/:id',
    {
      config: { auth: 'anchor' },
      schema: {
        tags: ['anchor'],
        summary: "Remove a viewer's chat message",
        params: UserMessageParams,
        response: responses(okData(Deleted), 401, 403, 404),
      },
    },
    async (request) => {
      await chat.moderation.deleteUserMessage(request.user, request.params.room_id, request.params.id);
      return { code: 0 as const, data: { deleted: true } };
    },
  );

  // ---- viewer side (contract 5, 6, 7) --------------------------------------------------------
  // The whole transcript and the latest pages come from the service's per-room caches, the same
  // object for every viewer, so each is serialised (and compressed) once per room version.
  const liveHistoryBodies = new PreSerializedBodies();
  const userHistoryBodies = new PreSerializedBodies();
  contractRoute(app, {
    url: '/api/live/get_live_chat_history',
    config: { auth: 'viewer' },
    schema: {
      tags: ['live'],
      summary: 'Anchor and AI messages (contract 5), ascending: with only room_id the whole transcript (up to TRANSCRIPT_FULL_CAP latest lines); limit and/or before_floor page (default limit 200)',
      response: responses(okData(LiveChatHistory), 403, 404),
    },
    params: LiveHistoryParams,
    handler: async (request, reply) => {
      const params = mergedParams<{ room_id: string; before_floor: number; limit: number }>(request);
      const roomId = requireRoomId(params);
      const data = await chat.history.liveChatHistory(request.viewer, roomId, { before_floor: params.before_floor, limit: params.limit });
      return liveHistoryBodies.send(reply, data);
    },
  });

  contractRoute(app, {
    url: '/api/live/get_user_chat_history',
    config: { auth: 'viewer' },
    schema: {
      tags: ['live'],
      summary: 'The last 20 viewer messages, ascending (contract 6). username is the character name',
      response: responses(okData(UserChatHistory), 403, 404),
    },
    params: UserHistoryParams,
    handler: async (request, reply) => {
      const roomId = requireRoomId(mergedParams<{ room_id: string }>(request));
      return userHistoryBodies.send(reply, await chat.history.userChatHistory(request.viewer, roomId));
    },
  });

  app.post(
    '/api/live/save_user_chat_history',
    {
      config: { auth: 'viewer' },
      schema: {
        tags: ['live'],
        summary: 'Post a viewer chat message (contract 7) as the logged-in user or the guest; the body username is ignored',
        body: SaveUserMessageBody,
        response: responses(okData(PostedUserMessage), 403, 404, 409, 429),
      },
    },
    async (request) => {
      const message = await chat.viewerChat.post(request.viewer, request.body.room_id, request.body.user_message, request.ip);
      return { code: 0 as const, data: { id: message.id, send_date: message.send_date } };
    },
  );
};
