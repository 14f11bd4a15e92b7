/**
 * The WebSocket side of rooms: one hub per room with viewers on this instance. Each domain event is
 * serialised once and the same bytes go to every socket of the room. Joining sockets buffer live
 * events while hello and the resume replay are read, then drop exactly what the replay already
 * contained, so a reconnecting client misses nothing and sees nothing twice.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { Viewer } from '../accounts/index.js';
import type { RealtimeConfig } from '../config.js';
import { AppError } from '../http/errors.js';
import type { DomainEvent, EventBus } from './events.js';
import type { LiveMessageData } from './schemas.js';
import type { ChatFeed, LiveMessageItem, RoomDirectory } from './feed.js';
import type { Presence } from './presence.js';

/** Most transcript lines and most viewer messages replayed on resume. */
export const REPLAY_LIMIT = 500;

export const CloseCode = {
  goingAway: 1001,
  internalError: 1011,
  tooSlow: 4008,
  tooManyMessages: 4029,
  tooManyConnections: 4029,
} as const;

/** Additions remembered per room to deduplicate a catch-up. */
const RECENT_LIMIT = 1_000;
/** How far behind the newest line a catch-up looks: lines can land out of order around a gap. */
const CATCH_UP_WINDOW = 100;

/** Time a closing socket gets to finish the close handshake before it is cut. */
const CLOSE_GRACE_MS = 2_000;
const NEWLINE = Buffer.from('\n');

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
}

export interface GatewayDependencies {
  rooms: RoomDirectory;
  chat: ChatFeed;
  eventBus: EventBus;
  presence: Presence;
  config: RealtimeConfig;
  log: FastifyBaseLogger;
}

type ForwardedEvent = Exclude<DomainEvent, { type: 'room_updated' | 'access_changed' }>;

function frame(type: string, data: unknown): Buffer {
  return Buffer.from(JSON.stringify({ type, data }));
}

/** A history line as the live event that added it, so replayed and live frames look alike. */
function addedLine(item: LiveMessageItem): LiveMessageData {
  return {
    op: 'add',
    floor: item.floor,
    is_user: item.is_user,
    live_message: item.live_message,
    sender_name: item.sender_name,
    send_date: item.send_date,
  };
}

export function viewerKey(viewer: Viewer): string {
  return viewer.kind === 'user' ? `user:${viewer.user.id}` : `guest:${viewer.guestName}`;
}

/** What a buffered event would duplicate if the replay already carried it. */
interface Pending {
  bytes: Buffer;
  addedFloor?: number;
  userMessageId?: number;
}

class Connection {
  joining = true;
  closed = false;
  missedPongs = 0;
  /** Live events that arrived while hello and the replay were being read. */
  pending: Pending[] = [];
  /** Client frames received before the join finished; handled right after it. */
  inbox: Array<{ data: Buffer; isBinary: boolean }> = [];
  private windowStartedAt = 0;
  private windowCount = 0;

  constructor(
    readonly id: string,
    readonly socket: WebSocket,
    readonly request: JoinRequest,
    readonly viewerKey: string,
    private readonly config: RealtimeConfig,
    /** Called once when the connection starts closing, so it stops counting and receiving at once. */
    private readonly onClosing: (connection: Connection) => void,
  ) {}

  /** Queues bytes unless that would push the connection past its buffer limit (then it is dropped). */
  send(bytes: Buffer): void {
    if (this.closed) return;
    if (this.socket.bufferedAmount + bytes.length > this.config.maxBufferedBytes) {
      this.close(CloseCode.tooSlow, 'too slow: outgoing buffer full');
      return;
    }
    this.socket.send(bytes, { binary: false });
  }

  /** For the replay, which may legitimately exceed the buffer limit: waits for the socket to drain. */
  async sendPaced(bytes: Buffer): Promise<void> {
    if (this.closed) return;
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
    this.onClosing(this);
    this.socket.close(code, reason);
    // A client that stopped reading never completes the close handshake.
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
  }
}

/** Remembers the last RECENT_LIMIT numbers added. */
class RecentSet {
  private readonly items = new Set<number>();

  add(value: number): void {
    this.items.add(value);
    if (this.items.size > RECENT_LIMIT) this.items.delete(this.items.values().next().value!);
  }

  has(value: number): boolean {
    return this.items.has(value);
  }
}

class RoomHub {
  readonly connections = new Set<Connection>();
  lastLiveNum = -1;
  /** Highest transcript floor and viewer message id seen, for catching up after a bus gap. */
  highestFloor = -1;
  highestUserMessageId = 0;
  /** Where the room stood when its first viewer here joined; older lines came with their history. */
  baselineFloor?: number;
  baselineUserMessageId?: number;
  /** Recently delivered additions, so a catch-up sends only what is really missing. */
  readonly recentFloors = new RecentSet();
  readonly recentUserMessageIds = new RecentSet();
  /** Lines delivered by a catch-up; their late live copy is dropped once. */
  readonly caughtUpFloors = new Set<number>();
  private batchConnections = 0;
  private batchQueue: Buffer[] = [];
  private flushScheduled = false;

  add(connection: Connection): void {
    this.connections.add(connection);
    if (connection.request.batch) this.batchConnections += 1;
  }

  remove(connection: Connection): void {
    if (this.connections.delete(connection) && connection.request.batch) this.batchConnections -= 1;
  }

  deliver(pending: Pending): void {
    for (const connection of this.connections) {
      if (connection.joining) connection.pending.push(pending);
      else if (!connection.request.batch) connection.send(pending.bytes);
    }
    if (this.batchConnections > 0) {
      this.batchQueue.push(pending.bytes);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flushBatch());
      }
    }
  }

  /** Sends queued events to batch-mode sockets as one newline-delimited frame, built once. */
  flushBatch(): void {
    this.flushScheduled = false;
    const queue = this.batchQueue;
    if (queue.length === 0) return;
    this.batchQueue = [];
    const joined =
      queue.length === 1 ? queue[0]! : Buffer.concat(queue.flatMap((bytes, i) => (i === 0 ? [bytes] : [NEWLINE, bytes])));
    for (const connection of this.connections) {
      if (connection.request.batch && !connection.joining) connection.send(joined);
    }
  }
}

export class RealtimeGateway {
  private readonly hubs = new Map<string, RoomHub>();
  /** Every accepted socket until it has closed, including those still joining. */
  private readonly open = new Set<Connection>();
  private readonly connectionsPerIp = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribers: Array<() => void> = [];
  private nextConnectionId = 0;
  private closing = false;

  constructor(private readonly deps: GatewayDependencies) {
    this.unsubscribers.push(deps.eventBus.subscribe((event) => this.onEvent(event)));
    if (deps.eventBus.onGap) this.unsubscribers.push(deps.eventBus.onGap((lostSince) => void this.catchUp(lostSince)));
    this.timers.push(setInterval(() => this.publishLiveNums(), deps.config.liveNumIntervalMs));
    this.timers.push(setInterval(() => this.pingAll(), deps.config.pingIntervalMs));
    for (const timer of this.timers) timer.unref();
  }

  get isClosing(): boolean {
    return this.closing;
  }

  hasRoomForIp(ip: string): boolean {
    return (this.connectionsPerIp.get(ip) ?? 0) < this.deps.config.maxConnectionsPerIp;
  }

  connectionCount(roomId?: string): number {
    if (roomId !== undefined) return this.hubs.get(roomId)?.connections.size ?? 0;
    let total = 0;
    for (const hub of this.hubs.values()) total += hub.connections.size;
    return total;
  }

  /** Takes over an upgraded socket. Listeners are attached synchronously so no client frame is missed. */
  accept(socket: WebSocket, request: JoinRequest): void {
    this.nextConnectionId += 1;
    const connection = new Connection(
      String(this.nextConnectionId),
      socket,
      request,
      viewerKey(request.viewer),
      this.deps.config,
      (closing) => this.detach(closing),
    );
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!connection.joining) {
        this.onClientFrame(connection, data, isBinary);
      } else if (connection.inbox.length < this.deps.config.inboundMaxMessages) {
        connection.inbox.push({ data, isBinary });
      } else {
        connection.close(CloseCode.tooManyMessages, 'too many messages');
      }
    });
    socket.on('pong', () => {
      connection.missedPongs = 0;
    });
    if (this.closing) {
      connection.close(CloseCode.goingAway, 'server shutting down');
      return;
    }
    const ipCount = (this.connectionsPerIp.get(request.ip) ?? 0) + 1;
    this.connectionsPerIp.set(request.ip, ipCount);
    this.open.add(connection);
    socket.once('close', () => this.onClose(connection));
    if (ipCount > this.deps.config.maxConnectionsPerIp) {
      connection.close(CloseCode.tooManyConnections, 'too many connections from this address');
      return;
    }
    void this.join(connection);
  }

  private async join(connection: Connection): Promise<void> {
    const { roomId, viewer, afterFloor, afterUserMessageId, changedSince } = connection.request;
    const { rooms, chat, presence } = this.deps;
    try {
      await rooms.assertCanEnter(viewer, roomId);
    } catch (err) {
      if (err instanceof AppError && err.statusCode < 500) {
        connection.close(4000 + err.statusCode, err.message.slice(0, 120));
      } else {
        this.deps.log.error({ err, roomId }, 'websocket room check failed');
        connection.close(CloseCode.internalError, 'internal error');
      }
      return;
    }
    if (connection.closed) return;
    if (this.closing) {
      connection.close(CloseCode.goingAway, 'server shutting down');
      return;
    }
    let hub = this.hubs.get(roomId);
    if (!hub) this.hubs.set(roomId, (hub = new RoomHub()));
    // Subscribed before anything is read, so nothing committed from here on can slip past.
    hub.add(connection);
    presence.join(roomId, connection.viewerKey, connection.id);
    try {
      // Read before the state below, so a later resume from it cannot skip a change made meanwhile.
      const serverTime = Date.now();
      const resuming = afterFloor !== undefined || afterUserMessageId !== undefined;
      const [room, cursor, live, user, changes] = await Promise.all([
        rooms.getRoom(roomId),
        chat.roomCursor(roomId),
        afterFloor === undefined ? [] : chat.liveMessagesAfter(roomId, afterFloor, REPLAY_LIMIT + 1),
        afterUserMessageId === undefined ? [] : chat.userMessagesAfter(roomId, afterUserMessageId, REPLAY_LIMIT + 1),
        changedSince === undefined || !resuming
          ? undefined
          : chat.changesSince(roomId, changedSince, afterFloor ?? -1, afterUserMessageId ?? 0, REPLAY_LIMIT),
      ]);
      hub.baselineFloor ??= cursor.last_floor;
      hub.baselineUserMessageId ??= cursor.last_user_message_id;
      hub.highestFloor = Math.max(hub.highestFloor, cursor.last_floor);
      hub.highestUserMessageId = Math.max(hub.highestUserMessageId, cursor.last_user_message_id);
      const liveReplay = live.slice(0, REPLAY_LIMIT);
      const userReplay = user.slice(0, REPLAY_LIMIT);
      await connection.sendPaced(
        frame('hello', {
          room_id: roomId,
          live_status: Boolean(room.live_status),
          live_num: presence.count(roomId),
          last_floor: cursor.last_floor,
          last_user_message_id: cursor.last_user_message_id,
          // false when more was missed than one replay carries: reload history over HTTP.
          resume_complete: live.length <= REPLAY_LIMIT && user.length <= REPLAY_LIMIT && (changes?.complete ?? true),
          server_time: serverTime,
        }),
      );
      // Edits and deletions concern floors and ids up to the cursor, the replay those after it.
      for (const data of changes?.live ?? []) await connection.sendPaced(frame('chat_live_message', data));
      for (const id of changes?.deletedUserMessageIds ?? []) await connection.sendPaced(frame('chat_user_message_deleted', { id }));
      for (const item of liveReplay) await connection.sendPaced(frame('chat_live_message', addedLine(item)));
      for (const item of userReplay) await connection.sendPaced(frame('chat_user_message', item));
      if (connection.closed) return;
      hub.flushBatch();
      const replayedFloors = new Set(liveReplay.map((item) => item.floor));
      const replayedIds = new Set(userReplay.map((item) => item.id));
      const pending = connection.pending;
      connection.pending = [];
      connection.joining = false;
      for (const item of pending) {
        if (item.addedFloor !== undefined && replayedFloors.has(item.addedFloor)) continue;
        if (item.userMessageId !== undefined && replayedIds.has(item.userMessageId)) continue;
        connection.send(item.bytes);
      }
      for (const { data, isBinary } of connection.inbox.splice(0)) this.onClientFrame(connection, data, isBinary);
    } catch (err) {
      this.deps.log.error({ err, roomId }, 'websocket join failed');
      connection.close(CloseCode.internalError, 'internal error');
    }
  }

  private onClose(connection: Connection): void {
    connection.closed = true;
    this.open.delete(connection);
    const { ip } = connection.request;
    const ipCount = (this.connectionsPerIp.get(ip) ?? 1) - 1;
    if (ipCount > 0) this.connectionsPerIp.set(ip, ipCount);
    else this.connectionsPerIp.delete(ip);
    this.detach(connection);
  }

  /** Leaves the room hub and presence; runs when closing starts and again (no-op) when the socket closes. */
  private detach(connection: Connection): void {
    const { roomId } = connection.request;
    const hub = this.hubs.get(roomId);
    if (!hub?.connections.has(connection)) return;
    hub.remove(connection);
    this.deps.presence.leave(roomId, connection.viewerKey, connection.id);
    if (hub.connections.size === 0) this.hubs.delete(roomId);
  }

  private onEvent(event: DomainEvent): void {
    // Neither is a viewer frame: listing fields reach viewers through the HTTP routes.
    if (event.type === 'room_updated' || event.type === 'access_changed') return;
    const hub = this.hubs.get(event.room_id);
    if (hub) this.deliver(hub, event);
  }

  private deliver(hub: RoomHub, event: ForwardedEvent): void {
    const pending: Pending = { bytes: frame(event.type, event.data) };
    if (event.type === 'chat_live_message' && event.data.op === 'add') {
      if (hub.caughtUpFloors.delete(event.data.floor)) return;
      pending.addedFloor = event.data.floor;
      hub.recentFloors.add(event.data.floor);
      hub.highestFloor = Math.max(hub.highestFloor, event.data.floor);
    } else if (event.type === 'chat_user_message') {
      // Ids are never reused, so a second copy is always a duplicate.
      if (hub.recentUserMessageIds.has(event.data.id)) return;
      pending.userMessageId = event.data.id;
      hub.recentUserMessageIds.add(event.data.id);
      hub.highestUserMessageId = Math.max(hub.highestUserMessageId, event.data.id);
    }
    hub.deliver(pending);
  }

  /**
   * After the event bus lost events published since `lostSince` (Redis pub/sub reconnected), sends
   * every room what it missed from the database: lines and viewer messages added, and edits and
   * deletions of those its viewers already had (idempotent, so a repeat is harmless).
   */
  async catchUp(lostSince: number): Promise<void> {
    const { chat, log } = this.deps;
    await Promise.all(
      [...this.hubs].map(async ([roomId, hub]) => {
        try {
          const [live, user, changes] = await Promise.all([
            chat.liveMessagesAfter(roomId, hub.highestFloor - CATCH_UP_WINDOW, REPLAY_LIMIT),
            chat.userMessagesAfter(roomId, Math.max(0, hub.highestUserMessageId - CATCH_UP_WINDOW), REPLAY_LIMIT),
            chat.changesSince(roomId, lostSince, hub.highestFloor, hub.highestUserMessageId, REPLAY_LIMIT),
          ]);
          for (const data of changes.live) this.deliver(hub, { type: 'chat_live_message', room_id: roomId, data });
          for (const id of changes.deletedUserMessageIds) {
            this.deliver(hub, { type: 'chat_user_message_deleted', room_id: roomId, data: { id } });
          }
          for (const item of live) {
            if (item.floor <= (hub.baselineFloor ?? Infinity) || hub.recentFloors.has(item.floor)) continue;
            this.deliver(hub, { type: 'chat_live_message', room_id: roomId, data: addedLine(item) });
            hub.caughtUpFloors.add(item.floor);
          }
          for (const item of user) {
            if (item.id > (hub.baselineUserMessageId ?? Infinity) && !hub.recentUserMessageIds.has(item.id)) {
              this.deliver(hub, { type: 'chat_user_message', room_id: roomId, data: item });
            }
          }
        } catch (err) {
          log.warn({ err, roomId }, 'realtime catch-up failed');
        }
      }),
    );
  }

  private onClientFrame(connection: Connection, data: Buffer, isBinary: boolean): void {
    if (connection.closed) return;
    const verdict = connection.countInbound(Date.now());
    if (verdict === 'flood') {
      connection.close(CloseCode.tooManyMessages, 'too many messages');
      return;
    }
    if (verdict === 'limited') {
      this.sendError(connection, 'rate_limited', 'Too many messages, slow down');
      return;
    }
    if (isBinary) {
      this.sendError(connection, 'invalid_message', 'Only JSON text frames are accepted');
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(data.toString('utf8'));
    } catch {
      this.sendError(connection, 'invalid_json', 'Frame is not valid JSON');
      return;
    }
    const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
    if (type === 'ping') {
      connection.send(Buffer.from('{"type":"pong"}'));
    } else if (type === 'chat_user_message') {
      const text = (message as { user_message?: unknown }).user_message;
      if (typeof text !== 'string') {
        this.sendError(connection, 'invalid_message', 'user_message must be a string');
        return;
      }
      void this.postMessage(connection, text);
    } else {
      this.sendError(connection, 'unknown_type', `Unknown message type ${JSON.stringify(type ?? null).slice(0, 50)}`);
    }
  }

  private async postMessage(connection: Connection, text: string): Promise<void> {
    const { roomId, viewer } = connection.request;
    try {
      // Stored and broadcast by the chat service, like POST /api/live/save_user_chat_history.
      await this.deps.chat.postViewerMessage(viewer, roomId, text);
    } catch (err) {
      if (err instanceof AppError && err.statusCode < 500) {
        this.sendError(connection, err.error, err.message);
      } else {
        this.deps.log.error({ err, roomId }, 'websocket chat message failed');
        this.sendError(connection, 'internal_error', 'Message could not be sent');
      }
    }
  }

  private sendError(connection: Connection, error: string, message: string): void {
    connection.send(frame('error', { error, message }));
  }

  /** At most one live_num frame per room per interval, and only when the number changed. */
  private publishLiveNums(): void {
    for (const [roomId, hub] of this.hubs) {
      const liveNum = this.deps.presence.count(roomId);
      if (liveNum === hub.lastLiveNum) continue;
      hub.lastLiveNum = liveNum;
      hub.deliver({ bytes: frame('live_num', { live_num: liveNum }) });
    }
  }

  private pingAll(): void {
    for (const hub of this.hubs.values()) {
      for (const connection of hub.connections) {
        if (connection.missedPongs >= 2) {
          connection.socket.terminate();
          continue;
        }
        connection.missedPongs += 1;
        connection.socket.ping();
      }
    }
  }

  /** Shutdown: no new joins, every socket closed with 1001 so clients reconnect to another instance. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    const connections = [...this.open];
    const sockets = connections.map((connection) => connection.socket);
    for (const connection of connections) connection.close(CloseCode.goingAway, 'server shutting down');
    await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === socket.CLOSED) resolve();
            else socket.once('close', () => resolve());
          }),
      ),
    );
  }
}
