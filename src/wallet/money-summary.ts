/** The money of each day, from the ledger itself: what came in, what was spent on what, who got it. */
import { sql } from 'kysely';
import type { Executor } from '../db/transaction.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const SPENDING = ['vip_room', 'subscription', 'gift'] as const;

export interface MoneyDay {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  recharged: number;
  spent: { vip_room: number; subscription: number; gift: number };
  platform_fee: number;
  anchor_earnings: number;
  /** Net change of viewers' wallets by operator and CLI adjustments. */
  adjustments: number;
}

/** One row per UTC day of the last `days` days (today included), oldest first, zeros where nothing moved. */
export async function dailyMoneySummary(db: Executor, days: number, now: number): Promise<MoneyDay[]> {
  const firstDay = Math.floor(now / DAY_MS) - days + 1;
  // A literal, not a parameter: PostgreSQL matches the grouped expression to the selected one only
  // when both are the same text.
  const dayOf = sql<number>`cast(e.created_at / ${sql.lit(DAY_MS)} as integer)`;
  const rows = await db
    .selectFrom('ledger_entries as e')
    .innerJoin('ledger_transfers as t', 't.id', 'e.transfer_id')
    .innerJoin('ledger_accounts as a', 'a.id', 'e.account_id')
    .select([
      dayOf.as('day'),
      't.type',
      'a.kind',
      (eb) => eb.fn.sum<number>('e.amount').as('total'),
    ])
    .where('e.created_at', '>=', firstDay * DAY_MS)
    .groupBy([dayOf, 't.type', 'a.kind'])
    .execute();
  const byDay = new Map<number, MoneyDay>();
  for (let day = firstDay; day < firstDay + days; day++) {
    byDay.set(day, {
      day: new Date(day * DAY_MS).toISOString().slice(0, 10),
      recharged: 0,
      spent: { vip_room: 0, subscription: 0, gift: 0 },
      platform_fee: 0,
      anchor_earnings: 0,
      adjustments: 0,
    });
  }
  for (const row of rows) {
    const entry = byDay.get(Number(row.day));
    if (!entry) continue;
    const total = Number(row.total);
    const spending = (SPENDING as readonly string[]).includes(row.type);
    if (row.kind === 'wallet' && row.type === 'recharge') entry.recharged += total;
    else if (row.kind === 'wallet' && spending) entry.spent[row.type as (typeof SPENDING)[number]] -= total;
    else if (row.kind === 'wallet' && (row.type === 'adjustment' || row.type === 'operator_adjustment')) entry.adjustments += total;
    else if (row.kind === 'platform' && spending) entry.platform_fee += total;
    else if (row.kind === 'earnings' && spending) entry.anchor_earnings += total;
  }
  return [...byDay.values()];
}
