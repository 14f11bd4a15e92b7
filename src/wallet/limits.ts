import { badRequest } from '../http/errors.js';

/** Upper bound for any single amount or price; far below 2^53 so sums stay exact. */
export const MAX_DIAMONDS = 1_000_000_000;

export function assertAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_DIAMONDS) {
    throw badRequest('invalid_amount', `amount must be a whole number of diamonds from 1 to ${MAX_DIAMONDS}`);
  }
}
