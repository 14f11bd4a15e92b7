/**
 * Per-user notification sockets (`/ws/notifications`): every open tab of a signed-in viewer on this
 * instance, whatever page it shows. When a room goes live, its `followed_live` event reaches every
 * instance through the event bus; each instance asks which of its connected users follow the room
 * (one indexed query, only when it has any) and sends them the frame, serialised once.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { RealtimeConfig } from '../config.js';
import { CloseCode } from './connection.js';
import type { DomainEvent, EventBus } from './events.js';
import type { FollowerDirectory } from './feed.js';
import type { FollowedLiveData, NotificationFrame } from './schemas.js';

/** Tabs one user may have connected to one instance; more are refused (4029). */
const MAX_SOCKETS_PER_USER = 20;
/** Users per follower lookup, to keep each query's parameter list small. */
const LOOKUP_CHUNK = 500;

interface UserSocket {
  socket: WebSocket;
  userId: string;
  /** Something was sent since the last heartbeat tick. */
  active: boolean;
  missedPongs: number;
  windowStartedAt: number;
  windowCount: number;
}

export interface UserChannelsDependencies {
  followers: FollowerDirectory;
  eventBus: EventBus;
  config: RealtimeConfig;
  log: FastifyBaseLogger;
}

function encode(frame: NotificationFrame): Buffer {
  return Buffer.from(JSON.stringify(frame));
}

const HEARTBEAT = encode({ type: 'heartbeat' });
const PONG = encode({ type: 'pong' });

export class UserChannels {
  private readonly byUser = new Map<string, Set<UserSocket>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: () => void;
  private closing = false;

  constructor(private readonly deps: UserChannelsDependencies) {
    this.unsubscribe = deps.eventBus.subscribe((event) => this.onEvent(event));
    this.timers.push(setInterval(() => this.heartbeat(), deps.config.heartbeatMs));
    this.timers.push(setInterval(() => this.pingAll(), deps.config.pingIntervalMs));
    for (const timer of this.timers) timer.unref();
  }

  socketCount(): number {
    let total = 0;
    for (const sockets of this.byUser.values()) total += sockets.size;
    return total;
  }

  accept(socket: WebSocket, userId: string): void {
    const channel: UserSocket = { socket, userId, active: false, missedPongs: 0, windowStartedAt: 0, windowCount: 0 };
    socket.on('message', () => this.onClientFrame(channel));
    socket.on('pong', () => {
      channel.missedPongs = 0;
    });
    if (this.closing) {
      socket.close(CloseCode.goingAway, 'server shutting down');
      return;
    }
    let sockets = this.byUser.get(userId);
    if (!sockets) this.byUser.set(userId, (sockets = new Set()));
    if (sockets.size >= MAX_SOCKETS_PER_USER) {
      socket.close(CloseCode.tooManyConnections, 'too many notification sockets');
      return;
    }
    sockets.add(channel);
    socket.once('close', () => this.remove(channel));
    this.send(channel, encode({ type: 'hello', data: { uid: userId, heartbeat_ms: this.deps.config.heartbeatMs } }));
  }

  private remove(channel: UserSocket): void {
    const sockets = this.byUser.get(channel.userId);
    if (!sockets) return;
    sockets.delete(channel);
    if (sockets.size === 0) this.byUser.delete(channel.userId);
  }

  private onEvent(event: DomainEvent): void {
    if (event.type !== 'followed_live' || this.byUser.size === 0) return;
    this.notifyFollowers(event.data).catch((err: unknown) =>
      this.deps.log.error({ err, roomId: event.room_id }, 'go-live notification failed'),
    );
  }

  private async notifyFollowers(data: FollowedLiveData): Promise<void> {
    const connected = [...this.byUser.keys()].filter((userId) => userId !== data.uid);
    const bytes = encode({ type: 'followed_live', data });
    for (let i = 0; i < connected.length; i += LOOKUP_CHUNK) {
      const followers = await this.deps.followers.followersAmong(data.room_id, connected.slice(i, i + LOOKUP_CHUNK));
      for (const userId of followers) {
        for (const channel of this.byUser.get(userId) ?? []) this.send(channel, bytes);
      }
    }
  }

  /** Only pings are answered; a client that floods is cut off. */
  private onClientFrame(channel: UserSocket): void {
    const now = Date.now();
    const { inboundWindowMs, inboundMaxMessages } = this.deps.config;
    if (now - channel.windowStartedAt >= inboundWindowMs) {
      channel.windowStartedAt = now;
      channel.windowCount = 0;
    }
    channel.windowCount += 1;
    if (channel.windowCount > inboundMaxMessages) {
      this.remove(channel);
      channel.socket.close(CloseCode.tooManyMessages, 'too many messages');
      return;
    }
    this.send(channel, PONG);
  }

  /** Drops a socket that stopped reading rather than buffering for it without end. */
  private send(channel: UserSocket, bytes: Buffer): void {
    if (channel.socket.readyState !== channel.socket.OPEN) return;
    if (channel.socket.bufferedAmount + bytes.length > this.deps.config.maxBufferedBytes) {
      this.remove(channel);
      channel.socket.terminate();
      return;
    }
    channel.active = true;
    channel.socket.send(bytes, { binary: false });
  }

  private heartbeat(): void {
    for (const sockets of this.byUser.values()) {
      for (const channel of sockets) {
        if (!channel.active) this.send(channel, HEARTBEAT);
        channel.active = false;
      }
    }
  }

  private pingAll(): void {
    for (const sockets of [...this.byUser.values()]) {
      for (const channel of [...sockets]) {
        if (channel.missedPongs >= 2) {
          this.remove(channel);
          channel.socket.terminate();
          continue;
        }
        channel.missedPongs += 1;
        channel.socket.ping();
      }
    }
  }

  /** Shutdown: every socket closed with 1001, so tabs reconnect to another instance. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const timer of this.timers) clearInterval(timer);
    this.unsubscribe();
    const sockets = [...this.byUser.values()].flatMap((set) => [...set].map((channel) => channel.socket));
    this.byUser.clear();
    await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === socket.CLOSED) return resolve();
            socket.once('close', () => resolve());
            socket.close(CloseCode.goingAway, 'server shutting down');
            setTimeout(() => socket.terminate(), 2_000).unref();
          }),
      ),
    );
  }
}
