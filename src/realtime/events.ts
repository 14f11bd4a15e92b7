/**
 * Domain events: what changed in a room, or in who may enter paid rooms. Services publish them
 * after their transaction commits; the realtime layer turns each room event into a WebSocket frame
 * `{"type":...,"data":...}` unchanged, and the read caches (rooms snapshot, histories, access)
 * use them to drop what changed, on every instance.
 */
import type { FollowedLiveData, RoomPayment, ServerFrame } from './schemas.js';

/** A room event viewers receive: the frame of the same type, for the room `room_id`. */
type ViewerEvent = Extract<
  ServerFrame,
  {
    type:
      | 'chat_live_message'
      | 'chat_live_typing'
      | 'chat_user_message'
      | 'chat_user_message_deleted'
      | 'live_status'
      | 'gift'
      | 'leaderboard'
      | 'room_taken_down';
  }
> & { room_id: string };

export type DomainEvent =
  | ViewerEvent
  /** Title, price, type or other listing fields changed. */
  | { type: 'room_updated'; room_id: string; data: Record<string, never> }
  /**
   * A viewer unlocked a room (`room_id`) or subscribed to an anchor (`uid` set, `room_id` null), or
   * an anchor changed their subscription price (`uid` and `room_id` null). Never sent to viewers.
   */
  | { type: 'access_changed'; room_id: string | null; data: { uid: string | null; anchor_id: string } }
  /**
   * A user's wallet balance changed (payment, recharge, operator adjustment): balance caches on
   * every instance drop their copy. Never sent to viewers.
   */
  | { type: 'balance_changed'; room_id: null; data: { uid: string } }
  /**
   * The room's leaderboard changed while nobody had the room open: caches of its board drop their
   * copy, and the board is read again only when someone asks. Never sent to viewers.
   */
  | { type: 'leaderboard_stale'; room_id: string; data: Record<string, never> }
  /** A payment into the room; delivered as a `room_payment` frame to the sockets of `owner_id` only. */
  | { type: 'room_payment'; room_id: string; owner_id: string; data: RoomPayment }
  /**
   * The room went live and its followers are to be told (once per go-live, see RoomsService):
   * delivered on the notification sockets of the room's followers, not to the room.
   */
  | { type: 'followed_live'; room_id: string; data: FollowedLiveData };

export type DomainEventHandler = (event: DomainEvent) => void;

export interface EventBus {
  publish(event: DomainEvent): Promise<void>;
  /** Returns a function that removes the handler. */
  subscribe(handler: DomainEventHandler): () => void;
  /**
   * Buses that can lose events (Redis pub/sub is at-most-once) call this after they recover, with
   * the time (ms) after which events may have been lost, so subscribers can fetch what they missed
   * from the database. Returns a function that removes the handler.
   */
  onGap?(handler: (lostSince: number) => void): () => void;
  close(): Promise<void>;
}
