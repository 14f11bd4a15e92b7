/**
 * The live connection to a room: connects, reconnects with backoff after a drop and resumes from
 * the client's cursor so the server replays what was missed (new lines and comments, and edits and
 * deletions of those already shown), and reports its state for the UI.
 */
import { apiUrl } from '../../../shared/api/client.ts';
import type { ServerFrame } from './frames.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'denied' | 'not_found';

export interface RoomSocketHandlers {
  onFrame(frame: ServerFrame): void;
  onState(state: ConnectionState): void;
  /** Read at every (re)connect so a reconnect resumes after what the client already holds. */
  resumeCursor(): { afterFloor: number; afterUserMessageId: number };
}

const CLOSE_FORBIDDEN = 4403;
const CLOSE_NOT_FOUND = 4404;
const PING_INTERVAL_MS = 25_000;
/** How often the connection checks that frames still arrive. */
const WATCH_INTERVAL_MS = 1_000;
/**
 * No frame at all for this long (not even a pong) means the connection is dead but not closed. A
 * server that sends heartbeats says how often (hello's heartbeat_ms): then silence is noticed in
 * about 2 × heartbeat_ms + 3 s (8 s by default); with heartbeats off (0), a ping every 25 s must go unanswered.
 */
const SILENCE_LIMIT_MS = 60_000;
const HEARTBEAT_SLACK_MS = 3_000;
/** A connection that has not said hello by then (a proxy that swallows the upgrade) is replaced. */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * A resume asks for edits made since the last frame arrived, minus this much: it covers frames
 * still in flight when the link broke and clocks of different server instances disagreeing a
 * little. Replayed edits are idempotent, so asking early costs a few frames at most.
 */
const CHANGES_MARGIN_MS = 10_000;

/**
 * WebSocket URL of a room on this origin, with the resume cursor when reconnecting. Batch mode: the
 * server coalesces events into newline-delimited frames (parseFrames), far fewer frames in a busy room.
 */
export function roomSocketUrl(
  roomId: string,
  resume: { afterFloor: number; afterUserMessageId: number; changedSince: number | null },
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = apiUrl('/ws/chat/{room_id}', { room_id: roomId }, {
    batch: 1,
    after_floor: resume.afterFloor,
    after_user_message_id: resume.afterUserMessageId,
    changed_since: resume.changedSince,
  });
  return `${scheme}//${location.host}${url}`;
}

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** attempt);
  return Math.round(base * (0.5 + random() / 2));
}

/** Splits a text frame into its events: batch mode puts several in one, newline-delimited, in order. */
export function parseFrames(text: string): ServerFrame[] {
  const frames: ServerFrame[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const frame = JSON.parse(line) as ServerFrame;
      if (frame && typeof frame.type === 'string') frames.push(frame);
    } catch {
      // A malformed frame is skipped; resume after the next reconnect repairs any gap.
    }
  }
  return frames;
}

export class RoomSocket {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private watchTimer: ReturnType<typeof setInterval> | undefined;
  private lastFrameAt = 0;
  private lastPingAt = 0;
  /** How long silence may last on the current connection before it counts as dead. */
  private silenceLimit = CONNECT_TIMEOUT_MS;
  /** Server clock minus ours, from the last hello; null until the first one. */
  private serverClockOffset: number | null = null;

  /**
   * @param historyReadAt server time at which the page's histories were read: the first connection
   *   asks for changes since then, which its resume cursor (taken from those histories) cannot show.
   */
  constructor(
    private readonly roomId: string,
    private readonly handlers: RoomSocketHandlers,
    private readonly historyReadAt: number | null = null,
  ) {}

  start(): void {
    this.stopped = false;
    window.addEventListener('online', this.reconnectNow);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.reconnectNow);
    clearTimeout(this.reconnectTimer);
    clearInterval(this.watchTimer);
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'leaving');
  }

  private readonly reconnectNow = () => {
    if (this.stopped || this.socket) return;
    clearTimeout(this.reconnectTimer);
    this.connect();
  };

  private connect(): void {
    this.handlers.onState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const cursor = this.handlers.resumeCursor();
    const changedSince =
      this.serverClockOffset === null ? this.historyReadAt : Math.max(0, Math.round(this.lastFrameAt + this.serverClockOffset - CHANGES_MARGIN_MS));
    const socket = new WebSocket(roomSocketUrl(this.roomId, { ...cursor, changedSince }));
    this.socket = socket;
    this.lastFrameAt = Date.now();
    this.lastPingAt = this.lastFrameAt;
    this.silenceLimit = CONNECT_TIMEOUT_MS;
    clearInterval(this.watchTimer);
    this.watchTimer = setInterval(() => this.watch(socket), WATCH_INTERVAL_MS);
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.lastFrameAt = Date.now();
      for (const frame of parseFrames(String(event.data))) {
        if (frame.type === 'hello') {
          this.attempt = 0;
          this.serverClockOffset = frame.data.server_time - Date.now();
          const heartbeat = frame.data.heartbeat_ms;
          this.silenceLimit = heartbeat > 0 ? 2 * heartbeat + HEARTBEAT_SLACK_MS : SILENCE_LIMIT_MS;
          this.handlers.onState('live');
        }
        this.handlers.onFrame(frame);
      }
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearInterval(this.watchTimer);
      if (this.stopped) return;
      if (event.code === CLOSE_FORBIDDEN) return this.handlers.onState('denied');
      if (event.code === CLOSE_NOT_FOUND) return this.handlers.onState('not_found');
      this.scheduleReconnect();
    };
  }

  /** Replaces a connection that went silent; pings now and then for servers without heartbeats. */
  private watch(socket: WebSocket): void {
    if (this.socket !== socket) return;
    const now = Date.now();
    if (now - this.lastFrameAt > this.silenceLimit) {
      // A dead link may never finish a closing handshake: drop it and reconnect right away.
      clearInterval(this.watchTimer);
      socket.onclose = null;
      socket.onmessage = null;
      socket.close();
      this.socket = null;
      this.scheduleReconnect();
      return;
    }
    if (socket.readyState === WebSocket.OPEN && now - this.lastPingAt >= PING_INTERVAL_MS) {
      this.lastPingAt = now;
      socket.send('{"type":"ping"}');
    }
  }

  private scheduleReconnect(): void {
    const delay = reconnectDelay(this.attempt);
    this.attempt += 1;
    this.handlers.onState(navigator.onLine === false || this.attempt > 3 ? 'offline' : 'reconnecting');
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }
}
