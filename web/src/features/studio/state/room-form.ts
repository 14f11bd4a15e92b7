/** The room form's values and how they become the anchor API's request bodies (pure, tested). */
import type { AnchorRoom, CreateRoomBody, EditRoomBody } from '../api.ts';

export type RoomType = 0 | 1 | 2;

export interface RoomFormValues {
  characterName: string;
  roomName: string;
  title: string;
  describe: string;
  roomType: RoomType;
  /** As typed, so a half-typed number is never lost. */
  price: string;
  /** Comma-separated, as typed (Chinese commas too); the server normalises them. */
  tags: string;
}

export const EMPTY_ROOM_FORM: RoomFormValues = { characterName: '', roomName: '', title: '', describe: '', roomType: 0, price: '', tags: '' };

/** The tags the field names: split on commas (， too), blanks dropped. */
export function formTags(values: RoomFormValues): string[] {
  return values.tags
    .split(/[,，、]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

export function formFromRoom(room: AnchorRoom): RoomFormValues {
  return {
    characterName: room.character_name,
    roomName: room.room_name,
    title: room.title,
    describe: room.describe,
    roomType: (room.room_type === 1 || room.room_type === 2 ? room.room_type : 0) as RoomType,
    price: room.room_type === 0 ? '' : String(room.coin_num),
    tags: room.tags.join(', '),
  };
}

/** The price the form means: 0 for free rooms; NaN when a paid room's price is not a whole number. */
export function formPrice(values: RoomFormValues): number {
  if (values.roomType === 0) return 0;
  const text = values.price.trim();
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

export function editBody(values: RoomFormValues): EditRoomBody {
  const roomName = values.roomName.trim() || values.characterName.trim();
  return {
    ...(roomName ? { room_name: roomName } : {}),
    title: values.title.trim(),
    describe: values.describe.trim(),
    room_type: values.roomType,
    coin_num: formPrice(values),
    tags: formTags(values),
  };
}

/**
 * A room made in the console is a chat of its own: the chat stamp SillyTavern would write
 * (`2026-12-01@10h00m00s`), taken from the creation time, keeps each new room distinct.
 */
export function chatStamp(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}@${pad(now.getHours())}h${pad(now.getMinutes())}m${pad(now.getSeconds())}s`;
}

export function createBody(values: RoomFormValues, now: Date): CreateRoomBody {
  return { character_name: values.characterName.trim(), character_date: chatStamp(now), ...editBody(values) };
}
