/** Room rows to what the rest of the server and the wire see. */
import { roomImageUrls } from '../images/index.js';
import type { RoomRecord } from './repository.js';
import { ROOM_TYPE_FREE, type AnchorRoom, type LiveInfo, type LiveListing, type SubscriptionInfo } from './schemas.js';
import type { RoomView } from './service.js';
import { splitTags } from './tags.js';

/** `live`: the anchor's switch with the idle rule applied. */
export function mapRoomView(row: RoomRecord, live: boolean): RoomView {
  return {
    id: row.id,
    room_id: row.id,
    anchor_id: row.anchor_id,
    anchor_username: row.anchor_username,
    room_name: row.room_name,
    character_name: row.character_name,
    character_date: row.character_date,
    title: row.title,
    describe: row.description,
    tags: splitTags(row.tags),
    room_type: row.room_type,
    coin_num: row.coin_num,
    live_status: live,
    live_switched_on: row.live_status === 1,
    last_activity_at: row.last_activity_at,
    last_ai_message_at: row.last_ai_message_at,
    created_at: row.created_at,
    archived: row.archived_at !== null,
    cover_image: row.cover_image,
    avatar_image: row.avatar_image,
    taken_down: row.taken_down_at === null ? null : { at: Number(row.taken_down_at), reason: row.takedown_reason ?? '' },
  };
}

export function mapAnchorRoom(room: RoomView, liveNum: number): AnchorRoom {
  return {
    room_id: room.room_id,
    room_name: room.room_name,
    uid: room.anchor_id,
    username: room.anchor_username,
    character_name: room.character_name,
    character_date: room.character_date,
    title: room.title,
    describe: room.describe,
    room_type: room.room_type,
    coin_num: room.coin_num,
    live_status: room.live_status,
    live_num: liveNum,
    created_at: new Date(room.created_at).toISOString(),
    last_activity_at: new Date(room.last_activity_at).toISOString(),
    archived: room.archived,
    ...roomImageUrls(room, 'small'),
    tags: room.tags,
    ...(room.taken_down ? { taken_down: { at: new Date(room.taken_down.at).toISOString(), reason: room.taken_down.reason } } : {}),
  };
}

export function mapListing(room: RoomRecord, liveNum: number): LiveListing {
  return {
    room_id: room.id,
    room_name: room.room_name,
    uid: room.anchor_id,
    username: room.anchor_username,
    live_num: liveNum,
    character_name: room.character_name,
    character_date: room.character_date,
    room_info: { title: room.title, coin_num: room.coin_num, room_type: room.room_type, describe: room.description },
    ...roomImageUrls(room, 'small'),
    tags: splitTags(room.tags),
  };
}

/** The viewer's view of one room (get_live_info): the room, and their access, follow and subscription. */
export function mapLiveInfo(
  room: RoomView,
  viewer: { liveNum: number; vipStatus: boolean; following: boolean; subscription: SubscriptionInfo },
): LiveInfo {
  return {
    live_info: {
      room_id: room.room_id,
      room_name: room.room_name,
      uid: room.anchor_id,
      username: room.anchor_username,
      live_num: viewer.liveNum,
      character_name: room.character_name,
      live_status: room.live_status,
      title: room.title,
      describe: room.describe,
      ...roomImageUrls(room, 'large'),
      tags: room.tags,
      ...(room.taken_down ? { taken_down: true } : {}),
    },
    vip_info: {
      room_type: room.room_type,
      vip_status: viewer.vipStatus,
      amount: room.room_type === ROOM_TYPE_FREE ? 0 : room.coin_num,
    },
    follow_info: { follow_status: viewer.following },
    subscription_info: {
      subscription_status: viewer.subscription.subscription_status,
      amount: viewer.subscription.amount,
      expires_at: viewer.subscription.expires_at,
    },
  };
}
