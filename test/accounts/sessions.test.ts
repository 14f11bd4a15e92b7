import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerViewer } from '../helpers/client.js';

const DAY = 24 * 60 * 60 * 1000;
// Starts at the real time: the test client drops cookies whose Expires is in the real past.
let now = Date.now();
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { sessionTtlDays: 30 }, deps: { clock: () => now } });
});
afterAll(() => t.close());

describe('session lifetime', () => {
  it('expires after 30 idle days', async () => {
    const { client } = await registerViewer(t.app);
    now += 31 * DAY;
    const res = await client.get('/api/users/is_logged_in');
    expect(res.json().data.user_info.status).toBe(false);
  });

  it('slides forward while the user keeps coming back', async () => {
    const { client } = await registerViewer(t.app);
    for (let visit = 0; visit < 4; visit++) {
      now += 20 * DAY;
      const res = await client.get('/api/users/is_logged_in');
      expect(res.json().data.user_info.status, `visit ${visit}`).toBe(true);
    }
  });
});
