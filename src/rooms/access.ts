/**
 * Who may enter a room. Rooms and chat endpoints and the WebSocket join ask this one policy; the
 * wallet feature supplies the real one (paid, subscribed). Without it only free rooms open.
 */
import type { Viewer } from '../accounts/index.js';
import type { SubscriptionInfo } from './schemas.js';

export interface RoomAccessSubject {
  id: string;
  anchor_id: string;
  room_type: number;
  coin_num: number;
}

export interface RoomAccessPolicy {
  canEnter(viewer: Viewer, room: RoomAccessSubject): Promise<boolean>;
  subscriptionInfo(viewer: Viewer, anchorId: string): Promise<SubscriptionInfo>;
  /** Whether the viewer ever paid into the room (an unlock, a gift, a subscription bought there). */
  paidInto(viewer: Viewer, roomId: string): Promise<boolean>;
  /** Stops listening for changes (the app calls it on close). */
  close?(): void;
}

/** Free rooms, and an anchor's own rooms, are open to everyone. */
export function isOpenWithoutPayment(viewer: Viewer, room: RoomAccessSubject): boolean {
  return room.room_type === 0 || (viewer.kind === 'user' && viewer.user.id === room.anchor_id);
}

export const freeRoomsOnlyPolicy: RoomAccessPolicy = {
  canEnter: async (viewer, room) => isOpenWithoutPayment(viewer, room),
  subscriptionInfo: async () => ({ subscription_status: false, amount: 0, expires_at: null }),
  paidInto: async () => false,
};
