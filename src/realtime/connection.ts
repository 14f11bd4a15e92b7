/** One viewer's socket: its outgoing buffer limit, its inbound rate, and closing it exactly once. */
import type { WebSocket } from 'ws';
import type { Viewer } from '../accounts/index.js';
import type { RealtimeConfig } from '../config.js';

export const CloseCode = {
  goingAway: 1001,
  internalError: 1011,
  tooSlow: 4008,
  tooManyMessages: 4029,
  tooManyConnections: 4029,
} as const;

/** Time a closing socket gets to finish the close handshake before it is cut. */
const CLOSE_GRACE_MS = 2_000;
/**
 * How long a joined socket remembers what its resume replay carried. The replay is read from the
 * database, which can be ahead of the bus: a line committed (and replayed) just before may have its
 * live copy still on the way from another instance.
 */
const REPLAYED_MEMORY_MS = 10_000;

export interface JoinRequest {
  roomId: string;
  viewer: Viewer;
  ip: string;
  /** Several events per frame, newline-delimited. */
  batch: boolean;
  afterFloor?: number;
  afterUserMessageId?: number;
  /** With a resume: also replay edits and deletions since this server time (ms). */
  changedSince?: number;
  /** Opened on the original site's path (see LEGACY_ROOM_SOCKET_PATH): frames in its pages' dialect. */
  legacy: boolean;
}

/** An event's frame, and what a buffered one would duplicate if the replay already carried it. */
export interface Pending {
  bytes: Buffer;
  /** For legacy sockets: other bytes, or null when the frame is not for them; absent: the same bytes. */
  legacyBytes?: Buffer | null;
  addedFloor?: number;
  userMessageId?: number;
}

/** Presence counts a viewer once however many sockets they have open. */
export function viewerKey(viewer: Viewer): string {
  return viewer.kind === 'user' ? `user:${viewer.user.id}` : `guest:${viewer.guestName}`;
}

export class Connection {
  joining = true;
  closed = false;
  missedPongs = 0;
  /** Something was sent since the last heartbeat tick. */
  active = false;
  /** Live events that arrived while hello and the replay were being read. */
  pending: Pending[] = [];
  /** Client frames received before the join finished; handled right after it. */
  inbox: Array<{ data: Buffer; isBinary: boolean }> = [];
  readonly viewerKey: string;
  /** Additions the resume replay carried, dropped if their live copy arrives late. */
  private replayed?: { floors: Set<number>; userMessageIds: Set<number>; until: number };
  private windowStartedAt = 0;
  private windowCount = 0;

  constructor(
    readonly id: string,
    readonly socket: WebSocket,
    readonly request: JoinRequest,
    private readonly config: RealtimeConfig,
    /** Called once when the connection starts closing (with the close code when the server closes it), so it stops counting and receiving at once. */
    private readonly onClosing: (connection: Connection, code?: number) => void,
  ) {
    this.viewerKey = viewerKey(request.viewer);
  }

  /** Remembers what the replay carried, for REPLAYED_MEMORY_MS. */
  rememberReplayed(floors: Set<number>, userMessageIds: Set<number>): void {
    this.replayed = floors.size + userMessageIds.size > 0 ? { floors, userMessageIds, until: Date.now() + REPLAYED_MEMORY_MS } : undefined;
  }

  /** Whether this socket's replay already carried the event. */
  replayedAlready(pending: Pending): boolean {
    const replayed = this.replayed;
    if (!replayed) return false;
    if (Date.now() > replayed.until) {
      this.replayed = undefined;
      return false;
    }
    if (pending.addedFloor !== undefined) return replayed.floors.has(pending.addedFloor);
    return pending.userMessageId !== undefined && replayed.userMessageIds.has(pending.userMessageId);
  }

  /** True while a late live copy of a replayed addition may still arrive. */
  get remembersReplay(): boolean {
    return this.replayed !== undefined;
  }

  /** Sends an event's frame in this socket's dialect (legacy sockets skip some), unless the replay carried it. */
  sendPending(pending: Pending): void {
    if (this.replayedAlready(pending)) return;
    const bytes = this.request.legacy && pending.legacyBytes !== undefined ? pending.legacyBytes : pending.bytes;
    if (bytes) this.send(bytes);
  }

  /** Queues bytes unless that would push the connection past its buffer limit (then it is dropped). */
  send(bytes: Buffer): void {
    if (this.closed) return;
    if (this.socket.bufferedAmount + bytes.length > this.config.maxBufferedBytes) {
      this.close(CloseCode.tooSlow, 'too slow: outgoing buffer full');
      return;
    }
    this.active = true;
    this.socket.send(bytes, { binary: false });
  }

  /** For the replay, which may legitimately exceed the buffer limit: waits for the socket to drain. */
  async sendPaced(bytes: Buffer): Promise<void> {
    if (this.closed) return;
    this.active = true;
    if (this.socket.bufferedAmount < this.config.maxBufferedBytes / 2) {
      this.socket.send(bytes, { binary: false });
      return;
    }
    await new Promise<void>((resolve) => this.socket.send(bytes, { binary: false }, () => resolve()));
  }

  /** Counts an inbound frame: 'ok', 'limited' (answer with an error) or 'flood' (close). */
  countInbound(now: number): 'ok' | 'limited' | 'flood' {
    if (now - this.windowStartedAt >= this.config.inboundWindowMs) {
      this.windowStartedAt = now;
      this.windowCount = 0;
    }
    this.windowCount += 1;
    if (this.windowCount > 2 * this.config.inboundMaxMessages) return 'flood';
    return this.windowCount > this.config.inboundMaxMessages ? 'limited' : 'ok';
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosing(this, code);
    this.socket.close(code, reason);
    // A client that stopped reading never completes the close handshake.
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
  }
}
