/**
 * The SillyTavern bridge's logic against a fake SillyTavern and a fake server: which requests each
 * SillyTavern event leads to, the swipe/delete/resync rules, typing pace, and the outbox's
 * persistence, bound and backoff.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PecktraApi } from '../../extensions/sillytavern/lib/api.js';
import { Bridge } from '../../extensions/sillytavern/lib/bridge.js';
import { chatFile, chatIdentity, wireMessage } from '../../extensions/sillytavern/lib/chat.js';
import { backoffDelay, MAX_QUEUE_ITEMS, Outbox, QUEUE_STORAGE_KEY } from '../../extensions/sillytavern/lib/queue.js';
import { TypingThrottle } from '../../extensions/sillytavern/lib/throttle.js';
import { FakeServer, FakeSillyTavern, MemoryStorage } from './fake-sillytavern.js';

const SERVER = 'http://live.example:3000/';

function setup(options: { storage?: MemoryStorage; signedIn?: boolean } = {}) {
  const st = new FakeSillyTavern();
  const server = new FakeServer();
  const storage = options.storage ?? new MemoryStorage();
  const settings = { serverUrl: SERVER, token: options.signedIn === false ? null : 'tok-123', username: 'anchor', chats: {} as Record<string, { roomId: string; live: boolean }> };
  const saveSettings = vi.fn();
  const bridge = new Bridge({
    getContext: st.getContext,
    settings,
    saveSettings,
    storage,
    random: () => 0.5,
    createApi: (url: string, token: string | null) => new PecktraApi(url, token, server.fetch as unknown as typeof fetch),
  });
  bridge.attach();
  return { st, server, storage, settings, bridge, saveSettings };
}

/** Lets the bridge's queued async sends run. */
async function settle(ms = 0) {
  await vi.advanceTimersByTimeAsync(ms);
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('chat mapping', () => {
  it('one chat = one room: character name + the chat file\'s date; none for groups or no character', () => {
    const st = new FakeSillyTavern();
    expect(chatIdentity(st.getContext())).toMatchObject({ character_name: 'Seraphina', character_date: '2026-12-01@05h20m13s' });
    expect(chatIdentity({ ...st.getContext(), groupId: 'g1' })).toBeNull();
    expect(chatIdentity({ ...st.getContext(), characterId: undefined, getCurrentChatId: () => undefined })).toBeNull();
  });

  it('a line keeps both send_date formats; hidden lines are system lines; the chat file has its header first', () => {
    const st = new FakeSillyTavern();
    st.say('Hello?');
    st.reply('Greetings.');
    st.chat.push({ name: 'Traveler', is_user: true, is_system: true, mes: 'hidden note' });
    expect(wireMessage(st.chat[0], 0)).toEqual({ name: 'Traveler', is_user: true, is_system: false, mes: 'Hello?', send_date: 'December 1, 2026 5:20am', floor: 0 });
    expect(wireMessage(st.chat[1])).toMatchObject({ send_date: '2026-12-01T05:20:13.482Z' });
    const lines = chatFile(st.getContext(), chatIdentity(st.getContext())!).split('\n').map((line: string) => JSON.parse(line));
    expect(lines[0]).toEqual({ user_name: 'Traveler', character_name: 'Seraphina', create_date: '2026-12-01@05h20m13s', chat_metadata: {} });
    expect(lines.slice(1).map((line: { mes: string; is_system: boolean }) => [line.mes, line.is_system])).toEqual([['Hello?', false], ['Greetings.', false], ['hidden note', true]]);
  });
});

describe('the bridge', () => {
  it('go live opens the chat\'s room, switches it on and posts the whole chat; nothing is sent for chats not live', async () => {
    const { st, server, bridge, settings } = setup();
    st.say('Hello?');
    st.emit('MESSAGE_SENT', 0);
    await settle();
    expect(server.calls()).toEqual([]);

    const roomId = await bridge.goLive({ title: 'Forest', room_type: 0 });
    await settle();
    expect(server.calls()).toEqual(['POST /api/anchor/rooms', 'POST /api/anchor/rooms/room1/live', 'POST /api/anchor/rooms/room1/messages']);
    expect(server.requests[0]!.json).toEqual({ character_name: 'Seraphina', character_date: '2026-12-01@05h20m13s', title: 'Forest', room_type: 0 });
    const sync = server.requests[2]!;
    expect(sync.headers['content-type']).toBe('application/x-ndjson');
    expect(sync.headers.authorization).toBe('Bearer tok-123');
    expect(sync.body!.split('\n')).toHaveLength(2);
    expect(settings.chats[chatIdentity(st.getContext())!.key]).toMatchObject({ roomId, live: true, title: 'Forest' });
    expect(bridge.state).toBe('synced');
  });

  it('new, edited and updated lines are posted at their floor; a swipe to an existing swipe too, an overswipe waits for its reply', async () => {
    const { st, server, bridge } = setup();
    await bridge.goLive();
    await settle();
    server.requests.length = 0;

    st.emit('MESSAGE_SENT', st.say('Hello?'));
    st.emit('MESSAGE_RECEIVED', st.reply('Greetings.'));
    await settle();
    st.chat[1]!.mes = 'Greetings, traveller.';
    st.emit('MESSAGE_EDITED', 1);
    st.emit('MESSAGE_UPDATED', 1);
    await settle();
    expect(server.requests.map((r) => [r.path.endsWith('/messages'), r.json?.floor, r.json?.mes])).toEqual([
      [true, 0, 'Hello?'],
      [true, 1, 'Greetings.'],
      [true, 1, 'Greetings, traveller.'],
      [true, 1, 'Greetings, traveller.'],
    ]);

    server.requests.length = 0;
    // Overswipe: SillyTavern points past the swipes and clears the text before generating.
    Object.assign(st.chat[1]!, { swipes: ['Greetings, traveller.'], swipe_id: 1, mes: '' });
    st.emit('MESSAGE_SWIPED', 1);
    await settle();
    expect(server.requests).toEqual([]);
    Object.assign(st.chat[1]!, { swipes: ['Greetings, traveller.', 'Well met.'], swipe_id: 1, mes: 'Well met.' });
    st.emit('MESSAGE_RECEIVED', 1, 'swipe');
    // Back to the first swipe: its text is the line's text.
    Object.assign(st.chat[1]!, { swipe_id: 0, mes: 'Greetings, traveller.' });
    st.emit('MESSAGE_SWIPED', 1);
    await settle();
    expect(server.requests.map((r) => [r.json?.floor, r.json?.mes])).toEqual([
      [1, 'Well met.'],
      [1, 'Greetings, traveller.'],
    ]);
  });

  it('a deletion and a chat switch post the whole chat, the switched-to chat only when it is live', async () => {
    const { st, server, bridge } = setup();
    st.say('a');
    st.reply('b');
    st.say('c');
    await bridge.goLive();
    await settle();
    server.requests.length = 0;

    st.chat.splice(1, 1);
    st.emit('MESSAGE_DELETED', st.chat.length);
    await settle();
    expect(server.calls()).toEqual(['POST /api/anchor/rooms/room1/messages']);
    expect(server.requests[0]!.body!.split('\n').slice(1).map((line) => JSON.parse(line).mes)).toEqual(['a', 'c']);

    // Another character's chat, not live: nothing.
    st.characters.push({ name: 'Aria', chat: 'Aria - 2026-12-01@06h00m00s' });
    st.characterId = 1;
    st.chat = [{ name: 'Aria', is_user: false, mes: 'Hi' }];
    st.emit('CHAT_CHANGED', 'Aria - 2026-12-01@06h00m00s');
    await settle();
    expect(server.calls()).toHaveLength(1);
    // Back to the live chat: it is posted whole again.
    st.characterId = 0;
    st.chat = [{ name: 'Traveler', is_user: true, mes: 'a' }];
    st.emit('CHAT_CHANGED', 'Seraphina - 2026-12-01@05h20m13s');
    await settle();
    expect(server.calls()).toEqual(['POST /api/anchor/rooms/room1/messages', 'POST /api/anchor/rooms/room1/messages']);
  });

  it('streams typing at most 8 times a second for the reply\'s floor, ends it on stop; dry runs, quiet and impersonate are ignored', async () => {
    const { st, server, bridge } = setup();
    st.say('Hello?');
    await bridge.goLive();
    await settle();
    server.requests.length = 0;
    const typing = () => server.requests.filter((r) => r.path.endsWith('/typing')).map((r) => r.json);

    for (const [type, dryRun] of [['normal', true], ['quiet', false], ['impersonate', false]] as const) {
      st.emit('GENERATION_STARTED', type, {}, dryRun);
      st.emit('STREAM_TOKEN_RECEIVED', 'ignored');
      st.emit('GENERATION_ENDED', st.chat.length);
    }
    await settle(500);
    expect(typing()).toEqual([]);

    st.emit('GENERATION_STARTED', 'normal', {}, false);
    st.reply('...');
    // 40 tokens over one second
    let text = '';
    for (let i = 0; i < 40; i++) {
      text += `w${i} `;
      st.emit('STREAM_TOKEN_RECEIVED', text);
      await settle(25);
    }
    await settle(200);
    const updates = typing();
    expect(updates.length).toBeGreaterThanOrEqual(7);
    expect(updates.length).toBeLessThanOrEqual(10);
    expect(updates.every((u) => u?.floor === 1 && u?.done === undefined)).toBe(true);
    expect(updates.at(-1)!.text).toBe(text);
    st.emit('GENERATION_STOPPED');
    await settle();
    expect(typing().at(-1)).toEqual({ floor: 1, text: '', done: true });
  });

  it('a continuation streams after the text the line already had', async () => {
    const { st, server, bridge } = setup();
    st.say('Hello?');
    st.reply('Greetings');
    await bridge.goLive();
    await settle();
    st.emit('GENERATION_STARTED', 'continue', {}, false);
    st.emit('STREAM_TOKEN_RECEIVED', ', traveller');
    await settle();
    expect(server.requests.filter((r) => r.path.endsWith('/typing')).map((r) => r.json)).toEqual([{ floor: 1, text: 'Greetings, traveller' }]);
  });

  it('never waits on the server: while it is down lines wait in the outbox, retried with backoff; back up, a full resync ends it', async () => {
    const { st, server, bridge, storage } = setup();
    await bridge.goLive();
    await settle();
    server.requests.length = 0;
    server.down = true;

    st.emit('MESSAGE_SENT', st.say('one'));
    st.emit('MESSAGE_RECEIVED', st.reply('two'));
    expect(bridge.outbox.size).toBe(2);
    await settle();
    expect(bridge.state).toBe('retrying');
    expect(JSON.parse(storage.getItem(QUEUE_STORAGE_KEY)!)).toHaveLength(2);

    await settle(10_000);
    expect(bridge.failures).toBeGreaterThanOrEqual(3);
    server.down = false;
    await settle(30_000);
    // The first line goes through; the full resync that follows covers the second.
    expect(server.calls()).toEqual(['POST /api/anchor/rooms/room1/messages', 'POST /api/anchor/rooms/room1/messages']);
    expect(server.requests.filter((r) => r.method === 'POST').map((r) => r.headers['content-type'])).toEqual(['application/json', 'application/x-ndjson']);
    expect(server.requests.filter((r) => r.method === 'POST').at(-1)!.body!.split('\n').slice(1).map((line) => JSON.parse(line).mes)).toEqual(['one', 'two']);
    expect(bridge.outbox.size).toBe(0);
    expect(bridge.state).toBe('synced');
  });

  it('the outbox survives a page reload', async () => {
    const first = setup();
    await first.bridge.goLive();
    await settle();
    first.server.down = true;
    first.st.emit('MESSAGE_SENT', first.st.say('before the reload'));
    await settle();
    first.bridge.detach();

    const second = setup({ storage: first.storage });
    Object.assign(second.settings.chats, first.settings.chats);
    second.st.chat = first.st.chat;
    second.bridge.pump();
    await settle();
    expect(second.server.requests.map((r) => r.json?.mes)).toEqual(['before the reload']);
  });

  it('a refused token pauses sending until the anchor signs in again; then the chat is synced', async () => {
    const { st, server, bridge } = setup();
    await bridge.goLive();
    await settle();
    server.statusFor = { '/messages': 401 };
    st.emit('MESSAGE_SENT', st.say('hello'));
    await settle(60_000);
    expect(bridge.state).toBe('signed_out');
    const attempts = server.calls().length;
    await settle(60_000);
    expect(server.calls().length).toBe(attempts);

    server.statusFor = {};
    await bridge.signIn(SERVER, 'anchor', 'pw');
    await settle();
    expect(server.calls().slice(-2)).toEqual(['POST /api/anchor/login', 'POST /api/anchor/rooms/room1/messages']);
    expect(server.requests.at(-1)!.headers['content-type']).toBe('application/x-ndjson');
    expect(bridge.state).toBe('synced');
  });

  it('shows the room\'s viewer count and links to its page', async () => {
    const { bridge } = setup();
    await bridge.goLive();
    await settle();
    expect(bridge.viewerCount).toBe(42);
    expect(bridge.roomUrl()).toBe('http://live.example:3000/live/room1');
  });
});

describe('outbox and pacing', () => {
  it('an edit arriving while its floor is being sent is sent after it, not lost', () => {
    const outbox = new Outbox(new MemoryStorage());
    outbox.addMessage('r1', 'k', 1, { mes: 'a' });
    const sending = outbox.begin();
    outbox.addMessage('r1', 'k', 1, { mes: 'ab' });
    outbox.addFullSync('r2', 'k2');
    outbox.done(sending);
    expect(outbox.items.map((i: { kind: string; body?: { mes: string } }) => i.body?.mes ?? i.kind)).toEqual(['ab', 'full']);
  });

  it('keeps only the newest text per floor; a full sync replaces the room\'s waiting posts', () => {
    const outbox = new Outbox(new MemoryStorage());
    outbox.addMessage('r1', 'k', 3, { mes: 'a' });
    outbox.addMessage('r1', 'k', 3, { mes: 'ab' });
    outbox.addMessage('r2', 'k2', 0, { mes: 'x' });
    expect(outbox.items.map((i: { kind: string; body?: { mes: string } }) => i.body?.mes)).toEqual(['ab', 'x']);
    outbox.addFullSync('r1', 'k');
    expect(outbox.items.map((i: { kind: string; body?: { mes: string } }) => i.kind)).toEqual(['message', 'full']);
    outbox.addMessage('r1', 'k', 4, { mes: 'covered by the full sync' });
    expect(outbox.size).toBe(2);
  });

  it('is bounded: past the limit a room\'s posts collapse into one full sync', () => {
    const outbox = new Outbox(new MemoryStorage());
    for (let floor = 0; floor <= MAX_QUEUE_ITEMS; floor++) outbox.addMessage('r1', 'k', floor, { mes: String(floor) });
    expect(outbox.items).toEqual([{ kind: 'full', roomId: 'r1', chatKey: 'k' }]);
  });

  it('backs off from a second, doubling, up to 30 s, with jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((attempt) => backoffDelay(attempt, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffDelay(1, () => 0)).toBe(800);
    expect(backoffDelay(1, () => 1)).toBe(1200);
  });

  /** Real timer functions: vitest's fake timers drive them. */
  const realTimers = {
    now: () => Date.now(),
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (handle: ReturnType<typeof setTimeout>) => clearTimeout(handle),
  };

  function throttleWithServer() {
    const sent: string[] = [];
    const answers: Array<() => void> = [];
    const throttle = new TypingThrottle(
      (_floor: number, text: string, done: boolean) => {
        sent.push(done ? '<done>' : text);
        return new Promise<void>((resolve) => answers.push(resolve));
      },
      realTimers,
    );
    /** The server answers every request it holds. */
    const answerAll = async () => {
      for (const answer of answers.splice(0)) answer();
      await settle();
    };
    return { throttle, sent, answers, answerAll };
  }

  it('typing: the first text at once, then at most every 125 ms, the newest always last', async () => {
    const { throttle, sent, answerAll } = throttleWithServer();
    throttle.update(1, 'a');
    throttle.update(1, 'ab');
    throttle.update(1, 'abc');
    expect(sent).toEqual(['a']);
    await answerAll();
    await settle(125);
    expect(sent).toEqual(['a', 'abc']);
    await answerAll();
    throttle.update(1, 'abcd');
    throttle.cancel();
    await settle(500);
    expect(sent).toEqual(['a', 'abc']);
  });

  it('typing: a newer text never overtakes an older one; while one is unanswered only the newest waits, and the end goes last', async () => {
    const { throttle, sent, answers, answerAll } = throttleWithServer();
    throttle.update(1, 'Once');
    throttle.update(1, 'Once upon');
    await settle(1000);
    // A slow server: nothing else goes while the first text is unanswered.
    expect(sent).toEqual(['Once']);
    throttle.update(1, 'Once upon a');
    throttle.update(1, 'Once upon a time');
    await settle(1000);
    expect(sent).toEqual(['Once']);
    await answerAll();
    expect(sent).toEqual(['Once', 'Once upon a time']);
    throttle.update(1, 'Once upon a time there');
    throttle.end(1);
    await settle(1000);
    expect(sent).toEqual(['Once', 'Once upon a time']);
    expect(answers).toHaveLength(1);
    await answerAll();
    // The reply's unsent text is dropped: its end follows the last text answered.
    expect(sent).toEqual(['Once', 'Once upon a time', '<done>']);
    await answerAll();
    throttle.update(2, 'Next');
    expect(sent.at(-1)).toBe('Next');
  });

  it('typing: a request that fails does not stop the next ones', async () => {
    const sent: string[] = [];
    const throttle = new TypingThrottle(
      (_floor: number, text: string) => {
        sent.push(text);
        return Promise.reject(new Error('offline'));
      },
      realTimers,
    );
    throttle.update(1, 'a');
    await settle();
    throttle.update(1, 'ab');
    await settle(125);
    expect(sent).toEqual(['a', 'ab']);
  });
});
