/** The rooms feature's wire shapes: requests and answers of its routes, defined once. */
import { Type, type Static } from 'typebox';
import { Id } from '../http/schemas.js';

export const MAX_LIVE_LIST = 500;
export const ROOM_TYPE_FREE = 0;
export const MAX_SEARCH_RESULTS = 100;

const Tags = Type.Array(Type.String(), { description: 'Normalised tags (NFKC, lower case), at most 5' });

export const RoomInfo = Type.Object(
  {
    title: Type.String(),
    coin_num: Type.Integer(),
    room_type: Type.Integer({ description: '0 free, 1 VIP, 2 private' }),
    describe: Type.String(),
  },
  { $id: 'RoomInfo' },
);

const LiveListingFields = {
  room_id: Type.String(),
  room_name: Type.String(),
  uid: Type.String({ description: "The anchor's user id" }),
  username: Type.String({ description: "The anchor's name" }),
  live_num: Type.Integer({ description: 'Viewers watching now' }),
  character_name: Type.String(),
  character_date: Type.String(),
  room_info: RoomInfo,
  cover_url: Type.Union([Type.String(), Type.Null()], { description: 'Extra: the uploaded cover, 480 × 270 (WebP), or null for the generated look' }),
  avatar_url: Type.Union([Type.String(), Type.Null()], { description: "Extra: the uploaded character avatar, 96 × 96 (WebP), or null" }),
  tags: Tags,
};

/** A room in the live list. */
export const LiveListing = Type.Object(LiveListingFields, { $id: 'LiveListing' });
export type LiveListing = Static<typeof LiveListing>;

/** A followed room, which may be stopped. */
export const FollowedListing = Type.Object({ ...LiveListingFields, live_status: Type.Boolean() }, { $id: 'FollowedListing' });
export type FollowedListing = Static<typeof FollowedListing>;

export const LivePage = Type.Object(
  {
    lives_info: Type.Array(LiveListing),
    next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page; null on the last' }),
  },
  { $id: 'LivePage' },
);
export type LivePage = Static<typeof LivePage>;

export const FollowedLives = Type.Object({ lives_info: Type.Array(FollowedListing) }, { $id: 'FollowedLives' });

/** A room found by search or tag: live or not, with when it was opened. */
export const RoomSearchHit = Type.Object(
  { ...LiveListingFields, live_status: Type.Boolean(), created_at: Type.String({ format: 'date-time' }) },
  { $id: 'RoomSearchHit' },
);
export type RoomSearchHit = Static<typeof RoomSearchHit>;

export const RoomSearchResults = Type.Object(
  { lives_info: Type.Array(RoomSearchHit, { description: 'Live rooms first, then best match first' }) },
  { $id: 'RoomSearchResults' },
);
export type RoomSearchResults = Static<typeof RoomSearchResults>;

export const LiveTags = Type.Object(
  {
    tags: Type.Array(Type.Object({ tag: Type.String(), live_count: Type.Integer({ description: 'Live rooms with the tag' }) }), {
      description: 'Tags of live rooms, most used first',
    }),
  },
  { $id: 'LiveTags' },
);
export type LiveTags = Static<typeof LiveTags>;

/** The viewer's subscription to a room's anchor (get_live_info). */
export const SubscriptionInfo = Type.Object(
  {
    subscription_status: Type.Boolean(),
    amount: Type.Integer({ description: "The anchor's subscription price in diamonds" }),
    expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: "Expiry of the viewer's active subscription, or null",
    }),
  },
  { $id: 'SubscriptionInfo' },
);
export type SubscriptionInfo = Static<typeof SubscriptionInfo>;

export const LiveInfo = Type.Object(
  {
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
      cover_url: Type.Union([Type.String(), Type.Null()], { description: 'Extra: the uploaded cover, 1280 × 720 (WebP), or null for the generated look' }),
      avatar_url: Type.Union([Type.String(), Type.Null()], { description: "Extra: the uploaded character avatar, 256 × 256 (WebP), or null" }),
      tags: Tags,
      taken_down: Type.Optional(
        Type.Boolean({ description: 'true: the site\'s operators took the room down; it shows a notice instead of its chat' }),
      ),
    }),
    vip_info: Type.Object({ room_type: Type.Integer(), vip_status: Type.Boolean(), amount: Type.Integer() }),
    follow_info: Type.Object({ follow_status: Type.Boolean() }),
    subscription_info: SubscriptionInfo,
  },
  { $id: 'LiveInfo' },
);
export type LiveInfo = Static<typeof LiveInfo>;

export const FollowStatus = Type.Object({ follow_status: Type.Boolean() }, { $id: 'FollowStatus' });
export type FollowStatus = Static<typeof FollowStatus>;

/** A room as its anchor manages it. */
export const AnchorRoom = Type.Object(
  {
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
    last_activity_at: Type.String({ format: 'date-time', description: "The anchor's last activity in the room: a posted line, going live or stopping" }),
    archived: Type.Boolean({ description: 'Archived: out of every listing, read-only, open only to its anchor and those who paid into it' }),
    cover_url: Type.Union([Type.String(), Type.Null()], { description: 'Extra: the uploaded cover, 480 × 270 (WebP), or null for the generated look' }),
    avatar_url: Type.Union([Type.String(), Type.Null()], { description: "Extra: the uploaded character avatar, 96 × 96 (WebP), or null" }),
    tags: Tags,
    live_message_count: Type.Optional(Type.Integer()),
    user_message_count: Type.Optional(Type.Integer()),
    taken_down: Type.Optional(
      Type.Object(
        {
          at: Type.String({ format: 'date-time' }),
          reason: Type.String({ description: "The operators' reason" }),
        },
        { description: 'Present while the site\'s operators have taken the room down: hidden from listings, closed to viewers, cannot go live' },
      ),
    ),
  },
  { $id: 'AnchorRoom' },
);
export type AnchorRoom = Static<typeof AnchorRoom>;

export const SavedChatRoom = Type.Object({ room: AnchorRoom, created: Type.Boolean() }, { $id: 'SavedChatRoom' });
export type SavedChatRoom = Static<typeof SavedChatRoom>;

export const AnchorRooms = Type.Object({
  rooms: Type.Array(AnchorRoom),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'With limit: pass as cursor for the next page; null on the last' }),
});
export const AnchorRoomBody = Type.Object({ room: AnchorRoom });

export const ArchiveBody = Type.Object({ archived: Type.Boolean({ description: 'true archives the room, false restores it' }) });

export const DeletedRoom = Type.Object({
  outcome: Type.Union([Type.Literal('deleted'), Type.Literal('archived')], {
    description: 'deleted: nobody had paid into it, it is gone with its messages; archived: someone had, so it is kept for them',
  }),
  room: Type.Optional(AnchorRoom),
});
export type DeletedRoom = Static<typeof DeletedRoom>;

// ---- requests ------------------------------------------------------------------------------------

export const AnchorRoomsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'Page size; without it, every room' })),
  cursor: Type.Optional(Type.String({ pattern: '^\\d{1,16}_[A-Za-z0-9_-]{1,64}$', description: 'next_cursor of the previous page' })),
});

const RoomTypeField = Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)], {
  description: '0 free, 1 VIP (one-off payment of coin_num diamonds), 2 private (gated like VIP)',
});

const RoomSettingsFields = {
  room_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Defaults to the character name' })),
  title: Type.Optional(Type.String({ maxLength: 200 })),
  describe: Type.Optional(Type.String({ maxLength: 2000 })),
  room_type: Type.Optional(RoomTypeField),
  coin_num: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'Price in diamonds; > 0 unless free' })),
  tags: Type.Optional(
    Type.Array(Type.String({ maxLength: 64 }), {
      maxItems: 10,
      description: 'Replaces the tags: at most 5 after normalising (NFKC, lower case; variants count once), each at most 24 characters',
    }),
  ),
};

export const RoomSettings = Type.Object(RoomSettingsFields);
export type RoomSettings = Static<typeof RoomSettings>;

export const ChatRoomBody = Type.Object({
  character_name: Type.String({ minLength: 1, maxLength: 200 }),
  character_date: Type.String({
    minLength: 1,
    maxLength: 100,
    description: "The chat's creation stamp as the chat tool writes it, e.g. 2025-07-03@18h17m20s",
  }),
  ...RoomSettingsFields,
});
export type ChatRoomInput = Static<typeof ChatRoomBody>;

export const RoomParams = Type.Object({ room_id: Id() });

export const LiveSwitchBody = Type.Object({ live_status: Type.Union([Type.Literal('start'), Type.Literal('stop')]) });

export const LiveRoomsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIVE_LIST })),
  cursor: Type.Optional(Type.String({ maxLength: 16, description: 'next_cursor of the previous page' })),
  sort: Type.Optional(
    Type.Union([Type.Literal('popular'), Type.Literal('new')], {
      description: 'Extra: popular (default: most watched, then latest AI message) or new (newest rooms first)',
    }),
  ),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Extra: only rooms with this tag (any case or width)' })),
});

export const RoomSearchQuery = Type.Object({
  q: Type.Optional(
    Type.String({ maxLength: 100, description: 'Words or characters of the title, room or character name, or anchor name (Chinese or English)' }),
  ),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Only rooms with this tag' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SEARCH_RESULTS, default: 50 })),
});

export const LiveInfoParams = {
  room_id: Type.String({ maxLength: 64 }),
  uid: Type.String({ maxLength: 64, description: 'Accepted for compatibility; identity comes from the session' }),
};

export const FollowBody = Type.Object({ room_id: Type.String({ minLength: 1, maxLength: 64 }), follow_status: Type.Boolean() });
