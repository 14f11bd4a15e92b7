/**
 * What `npm run bench` measures. Each scenario prepares its data through the public API (so it
 * works on any engine) and returns the request autocannon repeats.
 */
import type { HttpSession } from './http-session.js';

export interface ScenarioRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Per-request variation (e.g. a different room each time); autocannon cycles through them. */
  requests?: Array<{ method?: 'GET' | 'POST'; path?: string; headers?: Record<string, string>; body?: string }>;
}

export interface Scenario {
  name: string;
  /** Issue targets, as a ratio to the bare route of equal body size. */
  targetRatio?: number;
  expectNon2xx?: boolean;
  prepare(session: HttpSession): Promise<ScenarioRequest>;
}

const PASSWORD = 'bench-password-1';
let userCounter = 0;
export async function registerViewer(session: HttpSession): Promise<void> {
  userCounter += 1;
  await session.call('POST', '/api/users/register', { username: `bench_viewer_${process.pid}_${userCounter}`, password: PASSWORD });
}

export const scenarios: Scenario[] = [
  {
    name: 'is_logged_in_guest',
    async prepare(session) {
      // A returning guest: the guest cookie from the first visit is sent back.
      await session.call('GET', '/api/users/is_logged_in');
      return { method: 'GET', path: '/api/users/is_logged_in', headers: session.headers() };
    },
  },
  {
    name: 'is_logged_in_user',
    async prepare(session) {
      await registerViewer(session);
      return { method: 'GET', path: '/api/users/is_logged_in', headers: session.headers() };
    },
  },
];
