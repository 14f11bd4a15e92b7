/**
 * Typing updates at a steady pace: SillyTavern fires a token event per token (dozens a second);
 * viewers need a few updates a second. The first text goes out at once, later ones at most every
 * `intervalMs`, and the newest text always goes out last (nothing is left behind when tokens stop).
 */
export const TYPING_INTERVAL_MS = 125;

export class TypingThrottle {
  /**
   * @param {(floor: number, text: string) => void} send
   * @param {{ now(): number, setTimeout(fn: () => void, ms: number): any, clearTimeout(handle: any): void }} timers
   */
  constructor(send, timers, intervalMs = TYPING_INTERVAL_MS) {
    this.send = send;
    this.timers = timers;
    this.intervalMs = intervalMs;
    this.lastSentAt = -Infinity;
    this.pending = null;
    this.timer = null;
  }

  /** The reply so far for `floor`. */
  update(floor, text) {
    this.pending = { floor, text };
    if (this.timer !== null) return;
    const wait = this.lastSentAt + this.intervalMs - this.timers.now();
    if (wait <= 0) this.flush();
    else this.timer = this.timers.setTimeout(() => this.flush(), wait);
  }

  flush() {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    this.lastSentAt = this.timers.now();
    this.send(pending.floor, pending.text);
  }

  /** Generation over: nothing more is sent for it; the next one starts fresh. */
  cancel() {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
    this.lastSentAt = -Infinity;
  }
}
