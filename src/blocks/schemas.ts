/** The blocks feature's wire shapes: requests and answers of its routes, defined once. */
import { Type, type Static } from 'typebox';

export const BlockedViewer = Type.Object(
  {
    uid: Type.String({ description: 'The blocked user, or empty for a guest' }),
    guest_name: Type.String({ description: 'The blocked guest, or empty for a user' }),
    username: Type.String(),
    blocked_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'BlockedViewer' },
);
export type BlockedViewer = Static<typeof BlockedViewer>;

export const BlockList = Type.Object({ blocks: Type.Array(BlockedViewer, { description: 'Oldest block first' }) }, { $id: 'BlockList' });
export type BlockList = Static<typeof BlockList>;

export const BlockState = Type.Object({ blocked: Type.Boolean() }, { $id: 'BlockState' });
export type BlockState = Static<typeof BlockState>;

// ---- requests ------------------------------------------------------------------------------------

export const BlockTarget = Type.Object({
  uid: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  guest_name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export type BlockTarget = Static<typeof BlockTarget>;

export const BlockBody = Type.Object({ ...BlockTarget.properties, blocked: Type.Boolean() });
