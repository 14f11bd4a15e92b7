/** The chat feature's wire shapes: requests and answers of its routes, defined once. */
import { Type, type Static } from 'typebox';
import { DbInteger, Id, Text } from '../http/schemas.js';
import { TranscriptLineFields, UserMessage } from '../realtime/index.js';
import { MAX_FLOOR } from './sillytavern.js';
import { MAX_TYPING_CHARS, TYPING_FLOORS_AHEAD } from './typing.js';

export const DEFAULT_LIVE_HISTORY = 200;
export const MAX_LIVE_HISTORY = 500;
export const MAX_MUTE_MINUTES = 365 * 24 * 60;

const ServerTime = Type.Integer({
  description: 'Server time (ms) just before the page was read; pass it as changed_since when opening the room WebSocket',
});

/** A transcript line in a history page. */
export const TranscriptItem = Type.Object(
  {
    ...TranscriptLineFields,
    original_send_date: Type.Union([Type.String(), Type.Null()], { description: "The chat tool's own stamp, verbatim" }),
  },
  { $id: 'TranscriptItem' },
);
export type TranscriptItem = Static<typeof TranscriptItem>;

export const LiveChatHistory = Type.Object(
  {
    uid: Type.String(),
    username: Type.String(),
    room_id: Type.String(),
    room_name: Type.String(),
    chat_info: Type.Array(TranscriptItem),
    has_more: Type.Boolean({ description: 'Older messages exist: page back with before_floor = chat_info[0].floor' }),
    server_time: ServerTime,
  },
  { $id: 'LiveChatHistory' },
);
export type LiveChatHistory = Static<typeof LiveChatHistory>;

export const UserChatHistory = Type.Object(
  {
    room_id: Type.String(),
    room_name: Type.String(),
    uid: Type.String({ description: "The anchor's user id" }),
    username: Type.String({ description: 'The character name' }),
    chat_info: Type.Array(UserMessage),
    server_time: ServerTime,
  },
  { $id: 'UserChatHistory' },
);
export type UserChatHistory = Static<typeof UserChatHistory>;

export const PostedUserMessage = Type.Object(
  { id: Type.Integer(), send_date: Type.String({ format: 'date-time' }) },
  { $id: 'PostedUserMessage' },
);

export const IngestResult = Type.Object(
  {
    received: Type.Integer(),
    added: Type.Integer(),
    replaced: Type.Integer(),
    unchanged: Type.Integer(),
    deleted: Type.Integer(),
    last_floor: Type.Integer({ description: 'Highest floor in the room after the post, -1 when empty' }),
  },
  { $id: 'IngestResult' },
);
export type IngestResult = Static<typeof IngestResult>;

export const MuteResult = Type.Object(
  { muted_until: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) },
  { $id: 'MuteResult' },
);
export type MuteResult = Static<typeof MuteResult>;

export const Deleted = Type.Object({ deleted: Type.Boolean() });

// ---- requests ------------------------------------------------------------------------------------

export const RoomParams = Type.Object({ room_id: Id() });
export const FloorParams = Type.Object({ ...RoomParams.properties, floor: DbInteger({ minimum: 0 }) });
export const UserMessageParams = Type.Object({ ...RoomParams.properties, id: DbInteger({ minimum: 1 }) });

/** One SillyTavern message, {"messages":[...]}, or (as text) a whole .jsonl chat file. */
export const LiveMessagesBody = Type.Union([Type.Object({}, { additionalProperties: true }), Type.String()]);

export const TypingBody = Type.Object({
  floor: Type.Integer({
    minimum: 0,
    maximum: MAX_FLOOR,
    description: `The floor being generated: at most ${TYPING_FLOORS_AHEAD} past the chat's next floor`,
  }),
  text: Type.String({ description: `The reply so far (cumulative), <= ${MAX_TYPING_CHARS} characters` }),
  done: Type.Optional(Type.Boolean({ description: 'true: the generation ended or was stopped' })),
});

export const TypingResult = Type.Object(
  { floor: Type.Integer(), done: Type.Boolean() },
  { $id: 'TypingResult' },
);

export const MuteBody = Type.Object({
  uid: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  guest_name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  minutes: Type.Integer({ minimum: 0, maximum: MAX_MUTE_MINUTES }),
});
export type MuteTarget = Omit<Static<typeof MuteBody>, 'minutes'>;

export const LiveHistoryParams = {
  room_id: Type.String({ maxLength: 64 }),
  before_floor: DbInteger({ minimum: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: MAX_LIVE_HISTORY }),
};
export const UserHistoryParams = { room_id: Type.String({ maxLength: 64 }) };

export const SaveUserMessageBody = Type.Object({
  room_id: Type.String({ minLength: 1, maxLength: 64 }),
  room_name: Type.Optional(Type.String({ description: 'Ignored' })),
  username: Type.Optional(Type.String({ description: 'Ignored: the sender is the session user or guest' })),
  uid: Type.Optional(Type.String({ description: 'Ignored' })),
  user_message: Text({ maxLength: 10_000, description: '1-500 characters after trimming' }),
});
