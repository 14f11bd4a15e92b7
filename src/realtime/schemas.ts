/**
 * The room WebSocket's wire shapes: what travels in each frame, both ways. Domain events carry the
 * same data, and the HTTP histories reuse the message shapes, so a message looks alike whichever
 * way it reaches a client. Each named schema becomes a component of the OpenAPI document.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { DbInteger, Id, Millis } from '../http/schemas.js';

/** The fields of a transcript line (anchor or AI message) as viewers receive it. */
export const TranscriptLineFields = {
  is_user: Type.Boolean({ description: 'true: the anchor; false: the AI character' }),
  live_message: Type.String(),
  live_message_html: Type.String({
    description: 'Extra (legacy client support): live_message as safe HTML, everything escaped; only *italic* (<em>), "quotes" (<q>) and line breaks (<br>) formatted',
  }),
  sender_name: Type.String({ description: "The anchor's persona name, or the character name" }),
  send_date: Type.String({ format: 'date-time', description: 'When the server received it (UTC)' }),
  floor: Type.Integer({ description: "The line's 0-based position in the chat" }),
};

/** A transcript change: a line added, replaced (edit, swipe) or deleted (its text is then empty). */
export const LiveMessageData = Type.Object(
  { op: Type.Union([Type.Literal('add'), Type.Literal('replace'), Type.Literal('delete')]), ...TranscriptLineFields },
  { $id: 'LiveMessageData' },
);
export type LiveMessageData = Static<typeof LiveMessageData>;

/**
 * The AI reply as it is being generated: the whole text so far for `floor`, never stored. Viewers
 * show it where that floor goes until the real line arrives (`chat_live_message` for the floor),
 * `done` is true, or nothing came for a few seconds.
 */
export const LiveTypingData = Type.Object(
  {
    floor: Type.Integer({ description: 'The floor being generated (a new line, or an existing one being regenerated)' }),
    text: Type.String({ description: 'The reply so far, cumulative' }),
    sender_name: Type.String({ description: 'The character name' }),
    done: Type.Boolean({ description: 'true: generation ended or stopped; remove the bubble' }),
  },
  { $id: 'LiveTypingData' },
);
export type LiveTypingData = Static<typeof LiveTypingData>;

/** What set a viewer apart in a room when they wrote: its anchor, a subscriber of the anchor, a VIP who unlocked it. */
export const ChatBadge = Type.Union([Type.Literal('anchor'), Type.Literal('subscriber'), Type.Literal('vip')], { $id: 'ChatBadge' });
export type ChatBadge = Static<typeof ChatBadge>;

/** A viewer's chat message. */
export const UserMessage = Type.Object(
  {
    id: Type.Integer(),
    uid: Type.String({ description: 'Empty for guests' }),
    username: Type.String(),
    send_date: Type.String({ format: 'date-time' }),
    user_message: Type.String(),
    badges: Type.Array(ChatBadge, {
      description: "Extra: the sender's standing in the room when they wrote (its anchor, a subscriber of the anchor, a VIP who unlocked it)",
    }),
  },
  { $id: 'UserMessage' },
);
export type UserMessageData = Static<typeof UserMessage>;

/** A viewer's gift in a room, as the room sees it. */
export const GiftEvent = Type.Object(
  {
    uid: Type.String(),
    username: Type.String(),
    gift_id: Type.String(),
    count: Type.Integer(),
    diamonds: Type.Integer({ description: 'What the gifts cost together' }),
    send_date: Type.String({ format: 'date-time' }),
  },
  { $id: 'GiftEvent' },
);
export type GiftEvent = Static<typeof GiftEvent>;

/**
 * A payment into a room, as its anchor's console sees it: a VIP unlock, a gift, or a subscription
 * bought from the room. Sent only to the room owner's own sockets, never to viewers.
 */
export const RoomPayment = Type.Object(
  {
    id: Type.String({ description: 'The ledger transfer id (the same id as in the earnings entries)' }),
    type: Type.Union([Type.Literal('vip_room'), Type.Literal('gift'), Type.Literal('subscription')]),
    uid: Type.String({ description: 'The payer' }),
    username: Type.String(),
    amount: Type.Integer({ description: 'Diamonds the viewer paid' }),
    earned: Type.Integer({ description: 'Diamonds credited to the anchor (the amount less the platform fee)' }),
    gift_id: Type.Optional(Type.String()),
    count: Type.Optional(Type.Integer()),
    created_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'RoomPayment' },
);
export type RoomPayment = Static<typeof RoomPayment>;

// No $id: a schema may name a nested schema only once, and a board holds three lists of these.
export const Supporter = Type.Object({ uid: Type.String(), username: Type.String(), diamonds: Type.Integer() });
export type Supporter = Static<typeof Supporter>;

/** A room's biggest supporters: gifts, VIP unlocks and subscriptions bought in the room, in diamonds. */
export const RoomLeaderboard = Type.Object(
  {
    room_id: Type.String(),
    today: Type.Array(Supporter, { description: 'Since midnight (LEADERBOARD_UTC_OFFSET_MINUTES), most diamonds first' }),
    last_30_days: Type.Array(Supporter, { description: 'Today and the 29 days before' }),
    all_time: Type.Array(Supporter),
  },
  { $id: 'RoomLeaderboard' },
);
export type RoomLeaderboard = Static<typeof RoomLeaderboard>;

export const Hello = Type.Object(
  {
    room_id: Type.String(),
    live_status: Type.Boolean(),
    live_num: Type.Integer(),
    last_floor: Type.Integer({ description: 'Highest transcript floor now, -1 when empty' }),
    last_user_message_id: Type.Integer({ description: 'Highest viewer message id now, 0 when none' }),
    resume_complete: Type.Boolean({ description: 'false: more was missed than the resume replay carries; reload the histories' }),
    server_time: Type.Integer({ description: "The server's clock (ms) before the state was read: changed_since for a later resume" }),
    heartbeat_ms: Type.Integer({
      description: 'The server sends a heartbeat frame after this long without other frames: a longer silence than twice this means the connection is dead',
    }),
  },
  { $id: 'Hello' },
);
export type Hello = Static<typeof Hello>;

function frame<T extends string, D extends TSchema>(type: T, data: D, id: string) {
  return Type.Object({ type: Type.Literal(type), data }, { $id: id });
}

export const HelloFrame = frame('hello', Hello, 'HelloFrame');
export const ChatLiveMessageFrame = frame('chat_live_message', LiveMessageData, 'ChatLiveMessageFrame');
export const ChatLiveTypingFrame = frame('chat_live_typing', LiveTypingData, 'ChatLiveTypingFrame');
export const ChatUserMessageFrame = frame('chat_user_message', UserMessage, 'ChatUserMessageFrame');
export const ChatUserMessageDeletedFrame = frame('chat_user_message_deleted', Type.Object({ id: Type.Integer() }), 'ChatUserMessageDeletedFrame');
export const LiveNumFrame = frame('live_num', Type.Object({ live_num: Type.Integer() }), 'LiveNumFrame');
export const LiveStatusFrame = frame('live_status', Type.Object({ live_status: Type.Boolean() }), 'LiveStatusFrame');
export const GiftFrame = frame('gift', GiftEvent, 'GiftFrame');
/** The room's leaderboard after a change (a gift, an unlock, a subscription): replaces the one shown. */
export const LeaderboardFrame = frame('leaderboard', RoomLeaderboard, 'LeaderboardFrame');
/** Owner only: a payment into the room, after it committed (see RoomPayment). */
export const RoomPaymentFrame = frame('room_payment', RoomPayment, 'RoomPaymentFrame');
/** The site's operators took the room down (true: show the notice instead of the chat) or restored it. */
export const RoomTakenDownFrame = frame('room_taken_down', Type.Object({ taken_down: Type.Boolean() }), 'RoomTakenDownFrame');
export const ErrorFrame = frame('error', Type.Object({ error: Type.String(), message: Type.String() }), 'ErrorFrame');
export const PongFrame = Type.Object({ type: Type.Literal('pong') }, { $id: 'PongFrame' });
/** Sent to a socket the server has had nothing else to say to for `heartbeat_ms` (browsers never see WebSocket pings). */
export const HeartbeatFrame = Type.Object({ type: Type.Literal('heartbeat') }, { $id: 'HeartbeatFrame' });

export const ServerFrame = Type.Union(
  [
    HelloFrame,
    ChatLiveMessageFrame,
    ChatLiveTypingFrame,
    ChatUserMessageFrame,
    ChatUserMessageDeletedFrame,
    LiveNumFrame,
    LiveStatusFrame,
    GiftFrame,
    LeaderboardFrame,
    RoomPaymentFrame,
    RoomTakenDownFrame,
    ErrorFrame,
    PongFrame,
    HeartbeatFrame,
  ],
  { $id: 'ServerFrame' },
);
export type ServerFrame = Static<typeof ServerFrame>;

export const SendUserMessageFrame = Type.Object(
  {
    type: Type.Literal('chat_user_message'),
    user_message: Type.String({ description: 'Same rules as POST /api/live/save_user_chat_history' }),
  },
  { $id: 'SendUserMessageFrame' },
);
export const PingFrame = Type.Object({ type: Type.Literal('ping') }, { $id: 'PingFrame' });

export const ClientFrame = Type.Union([SendUserMessageFrame, PingFrame], { $id: 'ClientFrame' });
export type ClientFrame = Static<typeof ClientFrame>;

/** Documents the socket's traffic: after the 101 upgrade every text frame is one of these. */
export const RealtimeFrame = Type.Union([ServerFrame, ClientFrame], {
  description: 'Each WebSocket text frame after the upgrade: a ServerFrame from the server or a ClientFrame from the client',
});

// ---- the notification socket ---------------------------------------------------------------------

/** A followed room went live. */
export const FollowedLiveData = Type.Object(
  {
    room_id: Type.String(),
    room_name: Type.String(),
    title: Type.String(),
    character_name: Type.String(),
    uid: Type.String({ description: "The anchor's user id" }),
    username: Type.String({ description: "The anchor's name" }),
    went_live_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'FollowedLiveData' },
);
export type FollowedLiveData = Static<typeof FollowedLiveData>;

export const NotificationsHelloFrame = frame(
  'hello',
  Type.Object({
    uid: Type.String(),
    heartbeat_ms: Type.Integer({ description: 'A silence longer than twice this means the connection is dead' }),
  }),
  'NotificationsHelloFrame',
);
export const FollowedLiveFrame = frame('followed_live', FollowedLiveData, 'FollowedLiveFrame');

export const NotificationFrame = Type.Union([NotificationsHelloFrame, FollowedLiveFrame, HeartbeatFrame, PongFrame], {
  $id: 'NotificationFrame',
});
export type NotificationFrame = Static<typeof NotificationFrame>;

// ---- the upgrade request -------------------------------------------------------------------------

export const RoomSocketParams = Type.Object({ room_id: Id() });
export const LegacyRoomSocketParams = Type.Object({
  ...RoomSocketParams.properties,
  room_name: Type.String({ maxLength: 200, description: 'Ignored' }),
});

export const RoomSocketQuery = Type.Object({
  after_floor: Type.Optional(DbInteger({ minimum: -1, description: 'resume: last transcript floor seen' })),
  after_user_message_id: Type.Optional(DbInteger({ minimum: 0, description: 'resume: last viewer message id seen' })),
  changed_since: Type.Optional(
    Millis({ description: 'resume: also replay edits and deletions made at or after this server time (ms)' }),
  ),
  batch: Type.Optional(Type.Integer({ minimum: 0, maximum: 1, description: '1: newline-delimited batches' })),
});
