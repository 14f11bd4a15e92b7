/**
 * Operator commands behind `npm run coins` and `npm run ledger:verify`, separated from process
 * handling so tests can run them against a test database.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import type { EventBus } from '../realtime/index.js';
import { announceBalanceChanged } from './balance-cache.js';
import { verifyLedger } from './ledger.js';
import { adjustDiamonds, walletBalance } from './diamonds.js';

export const COINS_USAGE = `Usage:
  npm run coins -- grant <uid> <amount> --reason "why"   add diamonds (negative amount takes them back, never below zero)
  npm run coins -- balance <uid>                          show a wallet balance`;

export interface CommandOutput {
  exitCode: number;
  lines: string[];
}

export type CoinsCommand =
  | { kind: 'grant'; uid: string; amount: number; reason: string }
  | { kind: 'balance'; uid: string }
  | { kind: 'usage'; problem?: string };

export function parseCoinsArgs(args: string[]): CoinsCommand {
  const positional: string[] = [];
  let reason: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--reason') {
      reason = args[++i];
      if (reason === undefined) return { kind: 'usage', problem: '--reason needs a value' };
    } else if (arg.startsWith('--reason=')) {
      reason = arg.slice('--reason='.length);
    } else if (arg === '--help' || arg === '-h') {
      return { kind: 'usage' };
    } else {
      positional.push(arg);
    }
  }
  const [command, uid, amountText] = positional;
  if (command === 'balance' && uid && positional.length === 2) return { kind: 'balance', uid };
  if (command !== 'grant' || !uid || amountText === undefined || positional.length !== 3) return { kind: 'usage' };
  if (!/^-?\d+$/.test(amountText)) return { kind: 'usage', problem: `amount must be a whole number, got "${amountText}"` };
  if (!reason?.trim()) return { kind: 'usage', problem: 'every adjustment needs --reason "..."' };
  return { kind: 'grant', uid, amount: Number(amountText), reason };
}

/** `eventBus`: where a grant is announced after it commits (the servers' balance caches), when there is one. */
export async function runCoinsCommand(db: Kysely<Database>, args: string[], eventBus?: EventBus): Promise<CommandOutput> {
  const command = parseCoinsArgs(args);
  switch (command.kind) {
    case 'usage':
      return { exitCode: 2, lines: [...(command.problem ? [`error: ${command.problem}`] : []), COINS_USAGE] };
    case 'balance':
      return { exitCode: 0, lines: [`${command.uid}: ${await walletBalance(db, command.uid)} diamonds`] };
    case 'grant':
      try {
        const result = await adjustDiamonds(db, { userId: command.uid, amount: command.amount, reason: command.reason, now: Date.now() });
        if (eventBus) await announceBalanceChanged(eventBus, command.uid);
        return {
          exitCode: 0,
          lines: [`${command.amount > 0 ? 'granted' : 'took back'} ${Math.abs(command.amount)} diamonds (transfer ${result.transfer_id}); balance now ${result.coin_num}`],
        };
      } catch (err) {
        if (err instanceof AppError) return { exitCode: 1, lines: [`error: ${err.error}: ${err.message}`] };
        throw err;
      }
  }
}

export async function runLedgerVerify(db: Kysely<Database>): Promise<CommandOutput> {
  const problems = await verifyLedger(db);
  if (problems.length === 0) return { exitCode: 0, lines: ['ledger OK: every transfer balances and every balance matches its entries'] };
  return {
    exitCode: 1,
    lines: [`ledger has ${problems.length} problem(s):`, ...problems.map((p) => `  ${p.kind} ${p.id}: ${p.detail}`)],
  };
}
