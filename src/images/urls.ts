/** Where each encoded size of a stored image is served: immutable, since the key is a hash of the upload. */
export const imageUrl = (imageKey: string, variant: string) => `/media/${imageKey}/${variant}.webp`;

/** A room's images at the size a list or card shows (`small`) or a page header shows; null without one. */
export function roomImageUrls(room: { cover_image: string | null; avatar_image: string | null }, size: 'small' | 'large') {
  return {
    cover_url: room.cover_image === null ? null : imageUrl(room.cover_image, size === 'small' ? 'cover-480' : 'cover-1280'),
    avatar_url: room.avatar_image === null ? null : imageUrl(room.avatar_image, size === 'small' ? 'avatar-96' : 'avatar-256'),
  };
}
