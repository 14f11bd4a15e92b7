/**
 * Frames on the wire, both ways. A server frame is serialised once and the same bytes go to every
 * socket it is for; a client frame is parsed here into a typed ClientFrame or the error to answer.
 */
import type { LiveMessageItem } from './feed.js';
import type { ClientFrame, LiveMessageData, ServerFrame } from './schemas.js';

export function encodeFrame(frame: ServerFrame): Buffer {
  return Buffer.from(JSON.stringify(frame));
}

/**
 * The frame for sockets on the original site's path, whose pages append whatever transcript frame
 * arrives and read a viewer message's text as `message`: null for a frame they must not get (edits,
 * deletions, typing), other bytes where their dialect differs, undefined where it does not.
 */
export function encodeLegacyFrame(frame: ServerFrame): Buffer | null | undefined {
  if (frame.type === 'chat_live_message') return frame.data.op === 'add' ? undefined : null;
  // Those pages know no typing bubble; they get the finished line only.
  if (frame.type === 'chat_live_typing') return null;
  if (frame.type === 'chat_user_message') {
    return Buffer.from(JSON.stringify({ type: frame.type, data: { ...frame.data, message: frame.data.user_message } }));
  }
  return undefined;
}

/** A history line as the live event that added it, so replayed and live frames look alike. */
export function addedLine(item: LiveMessageItem): LiveMessageData {
  return {
    op: 'add',
    floor: item.floor,
    is_user: item.is_user,
    live_message: item.live_message,
    live_message_html: item.live_message_html,
    sender_name: item.sender_name,
    send_date: item.send_date,
  };
}

export type ParsedClientFrame = { frame: ClientFrame } | { error: string; message: string } | { ignored: true };

/**
 * `legacy`: the original site's pages also send each chat message they post over HTTP as
 * `{message, username}`; posting it again would double it, so such frames are ignored.
 */
export function parseClientFrame(data: Buffer, isBinary: boolean, legacy = false): ParsedClientFrame {
  if (isBinary) return { error: 'invalid_message', message: 'Only JSON text frames are accepted' };
  let message: unknown;
  try {
    message = JSON.parse(data.toString('utf8'));
  } catch {
    return { error: 'invalid_json', message: 'Frame is not valid JSON' };
  }
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  if (legacy && type === undefined && typeof (message as { message?: unknown } | null)?.message === 'string') return { ignored: true };
  if (type === 'ping') return { frame: { type } };
  if (type === 'chat_user_message') {
    const text = (message as { user_message?: unknown }).user_message;
    if (typeof text !== 'string') return { error: 'invalid_message', message: 'user_message must be a string' };
    return { frame: { type, user_message: text } };
  }
  return { error: 'unknown_type', message: `Unknown message type ${JSON.stringify(type ?? null).slice(0, 50)}` };
}
