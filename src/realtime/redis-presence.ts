/**
 * Presence across instances. Each instance owns one Redis key holding its viewers per room, renewed
 * by a heartbeat with a TTL, so a crashed instance's viewers disappear when the key expires. Every
 * instance reads the others' keys often and keeps the union in memory, so `count()` stays
 * synchronous and costs no round trip on hot listing routes.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { settleWithin, type RedisClient } from '../infra/redis.js';
import type { Presence } from './presence.js';

export interface RedisPresenceOptions {
  prefix: string;
  /** An instance's viewers stop counting this long after its last heartbeat. */
  ttlMs: number;
  log: Logger;
}

/** How long a closing instance tries to remove its own key before leaving it to expire. */
const FAREWELL_GRACE_MS = 500;

/** Local changes reach Redis after at most this delay, so bursts of joins cost one write. */
const WRITE_DELAY_MS = 100;

type Snapshot = Record<string, string[]>;

export class RedisPresence implements Presence {
  private readonly instanceId = randomUUID();
  /** room -> viewer -> this instance's connections */
  private readonly local = new Map<string, Map<string, Set<string>>>();
  /** room -> viewers on other live instances */
  private remote = new Map<string, Set<string>>();
  private readonly counts = new Map<string, number>();
  private readonly instancesKey: string;
  private readonly ownKey: string;
  private readonly timers: NodeJS.Timeout[] = [];
  private writeTimer?: NodeJS.Timeout;
  /** While Redis is away commands wait in the client's queue; one of each kind is enough. */
  private writing = false;
  private writeAgain = false;
  private refreshing = false;
  private closed = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisPresenceOptions,
  ) {
    this.instancesKey = `${options.prefix}presence:instances`;
    this.ownKey = this.instanceKey(this.instanceId);
    const heartbeatMs = Math.max(100, Math.floor(options.ttlMs / 3));
    const refreshMs = Math.min(1_000, heartbeatMs);
    this.timers.push(setInterval(() => void this.write(), heartbeatMs));
    this.timers.push(setInterval(() => void this.refresh(), refreshMs));
    for (const timer of this.timers) timer.unref();
  }

  /** Reads the other instances once so counts are right from the first request. */
  async start(): Promise<void> {
    await Promise.all([this.write(), this.refresh()]);
  }

  join(roomId: string, viewerKey: string, connectionId: string): void {
    let viewers = this.local.get(roomId);
    if (!viewers) this.local.set(roomId, (viewers = new Map()));
    let connections = viewers.get(viewerKey);
    if (!connections) {
      viewers.set(viewerKey, (connections = new Set()));
      this.changed(roomId);
    }
    connections.add(connectionId);
  }

  leave(roomId: string, viewerKey: string, connectionId: string): void {
    const viewers = this.local.get(roomId);
    const connections = viewers?.get(viewerKey);
    if (!viewers || !connections) return;
    connections.delete(connectionId);
    if (connections.size > 0) return;
    viewers.delete(viewerKey);
    if (viewers.size === 0) this.local.delete(roomId);
    this.changed(roomId);
  }

  count(roomId: string): number {
    let count = this.counts.get(roomId);
    if (count === undefined) {
      const local = this.local.get(roomId);
      const remote = this.remote.get(roomId);
      count = local?.size ?? 0;
      if (remote) for (const viewer of remote) if (!local?.has(viewer)) count += 1;
      this.counts.set(roomId, count);
    }
    return count;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.writeTimer);
    // Leave at once instead of waiting for the TTL. While Redis is away these commands would wait in
    // the client's queue for a reconnection, so the farewell gets a short grace and the TTL does the rest.
    await settleWithin(Promise.all([this.redis.del(this.ownKey), this.redis.zRem(this.instancesKey, this.instanceId)]), FAREWELL_GRACE_MS);
  }

  private changed(roomId: string): void {
    this.counts.delete(roomId);
    if (this.writeTimer || this.closed) return;
    this.writeTimer = setTimeout(() => {
      this.writeTimer = undefined;
      void this.write();
    }, WRITE_DELAY_MS);
    this.writeTimer.unref();
  }

  private instanceKey(instanceId: string): string {
    return `${this.options.prefix}presence:instance:${instanceId}`;
  }

  private async write(): Promise<void> {
    if (this.closed) return;
    if (this.writing) {
      this.writeAgain = true;
      return;
    }
    this.writing = true;
    const snapshot: Snapshot = {};
    for (const [roomId, viewers] of this.local) snapshot[roomId] = [...viewers.keys()];
    try {
      await this.redis
        .multi()
        .set(this.ownKey, JSON.stringify(snapshot), { expiration: { type: 'PX', value: this.options.ttlMs } })
        .zAdd(this.instancesKey, { score: Date.now(), value: this.instanceId })
        .exec();
    } catch (err) {
      this.options.log.warn({ err }, 'presence heartbeat failed');
    } finally {
      this.writing = false;
      if (this.writeAgain) {
        this.writeAgain = false;
        void this.write();
      }
    }
  }

  private async refresh(): Promise<void> {
    if (this.closed || this.refreshing) return;
    this.refreshing = true;
    try {
      // Instances silent for many TTLs are gone for good; their keys have long expired.
      await this.redis.zRemRangeByScore(this.instancesKey, '-inf', Date.now() - 10 * this.options.ttlMs);
      const instances = (await this.redis.zRange(this.instancesKey, 0, -1)).filter((id) => id !== this.instanceId);
      const remote = new Map<string, Set<string>>();
      if (instances.length > 0) {
        const snapshots = await this.redis.mGet(instances.map((id) => this.instanceKey(id)));
        for (const raw of snapshots) {
          if (!raw) continue;
          for (const [roomId, viewers] of Object.entries(JSON.parse(raw) as Snapshot)) {
            let set = remote.get(roomId);
            if (!set) remote.set(roomId, (set = new Set()));
            for (const viewer of viewers) set.add(viewer);
          }
        }
      }
      this.remote = remote;
      this.counts.clear();
    } catch (err) {
      this.options.log.warn({ err }, 'presence refresh failed');
    } finally {
      this.refreshing = false;
    }
  }
}
