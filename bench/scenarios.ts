/**
 * What `npm run bench` measures. Scenarios prepare their data through the public API (so they work
 * on any engine) and return the request autocannon repeats.
 */
import { HttpSession } from './http-session.js';

export interface ScenarioRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Data shared by the room scenarios, created once per run. */
export interface World {
  liveRoomIds: string[];
  /** A live room with a 200-message transcript and 20 viewer messages. */
  historyRoomId: string;
  /** A live room with a 5,000-message transcript. */
  longHistoryRoomId: string;
}

export interface Scenario {
  name: string;
  /** The target, as a ratio to the bare route of equal body size. */
  targetRatio?: number;
  prepare(session: HttpSession, world: () => Promise<World>): Promise<ScenarioRequest>;
}

const PASSWORD = 'bench-password-1';
let userCounter = 0;
async function registerViewer(session: HttpSession): Promise<void> {
  userCounter += 1;
  await session.call('POST', '/api/users/register', { username: `bench_viewer_${process.pid}_${userCounter}`, password: PASSWORD });
}

const LIVE_ROOMS = 100;
const MESSAGES_PER_ROOM = 20;
const HISTORY_MESSAGES = 200;
const LONG_HISTORY_MESSAGES = 5_000;
/** The most messages one post may carry. */
const POST_BATCH = 500;

function transcript(count: number, character: string): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({
    name: i % 2 === 0 ? 'Anchor' : character,
    is_user: i % 2 === 0,
    send_date: 'July 11, 2025 5:51pm',
    mes:
      i % 2 === 0
        ? `*leans closer to the fire* Tell me more about the forest, ${character}. (${i})`
        : `*${character} smiles softly, the glow of the embers in her eyes* The forest remembers everyone who walks it... 森林记得每一个走过它的人。(${i})`,
  }));
}

/** An anchor with 100 live rooms (each with a short transcript) and one room with a long history. */
export async function buildWorld(base: string): Promise<World> {
  const anchor = new HttpSession(base);
  const registered = await anchor.call<{ data: { token: string } }>('POST', '/api/anchor/register', {
    username: `bench_anchor_${process.pid}`,
    password: PASSWORD,
  });
  anchor.bearer = registered.data.token;
  const openLiveRoom = async (index: number, messages: number) => {
    const character = `Character${index}`;
    const created = await anchor.call<{ data: { room: { room_id: string } } }>('POST', '/api/anchor/rooms', {
      character_name: character,
      character_date: `2025-07-11@17h51m${String(index).padStart(3, '0')}s`,
      title: `Evening story #${index}`,
      describe: 'A slow-burn fantasy role-play by the campfire',
    });
    const roomId = created.data.room.room_id;
    const lines = transcript(messages, character);
    for (let start = 0; start < lines.length; start += POST_BATCH) {
      await anchor.call('POST', `/api/anchor/rooms/${roomId}/messages`, { messages: lines.slice(start, start + POST_BATCH) });
    }
    await anchor.call('POST', `/api/anchor/rooms/${roomId}/live`, { live_status: 'start' });
    return roomId;
  };
  const liveRoomIds: string[] = [];
  for (let i = 0; i < LIVE_ROOMS; i++) liveRoomIds.push(await openLiveRoom(i, MESSAGES_PER_ROOM));
  const historyRoomId = await openLiveRoom(LIVE_ROOMS, HISTORY_MESSAGES);
  const longHistoryRoomId = await openLiveRoom(LIVE_ROOMS + 1, LONG_HISTORY_MESSAGES);
  const viewer = new HttpSession(base);
  await registerViewer(viewer);
  for (let i = 0; i < 20; i++) {
    await viewer.call('POST', '/api/live/save_user_chat_history', {
      room_id: historyRoomId,
      room_name: 'bench',
      username: 'ignored',
      user_message: `这个故事太好看了！ message ${i}`,
    });
  }
  return { liveRoomIds, historyRoomId, longHistoryRoomId };
}

const SEARCH_ROOMS = 10_000;
/** An anchor may own 1,000 rooms (MAX_ROOMS_PER_ANCHOR); the search world spreads them over several. */
const ROOMS_PER_SEARCH_ANCHOR = 1_000;
const SEARCH_CHARACTERS = ['Seraphina', 'Aqua', 'Lilith', 'Morgana', 'Yuki', 'Astrid', 'Celeste', 'Nyx', 'Rin', 'Ivy'];
const SEARCH_TITLES = ['深夜电台', '小雪的冒险', '森林的故事', '星空下的约定', '早安打卡', 'Evening tales', 'Dragon quest', 'Slow burn romance', '咖啡时间', 'Campfire stories'];
let searchWorld: Promise<void> | undefined;

/**
 * 10,000 rooms (offline, as most of a site's rooms are), titles and characters in Chinese and
 * English drawn from pools of ten, so each query below matches about a tenth of them: the engine
 * has ~1,000 matches to rank for each request, not a handful.
 */
function buildSearchWorld(base: string): Promise<void> {
  searchWorld ??= (async () => {
    for (let a = 0; a < SEARCH_ROOMS / ROOMS_PER_SEARCH_ANCHOR; a++) {
      const anchor = new HttpSession(base);
      const registered = await anchor.call<{ data: { token: string } }>('POST', '/api/anchor/register', {
        username: `bench_search_${process.pid}_${a}`,
        password: PASSWORD,
      });
      anchor.bearer = registered.data.token;
      let next = 0;
      // A few at once: set-up time, not the measurement.
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let i = next++; i < ROOMS_PER_SEARCH_ANCHOR; i = next++) {
            const n = a * ROOMS_PER_SEARCH_ANCHOR + i;
            await anchor.call('POST', '/api/anchor/rooms', {
              character_name: SEARCH_CHARACTERS[n % 10],
              character_date: `2025-07-11@${n}`,
              title: `${SEARCH_TITLES[Math.floor(n / 10) % 10]} #${n}`,
              tags: [n % 2 ? 'rpg' : '恋爱'],
            });
          }
        }),
      );
    }
  })();
  return searchWorld;
}

/**
 * A returning guest, as the web app is: its first call (is_logged_in) gets the signed guest cookie,
 * which every later request sends back. (A cookieless request is a first visit and is answered
 * with a freshly minted guest name and Set-Cookie.)
 */
async function visitAsGuest(session: HttpSession): Promise<void> {
  await session.call('GET', '/api/users/is_logged_in');
}

export const scenarios: Scenario[] = [
  {
    name: 'is_logged_in_guest',
    async prepare(session) {
      await visitAsGuest(session);
      return { method: 'GET', path: '/api/users/is_logged_in', headers: session.headers() };
    },
  },
  {
    name: 'is_logged_in_user',
    async prepare(session) {
      await registerViewer(session);
      return { method: 'GET', path: '/api/users/is_logged_in', headers: session.headers() };
    },
  },
  {
    name: 'get_all_lives_100_rooms',
    targetRatio: 0.7,
    async prepare(session, world) {
      await world();
      return { method: 'GET', path: '/api/live/get_all_lives', headers: session.headers() };
    },
  },
  {
    name: 'get_live_info',
    targetRatio: 0.35,
    async prepare(session, world) {
      const { historyRoomId } = await world();
      await registerViewer(session);
      return { method: 'GET', path: `/api/live/get_live_info?room_id=${historyRoomId}`, headers: session.headers() };
    },
  },
  {
    name: 'get_live_chat_history_200',
    targetRatio: 0.35,
    async prepare(session, world) {
      const { historyRoomId } = await world();
      await visitAsGuest(session);
      return { method: 'GET', path: `/api/live/get_live_chat_history?room_id=${historyRoomId}&limit=200`, headers: session.headers() };
    },
  },
  {
    // The contract's call, with only room_id: the whole transcript, serialised and compressed once per room version.
    name: 'get_live_chat_history_full_5000',
    targetRatio: 0.35,
    async prepare(session, world) {
      const { longHistoryRoomId } = await world();
      await visitAsGuest(session);
      return { method: 'GET', path: `/api/live/get_live_chat_history?room_id=${longHistoryRoomId}`, headers: session.headers() };
    },
  },
  {
    name: 'get_user_chat_history',
    targetRatio: 0.35,
    async prepare(session, world) {
      const { historyRoomId } = await world();
      await visitAsGuest(session);
      return { method: 'GET', path: `/api/live/get_user_chat_history?room_id=${historyRoomId}`, headers: session.headers() };
    },
  },
  {
    // Search-as-you-type: an English prefix (a character name) over 10,000 rooms.
    name: 'search_10000_rooms_en_prefix',
    async prepare(session) {
      await buildSearchWorld(session.base);
      await visitAsGuest(session);
      return { method: 'GET', path: '/api/live/search?q=sera', headers: session.headers() };
    },
  },
  {
    // Two Chinese characters (a CJK pair) over the same rooms.
    name: 'search_10000_rooms_zh',
    async prepare(session) {
      await buildSearchWorld(session.base);
      await visitAsGuest(session);
      return { method: 'GET', path: `/api/live/search?q=${encodeURIComponent('小雪')}`, headers: session.headers() };
    },
  },
  {
    name: 'save_user_chat_history',
    async prepare(session, world) {
      const { liveRoomIds } = await world();
      await registerViewer(session);
      return {
        method: 'POST',
        path: '/api/live/save_user_chat_history',
        headers: session.headers({ 'content-type': 'application/json' }),
        body: JSON.stringify({ room_id: liveRoomIds[0], room_name: 'bench', username: 'x', user_message: '主播好！hello from the bench' }),
      };
    },
  },
];
