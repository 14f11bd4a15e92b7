/** Password hashing with scrypt, off the event loop; the stored format carries its parameters. */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Semaphore } from './semaphore.js';

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** log2 of scrypt's N. 15 means 32 MiB and ~100 ms per hash, computed off the event loop. */
export const DEFAULT_HASH_COST = 15;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

/** Format: scrypt$N$r$p$salt$key (base64url), so parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string, cost = DEFAULT_HASH_COST): Promise<string> {
  const params = { N: 2 ** cost, r: 8, p: 1 };
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...params, maxmem: MAX_MEMORY });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !keyText) return false;
  const expected = Buffer.from(keyText, 'base64url');
  const actual = await scrypt(password, Buffer.from(saltText, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAX_MEMORY,
  });
  return timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;

/** A hash to compare against when the user does not exist, so both cases take the same time. */
export function dummyPasswordHash(cost: number): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'), cost);
  return dummyHash;
}

/**
 * Password hashing and checking through one bounded line: scrypt runs on libuv's small thread pool
 * (shared with file and DNS work) and costs ~0.1 CPU-second, so a burst of logins or sign-ups must
 * wait its turn instead of occupying every thread. A full line refuses at once (SemaphoreFullError).
 */
export class PasswordHasher {
  private readonly line: Semaphore;

  constructor(
    private readonly cost: number,
    limits: { concurrency: number; maxWaiting: number },
  ) {
    this.line = new Semaphore(limits.concurrency, limits.maxWaiting);
  }

  hash(password: string): Promise<string> {
    return this.line.run(() => hashPassword(password, this.cost));
  }

  /** Checks against the stored hash, or against a dummy one for an unknown user (same cost, same time). */
  verify(password: string, stored: string | undefined): Promise<boolean> {
    return this.line.run(async () => {
      const ok = await verifyPassword(password, stored ?? (await dummyPasswordHash(this.cost)));
      return ok && stored !== undefined;
    });
  }
}
