/** The images feature's wire shapes. */
import { Type } from 'typebox';
import { Id } from '../http/schemas.js';

/** Room images and the fixed sizes each upload is encoded to (WebP, metadata stripped). */
export const IMAGE_KINDS = {
  cover: [
    { variant: 'cover-1280', width: 1280, height: 720 },
    { variant: 'cover-480', width: 480, height: 270 },
  ],
  avatar: [
    { variant: 'avatar-256', width: 256, height: 256 },
    { variant: 'avatar-96', width: 96, height: 96 },
  ],
} as const;
export type ImageKind = keyof typeof IMAGE_KINDS;

export const RoomImageParams = Type.Object({ room_id: Id(), kind: Type.Union([Type.Literal('cover'), Type.Literal('avatar')]) });

export const MediaParams = Type.Object({
  image_key: Type.String({ pattern: '^[0-9a-f]{32}$' }),
  file: Type.String({ pattern: '^(cover-1280|cover-480|avatar-256|avatar-96)\\.webp$', description: 'The size, e.g. cover-480.webp' }),
});
