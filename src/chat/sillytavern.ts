/**
 * Reading SillyTavern's chat format. A chat `.jsonl` file is a header line
 * `{"user_name","character_name","create_date","chat_metadata"}` followed by one message object per
 * line: `{"name","is_user","is_system"?,"send_date"?,"mes","extra"?,"swipes"?,...}`. Other tools can
 * post the same objects one at a time or in batches.
 */
import { badRequest } from '../http/errors.js';
import { MAX_INPUT_DEPTH, inputProblem } from '../http/input-guard.js';

export const MAX_MESSAGE_CHARS = 20_000;
export const MAX_BATCH_MESSAGES = 500;
export const MAX_CHAT_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_FLOOR = 10_000_000;
const MAX_NAME_CHARS = 200;
const MAX_SEND_DATE_CHARS = 100;
/** SillyTavern writes this while the AI reply is still streaming. */
export const STREAMING_PLACEHOLDER = '...';

export interface IncomingLiveMessage {
  /** Absent: append after the last floor. */
  floor?: number;
  is_user: boolean;
  is_system: boolean;
  sender_name: string;
  message: string;
  original_send_date: string | null;
  /** The tool's extra data (extra, swipes, swipe_id) as JSON, kept for the anchor, never shown. */
  extra: string | null;
}

export interface ChatFile {
  header: { user_name?: string; character_name?: string; create_date?: string };
  messages: IncomingLiveMessage[];
}

/** Shown to viewers: not a system note, not the streaming placeholder, not empty. */
export function isViewerVisible(message: Pick<IncomingLiveMessage, 'is_system' | 'message'>): boolean {
  return !message.is_system && message.message.trim() !== '' && message.message.trim() !== STREAMING_PLACEHOLDER;
}

/** PostgreSQL text cannot hold NUL, and no chat needs it. */
function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates one message object; throws a plain Error whose text says what is wrong. */
function readMessage(value: unknown, allowFloor: boolean): IncomingLiveMessage {
  if (!isPlainObject(value)) throw new Error('a message must be a JSON object');
  // Chat file lines skip the request validator; their `extra` is stringified (recursively) below.
  if (inputProblem(value)?.kind === 'too_deep') throw new Error(`nested deeper than ${MAX_INPUT_DEPTH} levels`);
  const { name, is_user: isUser, is_system: isSystem, mes, send_date: sendDate, floor } = value;
  if (typeof name !== 'string' || name.trim() === '') throw new Error('"name" must be a non-empty string');
  if (name.length > MAX_NAME_CHARS) throw new Error(`"name" is longer than ${MAX_NAME_CHARS} characters`);
  if (typeof isUser !== 'boolean') throw new Error('"is_user" must be true or false');
  if (isSystem !== undefined && typeof isSystem !== 'boolean') throw new Error('"is_system" must be true or false');
  if (typeof mes !== 'string') throw new Error('"mes" must be a string');
  if (mes.length > MAX_MESSAGE_CHARS) throw new Error(`"mes" is longer than ${MAX_MESSAGE_CHARS} characters`);
  let originalSendDate: string | null = null;
  if (typeof sendDate === 'string' || typeof sendDate === 'number') {
    originalSendDate = withoutNul(String(sendDate));
    if (originalSendDate.length > MAX_SEND_DATE_CHARS) throw new Error('"send_date" is too long');
  } else if (sendDate !== undefined && sendDate !== null) {
    throw new Error('"send_date" must be a string or a number');
  }
  let messageFloor: number | undefined;
  if (allowFloor && floor !== undefined && floor !== null) {
    if (typeof floor !== 'number' || !Number.isInteger(floor) || floor < 0 || floor > MAX_FLOOR) {
      throw new Error(`"floor" must be an integer from 0 to ${MAX_FLOOR}`);
    }
    messageFloor = floor;
  }
  const kept: Record<string, unknown> = {};
  for (const key of ['extra', 'swipes', 'swipe_id'] as const) if (value[key] !== undefined) kept[key] = value[key];
  return {
    ...(messageFloor === undefined ? {} : { floor: messageFloor }),
    is_user: isUser,
    is_system: isSystem === true,
    sender_name: withoutNul(name.trim()),
    message: withoutNul(mes),
    original_send_date: originalSendDate,
    extra: Object.keys(kept).length ? withoutNul(JSON.stringify(kept)) : null,
  };
}

/** A JSON body: one message object, or `{"messages":[...]}` with up to 500. */
export function parseMessageBody(body: unknown): IncomingLiveMessage[] {
  if (isPlainObject(body) && 'messages' in body) {
    const list = body.messages;
    if (!Array.isArray(list) || list.length === 0) {
      throw badRequest('invalid_message', '"messages" must be a non-empty array');
    }
    if (list.length > MAX_BATCH_MESSAGES) {
      throw badRequest('too_many_messages', `At most ${MAX_BATCH_MESSAGES} messages per request; post a chat file for more`);
    }
    return list.map((item, index) => {
      try {
        return readMessage(item, true);
      } catch (err) {
        throw badRequest('invalid_message', `messages[${index}]: ${(err as Error).message}`, { index });
      }
    });
  }
  try {
    return [readMessage(body, true)];
  } catch (err) {
    throw badRequest('invalid_message', (err as Error).message);
  }
}

/**
 * A whole chat file (ndjson). Floors are line positions: the first message line is floor 0. Any
 * malformed line rejects the whole file, naming the line (1-based, header included).
 */
export function parseChatFile(text: string): ChatFile {
  const lines = text.replace(/^\uFEFF/, '').replace(/\s+$/, '').split(/\r?\n/);
  const fail = (lineNumber: number, reason: string) =>
    badRequest('invalid_chat_line', `Line ${lineNumber}: ${reason}`, { line: lineNumber });
  const parseLine = (index: number): unknown => {
    const line = lines[index] ?? '';
    if (line.trim() === '') throw fail(index + 1, 'empty line');
    try {
      return JSON.parse(line);
    } catch {
      throw fail(index + 1, 'not valid JSON');
    }
  };

  const header = parseLine(0);
  if (!isPlainObject(header) || 'mes' in header || !('character_name' in header || 'user_name' in header || 'chat_metadata' in header)) {
    throw fail(1, 'the first line must be the chat header {"user_name","character_name","create_date","chat_metadata"}');
  }
  const headerText = (key: string) => (typeof header[key] === 'string' ? (header[key] as string) : undefined);

  const messages: IncomingLiveMessage[] = [];
  for (let index = 1; index < lines.length; index++) {
    const value = parseLine(index);
    try {
      messages.push({ ...readMessage(value, false), floor: index - 1 });
    } catch (err) {
      throw fail(index + 1, (err as Error).message);
    }
  }
  return {
    header: {
      user_name: headerText('user_name'),
      character_name: headerText('character_name'),
      create_date: headerText('create_date'),
    },
    messages,
  };
}
