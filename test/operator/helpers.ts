/** Operator console test helpers: an operator account signed in to the console, and acting as one. */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { runOperatorCommand } from '../../src/accounts/operator-commands.js';
import { PASSWORD, registerViewer, TestClient } from '../helpers/client.js';

/** A new account granted the role by the CLI, signed in at /api/admin/login. */
export async function signInOperator(app: FastifyInstance, db: Kysely<Database>) {
  const account = await registerViewer(app);
  const granted = await runOperatorCommand(db, ['grant', account.username], { osUser: 'tester' });
  if (granted.exitCode !== 0) throw new Error(granted.lines.join('\n'));
  const client = new TestClient(app);
  const res = await client.post('/api/admin/login', { username: account.username, password: PASSWORD });
  if (res.statusCode !== 200) throw new Error(`operator login failed: ${res.body}`);
  return { client, uid: account.uid, username: account.username, account: account.client };
}
