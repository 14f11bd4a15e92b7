import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, testConfig, type TestApp } from '../helpers/app.js';

describe('recharge packages tell which provider is active', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('says simulated when no NOWPayments key is set, so the web app offers its demo controls', async () => {
    t = await createTestApp();
    const res = await t.app.inject({ url: '/api/payment/packages' });
    expect(res.json()).toMatchObject({ code: 0, data: { provider: 'simulated' } });
    expect(res.json().data.packages.length).toBeGreaterThan(0);
  });

  it('says nowpayments with a NOWPayments key, and the web app shows no simulate control', async () => {
    const base = testConfig();
    t = await createTestApp({ config: { payments: { ...base.payments, nowpaymentsApiKey: 'key', ipnSecret: 'secret' } } });
    const res = await t.app.inject({ url: '/api/payment/packages' });
    expect(res.json()).toMatchObject({ code: 0, data: { provider: 'nowpayments' } });
  });
});
