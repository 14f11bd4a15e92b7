/**
 * A stand-in for SillyTavern's page as the bridge sees it: `getContext()` with a chat, an event
 * source and the event names of SillyTavern 1.19, and a fake server behind `fetch` that records
 * every request and answers like the anchor API (or fails, when told to).
 */
export const EVENT_TYPES = {
  MESSAGE_SENT: 'message_sent',
  MESSAGE_RECEIVED: 'message_received',
  MESSAGE_EDITED: 'message_edited',
  MESSAGE_UPDATED: 'message_updated',
  MESSAGE_SWIPED: 'message_swiped',
  MESSAGE_DELETED: 'message_deleted',
  CHAT_CHANGED: 'chat_id_changed',
  GENERATION_STARTED: 'generation_started',
  STREAM_TOKEN_RECEIVED: 'stream_token_received',
  GENERATION_STOPPED: 'generation_stopped',
  GENERATION_ENDED: 'generation_ended',
} as const;

export interface StMessage {
  name: string;
  is_user: boolean;
  is_system?: boolean;
  send_date?: string;
  mes: string;
  swipes?: string[];
  swipe_id?: number;
}

export class FakeEventSource {
  private readonly handlers = new Map<string, Array<(...args: unknown[]) => void>>();
  on(type: string, handler: (...args: unknown[]) => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);
  }
  removeListener(type: string, handler: (...args: unknown[]) => void): void {
    this.handlers.set(type, (this.handlers.get(type) ?? []).filter((h) => h !== handler));
  }
  emit(type: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(type) ?? []) handler(...args);
  }
}

export class FakeSillyTavern {
  readonly eventSource = new FakeEventSource();
  chat: StMessage[] = [];
  characterId: number | undefined = 0;
  characters = [{ name: 'Seraphina', chat: 'Seraphina - 2026-12-01@05h20m13s' }];

  getContext = () => ({
    chat: this.chat,
    characters: this.characters,
    characterId: this.characterId,
    groupId: null,
    name1: 'Traveler',
    name2: this.characters[this.characterId ?? 0]?.name,
    eventSource: this.eventSource,
    eventTypes: EVENT_TYPES,
    getCurrentChatId: () => (this.characterId === undefined ? undefined : this.characters[this.characterId]?.chat),
  });

  emit(type: keyof typeof EVENT_TYPES, ...args: unknown[]): void {
    this.eventSource.emit(EVENT_TYPES[type], ...args);
  }

  say(mes: string): number {
    this.chat.push({ name: 'Traveler', is_user: true, mes, send_date: 'December 1, 2026 5:20am' });
    return this.chat.length - 1;
  }

  reply(mes: string): number {
    this.chat.push({ name: 'Seraphina', is_user: false, mes, send_date: '2026-12-01T05:20:13.482Z', swipes: [mes], swipe_id: 0 });
    return this.chat.length - 1;
  }
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  json?: Record<string, unknown> & { floor?: number; mes?: string; text?: string; done?: boolean; username?: string };
}

/** The anchor API as far as the bridge uses it; `down` makes every request fail like a dead server. */
export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  down = false;
  /** Answers for the next requests to a path suffix, e.g. { '/typing': 429 }. */
  statusFor: Record<string, number> = {};
  private rooms = 0;

  fetch = async (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => {
    if (this.down) throw new TypeError('Failed to fetch');
    const path = new URL(url).pathname;
    const request: RecordedRequest = { method: init.method, path, headers: init.headers, body: init.body };
    if (init.body && init.headers['content-type'] === 'application/json') request.json = JSON.parse(init.body);
    this.requests.push(request);
    const forced = Object.entries(this.statusFor).find(([suffix]) => path.endsWith(suffix));
    if (forced) return response(forced[1], { code: 1, error: forced[1] === 401 ? 'unauthorized' : 'refused', message: `HTTP ${forced[1]}` });
    if (path === '/api/anchor/login') return response(200, { code: 0, data: { uid: 'u1', username: request.json?.username, token: 'tok-123' } });
    if (path === '/api/anchor/rooms' && init.method === 'POST') {
      this.rooms += 1;
      return response(200, { code: 0, data: { room: { room_id: `room${this.rooms}` }, created: true } });
    }
    if (path === '/api/anchor/rooms' && init.method === 'GET') return response(200, { code: 0, data: { rooms: [{ room_id: 'room1', live_num: 42 }] } });
    return response(200, { code: 0, data: {} });
  };

  /** The requests other than viewer-count polling, as "METHOD path" lines. */
  calls(): string[] {
    return this.requests.filter((r) => !(r.method === 'GET' && r.path === '/api/anchor/rooms')).map((r) => `${r.method} ${r.path}`);
  }
}

function response(status: number, body: unknown) {
  return { ok: status >= 200 && status < 300, status, json: async () => body };
}

export class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
}
