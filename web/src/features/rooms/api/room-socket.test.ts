import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseFrames, reconnectDelay, RoomSocket, type ConnectionState } from './room-socket.ts';
import type { ServerFrame } from './frames.ts';

/** Just enough of the browser WebSocket to drive RoomSocket by hand. */
class FakeWebSocket {
  static readonly OPEN = 1;
  static instances: FakeWebSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(...frames: object[]) {
    this.onmessage?.({ data: frames.map((frame) => JSON.stringify(frame)).join('\n') });
  }
  drop(code: number) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const hello = {
  type: 'hello',
  data: { room_id: 'r1', live_status: true, live_num: 2, last_floor: 3, last_user_message_id: 5, resume_complete: true, server_time: 5_000_000, heartbeat_ms: 0 },
} satisfies ServerFrame;

describe('room socket', () => {
  let states: ConnectionState[];
  let frames: ServerFrame[];
  let cursor: { afterFloor: number; afterUserMessageId: number };
  let socket: RoomSocket;

  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.stubGlobal('location', { protocol: 'http:', host: 'live.example:8080' });
    vi.stubGlobal('navigator', { onLine: true });
    vi.stubGlobal('window', { addEventListener: vi.fn(), removeEventListener: vi.fn() });
    states = [];
    frames = [];
    cursor = { afterFloor: 3, afterUserMessageId: 5 };
    socket = new RoomSocket('room 1', {
      onFrame: (frame) => frames.push(frame),
      onState: (state) => states.push(state),
      resumeCursor: () => cursor,
    });
  });

  afterEach(() => {
    socket.stop();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('connects with the resume cursor and is live once the server says hello', () => {
    socket.start();
    const ws = FakeWebSocket.instances[0]!;
    expect(ws.url).toBe('ws://live.example:8080/ws/chat/room%201?batch=1&after_floor=3&after_user_message_id=5');
    ws.open();
    ws.receive(hello);
    expect(states).toEqual(['connecting', 'live']);
    expect(frames).toEqual([hello]);
  });

  it('hands on each event of a coalesced frame, in order, and goes live on a hello among them', () => {
    socket.start();
    const ws = FakeWebSocket.instances[0]!;
    ws.open();
    const line = (floor: number) =>
      ({
        type: 'chat_live_message',
        data: { op: 'add', floor, is_user: false, live_message: `l${floor}`, live_message_html: `l${floor}`, sender_name: 'A', send_date: '' },
      }) satisfies ServerFrame;
    ws.receive(hello, line(4), line(5));
    ws.receive(line(6), { type: 'live_num', data: { live_num: 3 } });
    expect(states).toEqual(['connecting', 'live']);
    expect(frames).toEqual([hello, line(4), line(5), line(6), { type: 'live_num', data: { live_num: 3 } }]);
  });

  it('reconnects after a drop, resuming after what the client holds by then', () => {
    socket.start();
    FakeWebSocket.instances[0]!.open();
    FakeWebSocket.instances[0]!.receive(hello);
    cursor = { afterFloor: 9, afterUserMessageId: 12 };
    FakeWebSocket.instances[0]!.drop(1006);
    expect(states.at(-1)).toBe('reconnecting');
    vi.advanceTimersByTime(1_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(FakeWebSocket.instances[1]!.url).toContain('after_floor=9&after_user_message_id=12');
    FakeWebSocket.instances[1]!.open();
    FakeWebSocket.instances[1]!.receive(hello);
    expect(states.at(-1)).toBe('live');
  });

  it('on a resume, asks for the edits made since its last frame, on the server clock with a margin', () => {
    vi.setSystemTime(1_000_000);
    socket.start();
    const ws = FakeWebSocket.instances[0]!;
    ws.open();
    ws.receive({ ...hello, data: { ...hello.data, server_time: 5_000_000 } });
    vi.advanceTimersByTime(20_000);
    ws.drop(1006);
    vi.advanceTimersByTime(15_000);
    // Last frame at 1,000,000 here = 5,000,000 on the server; minus the 10 s margin.
    expect(FakeWebSocket.instances[1]!.url).toContain('after_floor=3&after_user_message_id=5&changed_since=4990000');
  });

  it('first connects asking for the changes made since the histories were read', () => {
    const fromHistory = new RoomSocket('r2', { onFrame: () => undefined, onState: () => undefined, resumeCursor: () => cursor }, 7_000_000);
    fromHistory.start();
    expect(FakeWebSocket.instances[0]!.url).toBe('ws://live.example:8080/ws/chat/r2?batch=1&after_floor=3&after_user_message_id=5&changed_since=7000000');
    fromHistory.stop();
  });

  it('stops for good when the room refuses the viewer or does not exist', () => {
    socket.start();
    FakeWebSocket.instances[0]!.drop(4403);
    vi.advanceTimersByTime(60_000);
    expect(states.at(-1)).toBe('denied');
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('pings while connected and replaces a connection that went silent', () => {
    socket.start();
    const ws = FakeWebSocket.instances[0]!;
    ws.open();
    ws.receive(hello);
    vi.advanceTimersByTime(25_000);
    expect(ws.sent).toEqual(['{"type":"ping"}']);
    vi.advanceTimersByTime(50_000);
    vi.advanceTimersByTime(15_000);
    expect(FakeWebSocket.instances.length).toBeGreaterThan(1);
  });

  it("with the server's heartbeats, notices a silent connection within 10 s and reconnects", () => {
    socket.start();
    const ws = FakeWebSocket.instances[0]!;
    ws.open();
    ws.receive({ ...hello, data: { ...hello.data, heartbeat_ms: 2500 } });
    // Heartbeats keep it alive however quiet the room is.
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(2500);
      ws.receive({ type: 'heartbeat' });
    }
    expect(states.at(-1)).toBe('live');
    expect(FakeWebSocket.instances).toHaveLength(1);
    // Then nothing: the link died without closing.
    vi.advanceTimersByTime(9_000);
    expect(states.at(-1)).toBe('reconnecting');
    vi.advanceTimersByTime(1_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(frames.filter((f) => f.type === 'heartbeat')).toHaveLength(10);
  });

  it('replaces a connection that never says hello (an upgrade swallowed on the way)', () => {
    socket.start();
    vi.advanceTimersByTime(9_500);
    expect(states).toEqual(['connecting']);
    vi.advanceTimersByTime(1_600);
    expect(states).toEqual(['connecting', 'reconnecting']);
    vi.advanceTimersByTime(1_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('does not reconnect after the page leaves the room', () => {
    socket.start();
    FakeWebSocket.instances[0]!.open();
    socket.stop();
    FakeWebSocket.instances[0]!.drop(1000);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});

describe('socket helpers', () => {
  it('backs off exponentially with jitter up to 15 s', () => {
    expect(reconnectDelay(0, () => 1)).toBe(500);
    expect(reconnectDelay(3, () => 1)).toBe(4000);
    expect(reconnectDelay(10, () => 1)).toBe(15_000);
    expect(reconnectDelay(10, () => 0)).toBe(7500);
  });

  it('reads batched newline-delimited frames and skips broken ones', () => {
    const text = '{"type":"live_num","data":{"live_num":3}}\nnot json\n{"type":"pong"}\n';
    expect(parseFrames(text).map((frame) => frame.type)).toEqual(['live_num', 'pong']);
  });
});
