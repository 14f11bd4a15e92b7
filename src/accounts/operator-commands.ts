/**
 * `npm run operator -- grant|revoke|list`: the operator role is given on the server's shell, never
 * from the web. Separated from process handling so tests run it against a test database.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import { MemoryRateLimiter } from '../infra/rate-limiter.js';
import { recordOperatorRoleChange } from '../operator/index.js';
import { AccountsService } from './service.js';

export const OPERATOR_USAGE = `Usage:
  npm run operator -- grant <username> [reason...]    give the account the operator role (it signs in at /admin with its password)
  npm run operator -- revoke <username> [reason...]   take the role back; its console sign-ins end at once
  npm run operator -- list                            the accounts holding the role
Grants and revokes go on the console's audit trail, by cli:<your OS user name>.`;

export interface OperatorCommandContext {
  /** Who runs the command: the OS user name, recorded as the audit entry's actor. */
  osUser: string;
  clock?: () => number;
}

export async function runOperatorCommand(
  db: Kysely<Database>,
  args: string[],
  context: OperatorCommandContext,
): Promise<{ exitCode: number; lines: string[] }> {
  const [command, username, ...reasonWords] = args;
  if (command === 'list' && username === undefined) {
    const rows = await db.selectFrom('users').select(['id', 'username']).where('is_operator', '=', 1).orderBy('username_key').execute();
    return { exitCode: 0, lines: rows.length === 0 ? ['no operators'] : rows.map((row) => `${row.username} (${row.id})`) };
  }
  if ((command !== 'grant' && command !== 'revoke') || !username) return { exitCode: 2, lines: [OPERATOR_USAGE] };
  const granted = command === 'grant';
  const reason = reasonWords.join(' ').trim() || (granted ? 'operator role granted from the server shell' : 'operator role revoked from the server shell');
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
    const clock = context.clock ?? Date.now;
    const user = await accounts.setOperatorRole(username, granted, (executor, change) =>
      recordOperatorRoleChange(executor, { actor: `cli:${context.osUser}`, userId: change.user.id, granted, wasOperator: change.wasOperator, sessionsEnded: change.sessionsEnded, reason, now: clock() }).then(() => undefined),
    );
    return {
      exitCode: 0,
      lines: [granted ? `${user.username} (${user.id}) is now an operator` : `${user.username} (${user.id}) is no longer an operator`],
    };
  } catch (err) {
    if (err instanceof AppError) return { exitCode: 1, lines: [`error: ${err.error}: ${err.message}`] };
    throw err;
  }
}
