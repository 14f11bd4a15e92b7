/**
 * Operator commands (`npm run payments -- <command>`): money that arrived without a matching order,
 * and the decision to credit a partially paid order.
 */
import { AppError } from '../http/errors.js';
import { parseDecimal, proRataFloor } from '../infra/decimal.js';
import type { PaymentsService } from './service.js';

export const PAYMENTS_USAGE = `Usage: npm run payments -- <command>
  unmatched                  payments no order explains (re-deposits, unknown orders, mismatches)
                             and partially paid orders awaiting a decision
  credit-partial <order_id>  credit a partially_paid order pro rata to actually_paid (once)`;

const iso = (ms: number) => new Date(ms).toISOString();

/** Runs one command, printing through `print`; returns the process exit code. */
export async function runPaymentsCommand(args: string[], payments: PaymentsService, print: (line: string) => void): Promise<number> {
  const [command, ...rest] = args;
  try {
    if (command === 'unmatched' && rest.length === 0) {
      const unmatched = await payments.unmatchedPayments();
      print(`Unmatched payments: ${unmatched.length}`);
      for (const p of unmatched) {
        print(
          `  payment ${p.paymentId}  ${p.reason}  status=${p.status ?? '-'}  paid=${p.actuallyPaid ?? '-'} ${p.payCurrency ?? ''}` +
            `  order=${p.orderId ?? '-'}  parent=${p.parentPaymentId ?? '-'}  last_seen=${iso(p.lastSeenAt)}`,
        );
      }
      const partial = await payments.partiallyPaidAwaitingDecision();
      print(`Partially paid orders awaiting credit-partial: ${partial.length}`);
      for (const o of partial) {
        const paid = o.actuallyPaid ? parseDecimal(o.actuallyPaid) : null;
        const expected = o.payAmount ? parseDecimal(o.payAmount) : null;
        const coins = paid && expected && expected.units > 0n ? Math.min(o.coinNum, proRataFloor(o.coinNum, paid, expected)) : 0;
        print(
          `  order ${o.id}  user=${o.userId}  paid=${o.actuallyPaid ?? '0'}/${o.payAmount ?? '?'} ${o.payCurrency}` +
            `  pro_rata=${coins}/${o.coinNum} diamonds  created=${iso(o.createdAt)}`,
        );
      }
      return 0;
    }
    if (command === 'credit-partial' && rest.length === 1) {
      const result = await payments.creditPartial(rest[0]!);
      print(
        result.applied
          ? `Credited ${result.coins} diamonds for order ${rest[0]}`
          : `Order ${rest[0]} was already credited ${result.coins} diamonds; nothing changed`,
      );
      return 0;
    }
    print(PAYMENTS_USAGE);
    return 2;
  } catch (err) {
    if (err instanceof AppError) {
      print(`Error: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
