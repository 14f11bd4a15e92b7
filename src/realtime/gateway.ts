/**
 * The WebSocket side of rooms: accepts sockets, joins them to their room's hub, answers their
 * frames, and closes them all on shutdown. Joining sockets buffer live events while hello and the
 * resume replay are read, then drop exactly what the replay already contained (also when its live
 * copy arrives after the replay), so a reconnecting client misses nothing and sees nothing twice.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { RealtimeConfig } from '../config.js';
import { AppError } from '../http/errors.js';
import type { Telemetry } from '../infra/telemetry.js';
import { CloseCode, Connection, type JoinRequest } from './connection.js';
import type { DomainEvent, EventBus } from './events.js';
import type { ChatFeed, RoomDirectory } from './feed.js';
import { addedLine, encodeFrame, encodeLegacyFrame, parseClientFrame } from './frames.js';
import type { Presence } from './presence.js';
import { isViewerEvent, REPLAY_LIMIT, RoomHub } from './room-hub.js';
import type { ServerFrame } from './schemas.js';

/**
 * Sent to a socket the server has had nothing to say to for a while. Browsers never see WebSocket
 * pings, so without it a page cannot tell a quiet room from a connection that silently died.
 */
const HEARTBEAT = encodeFrame({ type: 'heartbeat' });

export interface GatewayDependencies {
  rooms: RoomDirectory;
  chat: ChatFeed;
  eventBus: EventBus;
  presence: Presence;
  config: RealtimeConfig;
  log: FastifyBaseLogger;
  telemetry?: Telemetry;
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
    this.timers.push(setInterval(() => this.heartbeat(), deps.config.heartbeatMs));
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
    const connection = new Connection(String(this.nextConnectionId), socket, request, this.deps.config, (closing, code) => {
      if (code === CloseCode.tooSlow) this.deps.telemetry?.count('websocket_slow_clients_dropped');
      this.detach(closing);
    });
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
    if (!hub) this.hubs.set(roomId, (hub = new RoomHub(roomId, this.deps.config)));
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
      hub.noteCursor(cursor.last_floor, cursor.last_user_message_id);
      const liveReplay = live.slice(0, REPLAY_LIMIT);
      const userReplay = user.slice(0, REPLAY_LIMIT);
      await connection.sendPaced(
        encodeFrame({
          type: 'hello',
          data: {
            room_id: roomId,
            live_status: Boolean(room.live_status),
            live_num: presence.count(roomId),
            last_floor: cursor.last_floor,
            last_user_message_id: cursor.last_user_message_id,
            // false when more was missed than one replay carries: reload history over HTTP.
            resume_complete: live.length <= REPLAY_LIMIT && user.length <= REPLAY_LIMIT && (changes?.complete ?? true),
            server_time: serverTime,
            // A socket that hears nothing for about twice this long has gone silent: reconnect.
            heartbeat_ms: this.deps.config.heartbeatMs,
          },
        }),
      );
      // Edits and deletions concern floors and ids up to the cursor, the replay those after it.
      const replay: ServerFrame[] = [
        ...(changes?.live ?? []).map((data) => ({ type: 'chat_live_message' as const, data })),
        ...(changes?.deletedUserMessageIds ?? []).map((id) => ({ type: 'chat_user_message_deleted' as const, data: { id } })),
        ...liveReplay.map((item) => ({ type: 'chat_live_message' as const, data: addedLine(item) })),
        ...userReplay.map((data) => ({ type: 'chat_user_message' as const, data })),
      ];
      for (const frame of replay) {
        const bytes = frameFor(connection, frame);
        if (bytes) await connection.sendPaced(bytes);
      }
      if (connection.closed) return;
      hub.flushBatch();
      connection.rememberReplayed(new Set(liveReplay.map((item) => item.floor)), new Set(userReplay.map((item) => item.id)));
      const pending = connection.pending;
      connection.pending = [];
      connection.joining = false;
      for (const item of pending) connection.sendPending(item);
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
    if (event.type === 'room_payment') {
      this.hubs.get(event.room_id)?.deliverToUser(event.owner_id, { type: 'room_payment', data: event.data });
      return;
    }
    // The others are for caches (listing fields reach viewers through the HTTP routes) or notification sockets.
    if (isViewerEvent(event)) this.hubs.get(event.room_id)?.deliverEvent(event);
  }

  /** After the event bus lost events published since `lostSince` (Redis pub/sub reconnected). */
  async catchUp(lostSince: number): Promise<void> {
    await Promise.all(
      [...this.hubs.values()].map(async (hub) => {
        try {
          await hub.catchUp(this.deps.chat, lostSince);
        } catch (err) {
          this.deps.log.warn({ err, roomId: hub.roomId }, 'realtime catch-up failed');
        }
      }),
    );
  }

  private onClientFrame(connection: Connection, data: Buffer, isBinary: boolean): void {
    if (connection.closed) return;
    const verdict = connection.countInbound(Date.now());
    if (verdict !== 'ok') this.deps.telemetry?.count('websocket_rate_limited');
    if (verdict === 'flood') {
      connection.close(CloseCode.tooManyMessages, 'too many messages');
      return;
    }
    if (verdict === 'limited') {
      this.sendError(connection, 'rate_limited', 'Too many messages, slow down');
      return;
    }
    const parsed = parseClientFrame(data, isBinary, connection.request.legacy);
    if ('ignored' in parsed) return;
    if ('error' in parsed) this.sendError(connection, parsed.error, parsed.message);
    else if (parsed.frame.type === 'ping') connection.send(encodeFrame({ type: 'pong' }));
    else void this.postMessage(connection, parsed.frame.user_message);
  }

  private async postMessage(connection: Connection, text: string): Promise<void> {
    const { roomId, viewer, ip } = connection.request;
    try {
      // Stored and broadcast by the chat service, like POST /api/live/save_user_chat_history.
      await this.deps.chat.postViewerMessage(viewer, roomId, text, ip);
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
    connection.send(encodeFrame({ type: 'error', data: { error, message } }));
  }

  /** At most one live_num frame per room per interval, and only when the number changed. */
  private publishLiveNums(): void {
    for (const [roomId, hub] of this.hubs) {
      const liveNum = this.deps.presence.count(roomId);
      if (liveNum === hub.lastLiveNum) continue;
      hub.lastLiveNum = liveNum;
      hub.deliver({ bytes: encodeFrame({ type: 'live_num', data: { live_num: liveNum } }) });
    }
  }

  /** A heartbeat frame to every joined socket that was sent nothing since the last tick. */
  private heartbeat(): void {
    for (const hub of this.hubs.values()) {
      for (const connection of hub.connections) {
        if (connection.joining) continue;
        if (!connection.active) connection.send(HEARTBEAT);
        connection.active = false;
      }
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

/** A frame in the socket's dialect; null when a legacy socket must not get it. */
function frameFor(connection: Connection, frame: ServerFrame): Buffer | null {
  const legacy = connection.request.legacy ? encodeLegacyFrame(frame) : undefined;
  return legacy === undefined ? encodeFrame(frame) : legacy;
}
