/**
 * `npm run operator -- grant|revoke|list`: the operator role is given on the server's shell, never
 * from the web. Separated from process handling so tests run it against a test database.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import { MemoryRateLimiter } from '../infra/rate-limiter.js';
import { AccountsService } from './service.js';

export const OPERATOR_USAGE = `Usage:
  npm run operator -- grant <username>    give the account the operator role (it signs in at /admin with its password)
  npm run operator -- revoke <username>   take the role back; its console sign-ins end at once
  npm run operator -- list                the accounts holding the role`;

export async function runOperatorCommand(db: Kysely<Database>, args: string[]): Promise<{ exitCode: number; lines: string[] }> {
  const [command, username, ...rest] = args;
  if (command === 'list' && username === undefined) {
    const rows = await db.selectFrom('users').select(['id', 'username']).where('is_operator', '=', 1).orderBy('username_key').execute();
    return { exitCode: 0, lines: rows.length === 0 ? ['no operators'] : rows.map((row) => `${row.username} (${row.id})`) };
  }
  if ((command !== 'grant' && command !== 'revoke') || !username || rest.length > 0) return { exitCode: 2, lines: [OPERATOR_USAGE] };
  // No sign-in happens here: the limiter and hash settings are never used.
  const accounts = new AccountsService(db, new MemoryRateLimiter(), {
    sessionTtlDays: 1,
    loginMaxFailures: 1,
    loginWindowSeconds: 1,
    loginMaxAttemptsPerOrigin: 1,
    loginSlowdownMaxMs: 0,
    registerMaxPerOrigin: 1,
    registerWindowSeconds: 1,
    passwordHashCost: 10,
    passwordHashConcurrency: 1,
    passwordHashMaxWaiting: 0,
  });
  try {
    const user = await accounts.setOperatorRole(username, command === 'grant');
    return {
      exitCode: 0,
      lines: [command === 'grant' ? `${user.username} (${user.id}) is now an operator` : `${user.username} (${user.id}) is no longer an operator`],
    };
  } catch (err) {
    if (err instanceof AppError) return { exitCode: 1, lines: [`error: ${err.error}: ${err.message}`] };
    throw err;
  }
}
