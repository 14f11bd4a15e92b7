/**
 * Typing updates at a steady pace and in order: SillyTavern fires a token event per token (dozens a
 * second); viewers need a few updates a second. The first text goes out at once, later ones at most
 * every `intervalMs`, and the newest text always goes out last (nothing is left behind when tokens
 * stop). One request at a time: a slow answer must not let an older, shorter text arrive after a
 * newer one (behind a load balancer each request may reach another instance), so while one is
 * unanswered the next waits, and only the newest text goes when it returns.
 */
export const TYPING_INTERVAL_MS = 125;

export class TypingThrottle {
  /**
   * @param {(floor: number, text: string, done: boolean) => unknown} send may return a promise; the
   *   next request waits for it (a rejection is the sender's business)
   * @param {{ now(): number, setTimeout(fn: () => void, ms: number): any, clearTimeout(handle: any): void }} timers
   */
  constructor(send, timers, intervalMs = TYPING_INTERVAL_MS) {
    this.send = send;
    this.timers = timers;
    this.intervalMs = intervalMs;
    this.lastSentAt = -Infinity;
    /** @type {Array<{ floor: number, text: string, done: boolean }>} Frames not sent yet; at most one text, always last. */
    this.queue = [];
    this.inFlight = false;
    this.timer = null;
  }

  /** The reply so far for `floor`. */
  update(floor, text) {
    const last = this.queue.at(-1);
    if (last && !last.done) {
      last.floor = floor;
      last.text = text;
    } else {
      this.queue.push({ floor, text, done: false });
    }
    this.schedule();
  }

  /** Generation over: its unsent text is dropped and `floor`'s typing ends, after any request still unanswered. */
  end(floor) {
    this.clearTimer();
    this.queue = this.queue.filter((frame) => frame.done);
    this.queue.push({ floor, text: '', done: true });
    this.schedule();
  }

  /** Nothing more of the current text is sent (an end already queued still goes); the next text goes at once. */
  cancel() {
    this.clearTimer();
    this.queue = this.queue.filter((frame) => frame.done);
    this.lastSentAt = -Infinity;
  }

  schedule() {
    if (this.inFlight || this.timer !== null) return;
    const next = this.queue[0];
    if (!next) return;
    const wait = next.done ? 0 : this.lastSentAt + this.intervalMs - this.timers.now();
    if (wait <= 0) this.sendNext();
    else
      this.timer = this.timers.setTimeout(() => {
        this.timer = null;
        this.sendNext();
      }, wait);
  }

  sendNext() {
    const frame = this.queue.shift();
    if (!frame) return;
    this.inFlight = true;
    // The end of a reply resets the pace: the next reply's first text goes at once.
    this.lastSentAt = frame.done ? -Infinity : this.timers.now();
    let answer;
    try {
      answer = this.send(frame.floor, frame.text, frame.done);
    } catch {
      answer = undefined;
    }
    void Promise.resolve(answer)
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = false;
        this.schedule();
      });
  }

  clearTimer() {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
