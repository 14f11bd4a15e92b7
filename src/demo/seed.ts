/**
 * Demo content so a newcomer who runs `npm start` sees a working site: an anchor and a viewer.
 * Only runs on an empty database; tests never rely on it.
 */
import type { Kysely } from 'kysely';
import { AccountsRepository } from '../accounts/repository.js';
import { hashPassword } from '../accounts/password.js';
import { newId } from '../db/ids.js';
import type { Database } from '../db/schema.js';

export const DEMO_ANCHOR = { username: 'demo_anchor', password: 'pecktra-demo' };
export const DEMO_VIEWER = { username: 'demo_viewer', password: 'pecktra-demo' };

export interface DemoSeedResult {
  created: boolean;
  anchor: typeof DEMO_ANCHOR;
  viewer: typeof DEMO_VIEWER;
}

export async function seedDemoData(db: Kysely<Database>): Promise<DemoSeedResult> {
  const result = { anchor: DEMO_ANCHOR, viewer: DEMO_VIEWER };
  const anyUser = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (anyUser) return { created: false, ...result };

  const accounts = new AccountsRepository(db);
  const now = Date.now();
  for (const [demo, isAnchor] of [
    [DEMO_ANCHOR, 1],
    [DEMO_VIEWER, 0],
  ] as const) {
    await accounts.insertUser({
      id: newId(),
      username: demo.username,
      username_key: demo.username.toLowerCase(),
      password_hash: await hashPassword(demo.password),
      is_anchor: isAnchor,
      created_at: now,
    });
  }
  return { created: true, ...result };
}
