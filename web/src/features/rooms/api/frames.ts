/**
 * Frames of `/ws/chat/:room_id`, generated from the server's frame schemas like every other wire
 * type; only the names the room code uses are given here.
 */
import type { components } from '../../../shared/api/schema.gen.ts';

type Schemas = components['schemas'];

export type ServerFrame = Schemas['ServerFrame'];
export type LiveLineOp = Schemas['LiveMessageData']['op'];
/**
 * A transcript line as frames carry it: a history item without the chat tool's own timestamp, and
 * without live_message_html (for legacy clients: this app renders live_message itself).
 */
export type LiveLine = Omit<Schemas['LiveMessageData'], 'op' | 'live_message_html'>;
/** The AI reply so far at a floor, never stored. */
export type LiveTyping = Schemas['LiveTypingData'];
