/**
 * Event bus across instances over Redis pub/sub. Local subscribers get events synchronously (no
 * Redis round trip); other instances get them through one channel. Pub/sub is at-most-once, so the
 * bus watches its own subscription with beats on a control channel: a silent subscription is
 * rebuilt, and once beats flow again after a silence `onGap` handlers are told to catch up.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { closeRedisClient, connectRedis, createRedisClient, type RedisClient } from '../infra/redis.js';
import type { DomainEvent, DomainEventHandler, EventBus } from './events.js';
import { MemoryEventBus } from './memory-event-bus.js';

export interface RedisEventBusOptions {
  url: string;
  /** Key/channel prefix, e.g. `pecktra:`. */
  prefix: string;
  heartbeatMs: number;
  log: Logger;
}

interface Envelope {
  origin: string;
  event: DomainEvent;
}

export class RedisEventBus implements EventBus {
  private readonly local = new MemoryEventBus();
  private readonly gapHandlers = new Set<(lostSince: number) => void>();
  private readonly instanceId = randomUUID();
  private readonly eventsChannel: string;
  private readonly controlChannel: string;
  private subscriber!: RedisClient;
  /** A replacement subscriber still connecting; close() must abandon it or it retries forever. */
  private connecting?: RedisClient;
  private lastBeatAt = Date.now();
  private rebuilding = false;
  private closed = false;
  private timer?: NodeJS.Timeout;

  private constructor(
    private readonly publisher: RedisClient,
    private readonly options: RedisEventBusOptions,
  ) {
    this.eventsChannel = `${options.prefix}events`;
    this.controlChannel = `${options.prefix}control`;
  }

  static async connect(options: RedisEventBusOptions): Promise<RedisEventBus> {
    // A publish while Redis is down fails at once: the event is still delivered locally and
    // remote viewers recover it through catch-up, instead of requests hanging on a queue.
    const publisher = await connectRedis(options.url, options.log, 'bus-publisher', { failFastWhenDisconnected: true });
    const bus = new RedisEventBus(publisher, options);
    try {
      bus.subscriber = await bus.openSubscriber();
      bus.lastBeatAt = Date.now();
      bus.timer = setInterval(() => void bus.beat(), options.heartbeatMs);
      bus.timer.unref();
    } catch (err) {
      await bus.close();
      throw err;
    }
    return bus;
  }

  async publish(event: DomainEvent): Promise<void> {
    this.local.deliver(event);
    const envelope: Envelope = { origin: this.instanceId, event };
    try {
      await this.publisher.publish(this.eventsChannel, JSON.stringify(envelope));
    } catch (err) {
      this.options.log.warn({ err, type: event.type, room_id: event.room_id }, 'event not sent to other instances');
    }
  }

  subscribe(handler: DomainEventHandler): () => void {
    return this.local.subscribe(handler);
  }

  onGap(handler: (lostSince: number) => void): () => void {
    this.gapHandlers.add(handler);
    return () => this.gapHandlers.delete(handler);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.gapHandlers.clear();
    await this.local.close();
    for (const client of [this.connecting, this.subscriber, this.publisher]) if (client) closeRedisClient(client);
  }

  private async openSubscriber(): Promise<RedisClient> {
    const subscriber = createRedisClient(this.options.url, this.options.log, 'bus-subscriber');
    this.connecting = subscriber;
    try {
      await subscriber.connect();
    } finally {
      this.connecting = undefined;
    }
    await subscriber.subscribe(this.eventsChannel, (message) => this.onRemote(message));
    await subscriber.subscribe(this.controlChannel, (message) => this.onControl(message));
    // Any later 'ready' is a reconnection: whatever was published meanwhile never reached us, however
    // short the outage (too short, perhaps, for the beats to notice).
    subscriber.on('ready', () => {
      const lastHeardAt = this.lastBeatAt;
      this.lastBeatAt = Date.now();
      this.reportGap(lastHeardAt);
    });
    return subscriber;
  }

  private onRemote(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch (err) {
      this.options.log.warn({ err }, 'unreadable event from redis');
      return;
    }
    if (envelope.origin !== this.instanceId) this.local.deliver(envelope.event);
  }

  private onControl(message: string): void {
    if (message !== this.instanceId) return;
    const now = Date.now();
    const silence = now - this.lastBeatAt;
    this.lastBeatAt = now;
    if (silence > 2.5 * this.options.heartbeatMs) {
      this.options.log.warn({ silenceMs: silence }, 'redis subscription was silent; catching up');
      this.reportGap(now - silence);
    }
  }

  /** `lastHeardAt`: the last beat heard before the silence; events up to a beat earlier may be in flight. */
  private reportGap(lastHeardAt: number): void {
    const lostSince = lastHeardAt - this.options.heartbeatMs;
    for (const handler of this.gapHandlers) handler(lostSince);
  }

  private async beat(): Promise<void> {
    this.publisher.publish(this.controlChannel, this.instanceId).catch(() => undefined);
    const silent = Date.now() - this.lastBeatAt > 3 * this.options.heartbeatMs;
    // A subscriber that claims to be connected yet hears nothing is half-open: replace it (and
    // retry if a previous replacement failed).
    const halfOpen = silent && this.subscriber.isReady && this.publisher.isReady;
    if ((halfOpen || !this.subscriber.isOpen) && !this.rebuilding && !this.closed) {
      this.rebuilding = true;
      const lastHeardAt = this.lastBeatAt;
      this.options.log.warn('redis subscription silent; reconnecting it');
      // The old connection goes first: two live subscriptions would deliver every event twice.
      if (this.subscriber.isOpen) this.subscriber.destroy();
      try {
        const subscriber = await this.openSubscriber();
        if (this.closed) {
          closeRedisClient(subscriber);
          return;
        }
        this.subscriber = subscriber;
        // A fresh subscription gets a full grace period before it can be judged silent.
        this.lastBeatAt = Date.now();
        this.reportGap(lastHeardAt);
      } catch (err) {
        this.options.log.warn({ err }, 'could not rebuild redis subscription');
      } finally {
        this.rebuilding = false;
      }
    }
  }
}
