/**
 * The bridge's outbox: what still has to reach the server, kept in the browser's storage so a page
 * reload loses nothing, bounded so a long outage cannot fill it, and retried with backoff. Posts
 * carry their floor, so sending one twice is harmless (the server keeps it unchanged).
 *
 * Items: `{ kind: 'message', roomId, floor, body }` and `{ kind: 'full', roomId, chatKey }` (post
 * the whole chat). A full sync makes every earlier item for its room redundant, so it replaces
 * them; when the outbox is full, a room's posts collapse into one full sync.
 */

export const QUEUE_STORAGE_KEY = 'pecktra_live_outbox_v1';
export const MAX_QUEUE_ITEMS = 200;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 30_000;

/** Delay before retry `attempt` (1-based): doubling from a second up to 30 s, with ±20% jitter. */
export function backoffDelay(attempt, random = Math.random) {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export class Outbox {
  /**
   * @param {{ getItem(key: string): string | null, setItem(key: string, value: string): void }} storage
   * @param {number} [limit]
   */
  constructor(storage, limit = MAX_QUEUE_ITEMS) {
    this.storage = storage;
    this.limit = limit;
    /** @type {any[]} */
    this.items = [];
    /** The item being sent: it is neither replaced nor dropped under the sender's feet. */
    this.inFlight = null;
    try {
      const saved = JSON.parse(storage.getItem(QUEUE_STORAGE_KEY) ?? '[]');
      if (Array.isArray(saved)) this.items = saved.filter((item) => item && typeof item.roomId === 'string');
    } catch {
      this.items = [];
    }
  }

  get size() {
    return this.items.length;
  }

  /** The next item to send, marked as in flight until `done(item)`. */
  begin() {
    this.inFlight = this.items[0] ?? null;
    return this.inFlight;
  }

  /** The item was sent, or refused for good: it leaves the outbox. */
  done(item) {
    if (this.inFlight === item) this.inFlight = null;
    this.items = this.items.filter((candidate) => candidate !== item);
    this.save();
  }

  /** The item could not be sent yet: it stays first in line. */
  release() {
    this.inFlight = null;
  }

  /** A line to post: replaces a waiting post of the same floor (only the newest text matters). */
  addMessage(roomId, chatKey, floor, body) {
    if (this.items.some((item) => item !== this.inFlight && item.kind === 'full' && item.roomId === roomId)) {
      // A full sync is already waiting: it will read the chat as it is then, this line included.
      return;
    }
    const index = this.items.findIndex(
      (item) => item !== this.inFlight && item.kind === 'message' && item.roomId === roomId && item.floor === floor,
    );
    const item = { kind: 'message', roomId, chatKey, floor, body };
    if (index >= 0) this.items[index] = item;
    else this.items.push(item);
    if (this.items.length > this.limit) this.collapse(roomId, chatKey);
    this.save();
  }

  /** The whole chat must be posted: every waiting item of the room is covered by it. */
  addFullSync(roomId, chatKey) {
    this.items = this.items.filter((item) => item === this.inFlight || item.roomId !== roomId);
    this.items.push({ kind: 'full', roomId, chatKey });
    this.save();
  }

  /** Forgets a room's items (the anchor stopped its live or signed out). */
  dropRoom(roomId) {
    this.items = this.items.filter((item) => item === this.inFlight || item.roomId !== roomId);
    this.save();
  }

  collapse(roomId, chatKey) {
    this.addFullSync(roomId, chatKey);
    // Still over the limit with other rooms' posts: the oldest rooms become full syncs too.
    while (this.items.length > this.limit) {
      const oldest = this.items.find((item) => item !== this.inFlight && item.kind === 'message');
      if (!oldest) break;
      this.addFullSync(oldest.roomId, oldest.chatKey);
    }
  }

  save() {
    try {
      this.storage.setItem(QUEUE_STORAGE_KEY, JSON.stringify(this.items));
    } catch {
      // Storage full or unavailable: the items stay in memory, and a reconnect resyncs anyway.
    }
  }
}
