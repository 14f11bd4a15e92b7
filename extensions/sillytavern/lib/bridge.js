/**
 * The bridge between one SillyTavern page and Pecktra Live: follows SillyTavern's events and keeps
 * the live chat's room equal to the chat. Never in SillyTavern's way: event handlers only queue
 * work and return; sending happens afterwards, one request at a time, through the persistent
 * outbox, retried with backoff, and a reconnect ends with a full resync of the chat.
 *
 * Everything it needs comes in through the constructor (SillyTavern's context, the API, storage,
 * timers), so tests drive it with a fake SillyTavern.
 */
import { ApiError } from './api.js';
import { chatFile, chatIdentity, hasFinalText, wireMessage } from './chat.js';
import { backoffDelay, Outbox } from './queue.js';
import { TypingThrottle } from './throttle.js';

/** Generations whose text is not a chat reply: SillyTavern's background and persona-side ones. */
const IGNORED_GENERATIONS = new Set(['quiet', 'impersonate']);
export const VIEWER_COUNT_INTERVAL_MS = 15_000;

/**
 * @typedef {{ serverUrl: string, token: string | null, username: string | null,
 *   chats: Record<string, { roomId: string, live: boolean, title?: string, describe?: string, room_type?: number, coin_num?: number }> }} BridgeSettings
 * @typedef {'signed_out' | 'idle' | 'sending' | 'synced' | 'retrying' | 'error'} ConnectionState
 */

export class Bridge {
  /**
   * @param {{
   *   getContext: () => any,
   *   settings: BridgeSettings,
   *   saveSettings: () => void,
   *   createApi: (serverUrl: string, token: string | null) => import('./api.js').PecktraApi,
   *   storage: { getItem(key: string): string | null, setItem(key: string, value: string): void },
   *   timers?: { now(): number, setTimeout(fn: () => void, ms: number): any, clearTimeout(handle: any): void, setInterval(fn: () => void, ms: number): any, clearInterval(handle: any): void },
   *   random?: () => number,
   *   onChange?: () => void,
   * }} deps
   */
  constructor(deps) {
    this.deps = deps;
    this.timers = deps.timers ?? {
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle),
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (handle) => clearInterval(handle),
    };
    this.outbox = new Outbox(deps.storage);
    /** @type {ConnectionState} */
    this.state = deps.settings.token ? 'idle' : 'signed_out';
    /** @type {string | null} */
    this.lastError = null;
    /** @type {number | null} */
    this.viewerCount = null;
    this.failures = 0;
    this.pumping = false;
    this.retryTimer = null;
    /** The generation being streamed, or null when none (or one that is not a chat reply). */
    this.generation = null;
    this.typing = new TypingThrottle((floor, text, done) => this.sendTyping(floor, text, done), this.timers);
    this.viewerTimer = null;
    /** @type {Array<() => void>} */
    this.detachers = [];
  }

  get api() {
    const { serverUrl, token } = this.deps.settings;
    return this.deps.createApi(serverUrl, token);
  }

  get context() {
    return this.deps.getContext();
  }

  changed() {
    this.deps.onChange?.();
  }

  // ---- the current chat -----------------------------------------------------------------------

  /** The open chat's identity, and its live settings if it has a room. */
  currentChat() {
    const identity = chatIdentity(this.context);
    if (!identity) return null;
    return { identity, room: this.deps.settings.chats[identity.key] ?? null };
  }

  /** The open chat if it is live and the anchor is signed in. */
  liveChat() {
    const current = this.currentChat();
    if (!current?.room?.live || !this.deps.settings.token) return null;
    return { identity: current.identity, roomId: current.room.roomId };
  }

  // ---- SillyTavern's events ---------------------------------------------------------------------

  attach() {
    const { eventSource, eventTypes } = this.context;
    const on = (type, handler) => {
      if (!type) return;
      const bound = (...args) => {
        try {
          handler.apply(this, args);
        } catch (err) {
          // A bug here must never break SillyTavern's own handlers.
          console.error('[Pecktra Live]', err);
        }
      };
      eventSource.on(type, bound);
      this.detachers.push(() => eventSource.removeListener?.(type, bound));
    };
    on(eventTypes.MESSAGE_SENT, this.onLineChanged);
    on(eventTypes.MESSAGE_RECEIVED, this.onLineChanged);
    on(eventTypes.MESSAGE_EDITED, this.onLineChanged);
    on(eventTypes.MESSAGE_UPDATED, this.onLineChanged);
    on(eventTypes.MESSAGE_SWIPED, this.onSwiped);
    on(eventTypes.MESSAGE_DELETED, this.onDeleted);
    on(eventTypes.CHAT_CHANGED, this.onChatChanged);
    on(eventTypes.GENERATION_STARTED, this.onGenerationStarted);
    on(eventTypes.STREAM_TOKEN_RECEIVED, this.onStreamToken);
    on(eventTypes.GENERATION_STOPPED, this.onGenerationEnded);
    on(eventTypes.GENERATION_ENDED, this.onGenerationEnded);
    this.viewerTimer = this.timers.setInterval(() => void this.refreshViewerCount(), VIEWER_COUNT_INTERVAL_MS);
    // Whatever waited in the outbox from before a reload goes out now.
    this.pump();
  }

  detach() {
    for (const detach of this.detachers.splice(0)) detach();
    if (this.viewerTimer !== null) this.timers.clearInterval(this.viewerTimer);
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.typing.cancel();
  }

  /** A line was added, edited or regenerated: post it at its floor. */
  onLineChanged(messageId) {
    const live = this.liveChat();
    const floor = Number(messageId);
    const message = this.context.chat?.[floor];
    if (!live || !Number.isInteger(floor) || !message) return;
    this.outbox.addMessage(live.roomId, live.identity.key, floor, wireMessage(message, floor));
    this.pump();
  }

  /**
   * Another swipe is shown. A swipe past the last one fires this before its text is generated
   * (MESSAGE_RECEIVED brings it later): that one is skipped.
   */
  onSwiped(messageId) {
    const message = this.context.chat?.[Number(messageId)];
    if (!message) return;
    const swipes = Array.isArray(message.swipes) ? message.swipes.length : 0;
    if ((typeof message.swipe_id === 'number' && message.swipe_id >= swipes) || !hasFinalText(message)) return;
    this.onLineChanged(messageId);
  }

  /** A deletion shifts every later line: the whole chat is posted again. */
  onDeleted() {
    this.resync();
  }

  /** Another chat (or the same one, reloaded) is open: if it is live, its room gets the whole chat. */
  onChatChanged() {
    this.typing.cancel();
    this.generation = null;
    this.viewerCount = null;
    this.resync();
    void this.refreshViewerCount();
    this.changed();
  }

  onGenerationStarted(type, _options, dryRun) {
    this.typing.cancel();
    if (dryRun || IGNORED_GENERATIONS.has(type)) {
      this.generation = null;
      return;
    }
    const chat = this.context.chat ?? [];
    // A continuation streams only the new text; viewers see it after what the line already says.
    const base = type === 'continue' ? String(chat[chat.length - 1]?.mes ?? '') : '';
    this.generation = { type, base, floor: null };
  }

  /** The cumulative reply so far (no message id: it is the chat's last line). */
  onStreamToken(text) {
    if (!this.generation || !this.liveChat()) return;
    const chat = this.context.chat ?? [];
    const floor = chat.length - 1;
    if (floor < 0 || chat[floor]?.is_user) return;
    this.generation.floor = floor;
    this.typing.update(floor, this.generation.base + String(text ?? ''));
  }

  onGenerationEnded() {
    const generation = this.generation;
    this.generation = null;
    if (generation?.floor !== null && generation?.floor !== undefined) this.typing.end(generation.floor);
    else this.typing.cancel();
  }

  // ---- sending ---------------------------------------------------------------------------------

  /** Typing is best effort: never queued, never retried, a refusal only shows in the panel. */
  sendTyping(floor, text, done) {
    const live = this.liveChat();
    if (!live) return Promise.resolve();
    return this.api.typing(live.roomId, floor, text, done).catch((err) => {
      if (err instanceof ApiError && err.signedOut) this.signedOut(err);
    });
  }

  /** Queues the whole open chat for its room (if live). */
  resync() {
    const live = this.liveChat();
    if (!live) return;
    this.outbox.addFullSync(live.roomId, live.identity.key);
    this.pump();
  }

  /** Sends the outbox in order, one request at a time, until it is empty or a send fails. */
  pump() {
    if (this.pumping || this.retryTimer !== null || !this.deps.settings.token) return;
    this.pumping = true;
    void this.drain().finally(() => {
      this.pumping = false;
    });
  }

  async drain() {
    while (this.outbox.size > 0) {
      const item = this.outbox.begin();
      this.state = 'sending';
      this.changed();
      try {
        await this.send(item);
        this.outbox.done(item);
        if (this.failures > 0) {
          // Back after an outage: whatever the failed sends were, one full sync makes the room right.
          this.failures = 0;
          this.resyncAfterReconnect();
        }
        this.lastError = null;
      } catch (err) {
        const error = err instanceof ApiError ? err : new ApiError(0, 'network', String(err));
        this.lastError = error.message;
        if (error.signedOut) {
          this.outbox.release();
          this.signedOut(error);
          return;
        }
        if (!error.retryable) {
          // Refused for good (the line is invalid, the room is gone): drop it and go on.
          this.outbox.done(item);
          if (error.status === 404) this.forgetRoom(item.roomId);
          this.state = 'error';
          this.changed();
          continue;
        }
        this.outbox.release();
        this.failures += 1;
        this.state = 'retrying';
        this.changed();
        this.retryTimer = this.timers.setTimeout(() => {
          this.retryTimer = null;
          this.pump();
        }, backoffDelay(this.failures, this.deps.random));
        return;
      }
    }
    this.state = this.lastError ? 'error' : 'synced';
    this.changed();
  }

  async send(item) {
    if (item.kind === 'message') {
      await this.api.postMessage(item.roomId, item.body);
      return;
    }
    // A full sync reads the chat when it is sent; a chat no longer open is synced when it opens again.
    const live = this.liveChat();
    if (!live || live.roomId !== item.roomId) return;
    await this.api.postChatFile(item.roomId, chatFile(this.context, live.identity));
  }

  resyncAfterReconnect() {
    const live = this.liveChat();
    if (live) this.outbox.addFullSync(live.roomId, live.identity.key);
  }

  signedOut(error) {
    this.state = 'signed_out';
    this.lastError = error.message;
    this.changed();
  }

  forgetRoom(roomId) {
    for (const room of Object.values(this.deps.settings.chats)) if (room.roomId === roomId) room.live = false;
    this.deps.saveSettings();
  }

  // ---- the panel's actions ------------------------------------------------------------------------

  async signIn(serverUrl, username, password) {
    const { token, username: name } = await this.deps.createApi(serverUrl, null).login(username, password);
    this.useToken(serverUrl, token, name);
  }

  useToken(serverUrl, token, username = null) {
    Object.assign(this.deps.settings, { serverUrl, token, username });
    this.deps.saveSettings();
    this.state = 'idle';
    this.lastError = null;
    this.failures = 0;
    this.changed();
    this.resync();
    this.pump();
  }

  signOut() {
    Object.assign(this.deps.settings, { token: null, username: null });
    this.deps.saveSettings();
    this.state = 'signed_out';
    this.changed();
  }

  /**
   * Goes live with the open chat: opens (or finds) its room with these settings, switches it on and
   * posts the whole chat.
   * @param {{ title?: string, describe?: string, room_type?: number, coin_num?: number }} roomSettings
   */
  async goLive(roomSettings = {}) {
    const current = this.currentChat();
    if (!current) throw new Error('Open a character chat first');
    const room = await this.api.openRoom({ character_name: current.identity.character_name, character_date: current.identity.character_date, ...roomSettings });
    await this.api.setLive(room.room_id, true);
    this.deps.settings.chats[current.identity.key] = { ...roomSettings, roomId: room.room_id, live: true };
    this.deps.saveSettings();
    this.resync();
    void this.refreshViewerCount();
    this.changed();
    return room.room_id;
  }

  /** Saves the room's title, description, type and price (applied at once when live). */
  async updateRoom(roomSettings) {
    const current = this.currentChat();
    if (!current) return;
    const saved = this.deps.settings.chats[current.identity.key];
    if (saved) {
      Object.assign(saved, roomSettings);
      this.deps.saveSettings();
      if (saved.live) await this.api.openRoom({ character_name: current.identity.character_name, character_date: current.identity.character_date, ...roomSettings });
    }
  }

  async stop() {
    const live = this.liveChat();
    if (!live) return;
    this.deps.settings.chats[live.identity.key].live = false;
    this.deps.saveSettings();
    this.typing.cancel();
    this.changed();
    await this.api.setLive(live.roomId, false);
  }

  async refreshViewerCount() {
    const live = this.liveChat();
    if (!live) return;
    try {
      const rooms = await this.api.listRooms();
      const room = rooms.find((candidate) => candidate.room_id === live.roomId);
      this.viewerCount = room ? room.live_num : null;
      this.changed();
    } catch {
      // Shown as unknown; the outbox reports connection trouble.
    }
  }

  roomUrl() {
    const live = this.liveChat() ?? (this.currentChat()?.room ? { roomId: this.currentChat().room.roomId } : null);
    return live ? this.api.roomUrl(live.roomId) : null;
  }
}
