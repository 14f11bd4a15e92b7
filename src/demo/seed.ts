/**
 * Demo content so a newcomer who runs `npm start` sees a working site: an anchor broadcasting three
 * AI role-play rooms (English, Chinese, and a VIP room), a viewer, and some viewer chat.
 * Only runs on an empty database; tests never rely on it.
 */
import type { Kysely } from 'kysely';
import { newId } from '../db/ids.js';
import type { Database } from '../db/schema.js';
import { transactional, type Executor } from '../db/transaction.js';
import { hashPassword } from '../infra/password.js';
import { DemoRepository } from './repository.js';

export const DEMO_ANCHOR = { username: 'demo_anchor', password: 'pecktra-demo' };
export const DEMO_VIEWER = { username: 'demo_viewer', password: 'pecktra-demo' };

export interface DemoSeedResult {
  created: boolean;
  anchor: typeof DEMO_ANCHOR;
  viewer: typeof DEMO_VIEWER;
}

interface DemoRoom {
  character_name: string;
  character_date: string;
  title: string;
  description: string;
  room_type: number;
  coin_num: number;
  persona: string;
  /** [is_user, text] in chat order. */
  transcript: Array<[boolean, string]>;
  viewerChat: Array<[sender: 'viewer' | 'guest', text: string]>;
}

const DEMO_ROOMS: DemoRoom[] = [
  {
    character_name: 'Seraphina',
    character_date: '2025-07-11@17h51m03s',
    title: 'Lost in the Eldenwood — a cozy fantasy RP',
    description: 'A traveller wakes up in an enchanted forest. Slow burn, no combat, lots of tea.',
    room_type: 0,
    coin_num: 0,
    persona: 'Lin',
    transcript: [
      [false, '*You wake up in a sunlit glade. A woman with silver hair kneels beside you.* "Easy now... you took quite a fall. I\'m Seraphina, guardian of this forest."'],
      [true, 'Where am I? The last thing I remember is the storm.'],
      [false, '"The Eldenwood. The storm brought you to my border, and the trees asked me to carry you in." *She offers you a cup of warm tea.*'],
      [true, '*takes the cup carefully* Thank you. Do the trees... talk to you often?'],
      [false, '*She laughs softly.* "Every day. Mostly they complain about the squirrels. Drink — it will help with the headache."'],
    ],
    viewerChat: [
      ['viewer', 'the squirrel line got me 😂'],
      ['guest', 'first time here, this is so chill'],
    ],
  },
  {
    character_name: '白夜',
    character_date: '2025-08-02@21h05m40s',
    title: '雨夜侦探社 · 第三章',
    description: '民国上海，雨夜，一桩离奇的失踪案。主播扮演新来的助手。',
    room_type: 0,
    coin_num: 0,
    persona: '小满',
    transcript: [
      [false, '*窗外的雨下了一整夜。白夜把一份泛黄的档案推到你面前。*「第三个失踪的人，还是在礼拜三。」'],
      [true, '礼拜三……前两个人也是在同一家舞厅附近不见的吗？'],
      [false, '「百乐门后巷。」*他点燃一支烟，却没有抽。*「巡捕房说是巧合。我不信巧合。」'],
      [true, '那我们今晚就去后巷看看？我带上相机。'],
      [false, '「带上伞，也带上胆子。」*他起身披上风衣。*「小满，记住——无论看到什么，都别出声。」'],
    ],
    viewerChat: [
      ['viewer', '白夜好帅！！'],
      ['guest', '感觉凶手是舞厅老板'],
      ['viewer', '主播今天几点下播？'],
    ],
  },
  {
    character_name: 'Captain Mira Vance',
    character_date: '2025-09-14@23h30m12s',
    title: 'VIP · Starship Aurora: bridge crew night',
    description: 'Hard sci-fi with a bilingual crew. 中英双语舰桥夜班，VIP 观众专享。',
    room_type: 1,
    coin_num: 50,
    persona: 'Ensign Zhou',
    transcript: [
      [false, '"Ensign, report. Why is the long-range array showing a signal from a dead star?"'],
      [true, 'Captain, the signal repeats every 47 seconds. 频率和我们三年前丢失的探测器一致。'],
      [false, '*Mira leans over the console, jaw tight.* "Then someone is using our probe\'s voice. Helm, bring us about — quietly."'],
    ],
    viewerChat: [['viewer', 'worth the diamonds, this arc is great']],
  },
];

export async function seedDemoData(db: Kysely<Database>): Promise<DemoSeedResult> {
  const result = { anchor: DEMO_ANCHOR, viewer: DEMO_VIEWER };
  const repositories = (executor: Executor) => ({ demo: new DemoRepository(executor) });
  const { demo: repo } = repositories(db);
  if (await repo.hasAnyUser()) return { created: false, ...result };

  const now = Date.now();
  const ids: Record<string, string> = {};
  for (const [demo, isAnchor] of [
    [DEMO_ANCHOR, 1],
    [DEMO_VIEWER, 0],
  ] as const) {
    ids[demo.username] = newId();
    await repo.insertUser({
      id: ids[demo.username] as string,
      username: demo.username,
      username_key: demo.username.toLowerCase(),
      password_hash: await hashPassword(demo.password),
      is_anchor: isAnchor,
      created_at: now,
    });
  }

  await transactional(db, repositories)(async ({ demo: scoped }) => {
    for (const [index, demo] of DEMO_ROOMS.entries()) {
      const roomId = newId();
      // Messages a minute apart, the latest just now, so the rooms look like they are happening.
      const startedAt = now - demo.transcript.length * 60_000;
      await scoped.insertRoom({
        id: roomId,
        anchor_id: ids[DEMO_ANCHOR.username] as string,
        character_name: demo.character_name,
        character_date: demo.character_date,
        room_name: demo.character_name,
        title: demo.title,
        description: demo.description,
        room_type: demo.room_type,
        coin_num: demo.coin_num,
        live_status: 1,
        last_activity_at: now,
        last_ai_message_at: now - index * 1000,
        created_at: startedAt,
        updated_at: now,
      });
      await scoped.insertTranscript(
        demo.transcript.map(([isUser, text], floor) => ({
          room_id: roomId,
          floor,
          is_user: isUser ? 1 : 0,
          is_system: 0,
          visible: 1,
          sender_name: isUser ? demo.persona : demo.character_name,
          message: text,
          send_date: startedAt + (floor + 1) * 60_000,
          original_send_date: null,
          extra: null,
          updated_at: now,
        })),
      );
      for (const [n, [sender, text]] of demo.viewerChat.entries()) {
        const guestName = '游客Demo01';
        await scoped.insertUserMessage({
          room_id: roomId,
          user_id: sender === 'viewer' ? (ids[DEMO_VIEWER.username] as string) : null,
          guest_name: sender === 'guest' ? guestName : null,
          username: sender === 'viewer' ? DEMO_VIEWER.username : guestName,
          message: text,
          created_at: now - (demo.viewerChat.length - n) * 20_000,
          deleted_at: null,
        });
      }
    }
  });
  return { created: true, ...result };
}
