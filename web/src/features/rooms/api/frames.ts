/**
 * Frames the server sends on `/ws/chat/:room_id`, as its `/docs` description lists them. Written by
 * hand only because the OpenAPI document does not describe WebSocket frames yet; the payloads reuse
 * the generated types of the same messages over HTTP.
 */
import type { LiveMessage } from './get-live-chat-history.ts';
import type { UserMessage } from './get-user-chat-history.ts';

/** A transcript line as frames carry it: a history item without the chat tool's own timestamp. */
export type LiveLine = Omit<LiveMessage, 'original_send_date'>;
export type LiveLineOp = 'add' | 'replace' | 'delete';

export type ServerFrame =
  | {
      type: 'hello';
      data: {
        room_id: string;
        live_status: boolean;
        live_num: number;
        last_floor: number;
        last_user_message_id: number;
        /** false: more was missed than the resume carried; reload the histories. */
        resume_complete: boolean;
        /** The server's clock (ms), for `changed_since` on the next resume. */
        server_time: number;
        /** The server sends a frame at least every 2 × this (ms); absent on older servers. */
        heartbeat_ms?: number;
      };
    }
  | { type: 'chat_live_message'; data: LiveLine & { op: LiveLineOp } }
  | { type: 'chat_user_message'; data: UserMessage }
  | { type: 'chat_user_message_deleted'; data: { id: number } }
  | { type: 'live_num'; data: { live_num: number } }
  | { type: 'live_status'; data: { live_status: boolean } }
  | { type: 'error'; data: { error: string; message: string } }
  | { type: 'pong' }
  /** Sent when the server had nothing else to say for heartbeat_ms: the connection is alive. */
  | { type: 'heartbeat' };
