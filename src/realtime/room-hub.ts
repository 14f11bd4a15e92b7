/**
 * The viewers of one room on this instance. An event is serialised once and the same bytes go to
 * every socket; batch-mode sockets get the events of one coalescing tick joined into one frame,
 * built once for the room. Writing a frame costs a system call per socket whatever its size, so a
 * room of thousands gets one write per socket per tick instead of one per event; a flush that takes
 * longer (a big room, a busy machine) lets more events gather for the next one, so sockets fall
 * behind by about one flush and never by a growing queue. Additions are remembered so that a
 * catch-up after a bus gap, and a late live copy of what a catch-up already sent, are never
 * delivered twice.
 */
import type { RealtimeConfig } from '../config.js';
import type { Connection, Pending } from './connection.js';
import type { DomainEvent } from './events.js';
import type { ChatFeed } from './feed.js';
import { addedLine, encodeFrame, encodeLegacyFrame } from './frames.js';
import type { ServerFrame } from './schemas.js';

/** Most transcript lines and most viewer messages replayed on resume or sent by one catch-up. */
export const REPLAY_LIMIT = 500;

/** Events that are no viewer frame: they only concern caches, or reach one user (room_payment, followed_live). */
const NOT_FOR_VIEWERS = ['room_updated', 'access_changed', 'balance_changed', 'leaderboard_stale', 'room_payment', 'followed_live'] as const;
const notForViewers: ReadonlySet<string> = new Set(NOT_FOR_VIEWERS);

/** Room events that become viewer frames. */
export type ViewerEvent = Exclude<DomainEvent, { type: (typeof NOT_FOR_VIEWERS)[number] }>;

export function isViewerEvent(event: DomainEvent): event is ViewerEvent {
  return !notForViewers.has(event.type);
}

/** Additions remembered per room to deduplicate a catch-up. */
const RECENT_LIMIT = 1_000;
/** How far behind the newest line a catch-up looks: lines can land out of order around a gap. */
const CATCH_UP_WINDOW = 100;
const NEWLINE = Buffer.from('\n');
/**
 * Largest coalesced frame: more queued events make several frames. A frame is never cut below
 * one event, and stays well under the slow-client limit so that one frame cannot drop a healthy
 * reader on its own.
 */
const MAX_COALESCED_FRAME_BYTES = 64 * 1024;

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

export class RoomHub {
  readonly connections = new Set<Connection>();
  lastLiveNum = -1;
  /** Highest transcript floor and viewer message id seen, for catching up after a bus gap. */
  highestFloor = -1;
  highestUserMessageId = 0;
  /** Where the room stood when its first viewer here joined; older lines came with their history. */
  baselineFloor?: number;
  baselineUserMessageId?: number;
  /** Recently delivered additions, so a catch-up sends only what is really missing. */
  private readonly recentFloors = new RecentSet();
  private readonly recentUserMessageIds = new RecentSet();
  /** Lines delivered by a catch-up; their late live copy is dropped once. */
  private readonly caughtUpFloors = new Set<number>();
  private batchConnections = 0;
  private legacyConnections = 0;
  private batchQueue: Pending[] = [];
  private flushScheduled = false;

  private readonly maxFrameBytes: number;

  constructor(
    readonly roomId: string,
    private readonly config: Pick<RealtimeConfig, 'coalesceMs' | 'maxBufferedBytes'>,
  ) {
    this.maxFrameBytes = Math.min(MAX_COALESCED_FRAME_BYTES, Math.floor(config.maxBufferedBytes / 4));
  }

  add(connection: Connection): void {
    this.connections.add(connection);
    if (connection.request.batch) this.batchConnections += 1;
    if (connection.request.legacy) this.legacyConnections += 1;
  }

  remove(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    if (connection.request.batch) this.batchConnections -= 1;
    if (connection.request.legacy) this.legacyConnections -= 1;
  }

  /** Where the room stands now (read by a joining socket): what later additions are measured from. */
  noteCursor(lastFloor: number, lastUserMessageId: number): void {
    this.baselineFloor ??= lastFloor;
    this.baselineUserMessageId ??= lastUserMessageId;
    this.highestFloor = Math.max(this.highestFloor, lastFloor);
    this.highestUserMessageId = Math.max(this.highestUserMessageId, lastUserMessageId);
  }

  /** A room event for this room's viewers, unless it duplicates one already delivered. */
  deliverEvent(event: ViewerEvent): void {
    // Each viewer event is the frame of its type (see events.ts); TypeScript cannot pair the two unions.
    const frame = { type: event.type, data: event.data } as ServerFrame;
    const pending: Pending = { bytes: encodeFrame(frame) };
    if (this.legacyConnections > 0) pending.legacyBytes = encodeLegacyFrame(frame);
    if (event.type === 'chat_live_message' && event.data.op === 'add') {
      if (this.caughtUpFloors.delete(event.data.floor)) return;
      pending.addedFloor = event.data.floor;
      this.recentFloors.add(event.data.floor);
      this.highestFloor = Math.max(this.highestFloor, event.data.floor);
    } else if (event.type === 'chat_user_message') {
      // Ids are never reused, so a second copy is always a duplicate.
      if (this.recentUserMessageIds.has(event.data.id)) return;
      pending.userMessageId = event.data.id;
      this.recentUserMessageIds.add(event.data.id);
      this.highestUserMessageId = Math.max(this.highestUserMessageId, event.data.id);
    }
    this.deliver(pending);
  }

  /**
   * A frame for the sockets of one signed-in user (the room's owner) only: sent directly, never
   * batched or queued for others. A socket still joining gets it after its replay, like any event.
   */
  deliverToUser(userId: string, frame: ServerFrame): void {
    let bytes: Buffer | undefined;
    for (const connection of this.connections) {
      const { viewer, legacy } = connection.request;
      if (legacy || viewer.kind !== 'user' || viewer.user.id !== userId) continue;
      bytes ??= encodeFrame(frame);
      if (connection.joining) connection.pending.push({ bytes });
      else connection.send(bytes);
    }
  }

  deliver(pending: Pending): void {
    for (const connection of this.connections) {
      if (connection.joining) connection.pending.push(pending);
      else if (!connection.request.batch) connection.sendPending(pending);
    }
    if (this.batchConnections > 0) {
      this.batchQueue.push(pending);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        if (this.config.coalesceMs > 0) setTimeout(() => this.flushBatch(), this.config.coalesceMs);
        else setImmediate(() => this.flushBatch());
      }
    }
  }

  /** Sends queued events to batch-mode sockets as newline-delimited frames, built once for all. */
  flushBatch(): void {
    this.flushScheduled = false;
    const queue = this.batchQueue;
    if (queue.length === 0) return;
    this.batchQueue = [];
    const joined = joinFrames(queue, this.maxFrameBytes);
    for (const connection of this.connections) {
      if (!connection.request.batch || connection.joining) continue;
      if (!connection.remembersReplay) {
        for (const frame of joined) connection.send(frame);
        continue;
      }
      // Just resumed: its own frames, without what its replay carried.
      const own = queue.filter((pending) => !connection.replayedAlready(pending));
      const frames = own.length === queue.length ? joined : joinFrames(own, this.maxFrameBytes);
      for (const frame of frames) connection.send(frame);
    }
  }

  /**
   * After the event bus lost events published since `lostSince`, sends this room's viewers what
   * they missed, from the database: lines and viewer messages added, and edits and deletions of
   * those they already had (idempotent, so a repeat is harmless).
   */
  async catchUp(chat: ChatFeed, lostSince: number): Promise<void> {
    const roomId = this.roomId;
    const [live, user, changes] = await Promise.all([
      chat.liveMessagesAfter(roomId, this.highestFloor - CATCH_UP_WINDOW, REPLAY_LIMIT),
      chat.userMessagesAfter(roomId, Math.max(0, this.highestUserMessageId - CATCH_UP_WINDOW), REPLAY_LIMIT),
      chat.changesSince(roomId, lostSince, this.highestFloor, this.highestUserMessageId, REPLAY_LIMIT),
    ]);
    for (const data of changes.live) this.deliverEvent({ type: 'chat_live_message', room_id: roomId, data });
    for (const id of changes.deletedUserMessageIds) {
      this.deliverEvent({ type: 'chat_user_message_deleted', room_id: roomId, data: { id } });
    }
    for (const item of live) {
      if (item.floor <= (this.baselineFloor ?? Infinity) || this.recentFloors.has(item.floor)) continue;
      this.deliverEvent({ type: 'chat_live_message', room_id: roomId, data: addedLine(item) });
      this.caughtUpFloors.add(item.floor);
    }
    for (const item of user) {
      if (item.id > (this.baselineUserMessageId ?? Infinity) && !this.recentUserMessageIds.has(item.id)) {
        this.deliverEvent({ type: 'chat_user_message', room_id: roomId, data: item });
      }
    }
  }
}

/** Events, in order, as newline-delimited frames of at most `maxBytes` (or one event each if larger). */
function joinFrames(queue: Pending[], maxBytes: number): Buffer[] {
  const frames: Buffer[] = [];
  let parts: Buffer[] = [];
  let size = 0;
  for (const { bytes } of queue) {
    if (parts.length > 0 && size + NEWLINE.length + bytes.length > maxBytes) {
      frames.push(concatLines(parts, size));
      parts = [];
      size = 0;
    }
    size += (parts.length > 0 ? NEWLINE.length : 0) + bytes.length;
    parts.push(bytes);
  }
  if (parts.length > 0) frames.push(concatLines(parts, size));
  return frames;
}

function concatLines(parts: Buffer[], size: number): Buffer {
  if (parts.length === 1) return parts[0]!;
  return Buffer.concat(parts.flatMap((bytes, i) => (i === 0 ? [bytes] : [NEWLINE, bytes])), size);
}
