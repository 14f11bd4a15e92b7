import type { AppError} from '../http/errors.js';
import { badRequest, conflict } from '../http/errors.js';

/** Upper bound for any single amount or price; far below 2^53 so sums stay exact. */
export const MAX_DIAMONDS = 1_000_000_000;

export function assertAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_DIAMONDS) {
    throw badRequest('invalid_amount', `amount must be a whole number of diamonds from 1 to ${MAX_DIAMONDS}`);
  }
}

/** An archived room is read-only: nothing new can be bought in it. */
export function roomArchived(): AppError {
  return conflict('room_archived', 'This room is archived: it takes no new payments');
}
