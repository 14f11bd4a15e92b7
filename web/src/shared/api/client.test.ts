import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiUrl, requestData, requestFields } from './client.ts';

function answer(status: number, body: unknown) {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status })));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the API request core', () => {
  it('fills path parameters (encoded) and appends only the query values that are set', () => {
    expect(apiUrl('/api/payment/check_payment_status/{order_id}', { order_id: 'a b/c' }, { cursor: undefined, limit: 0, x: null })).toBe(
      '/api/payment/check_payment_status/a%20b%2Fc?limit=0',
    );
  });

  it("resolves to the answer's data, or to its fields without the envelope code", async () => {
    answer(200, { code: 0, data: { follow_status: true } });
    await expect(requestData('post', '/api/live/follow', { body: { room_id: 'r', follow_status: true } })).resolves.toEqual({ follow_status: true });
    answer(200, { code: 0, status: 'waiting', message: 'Waiting', coin_num: 5 });
    await expect(requestFields('get', '/api/payment/check_payment_status/{order_id}', { params: { order_id: 'o1' } })).resolves.toEqual({
      status: 'waiting',
      message: 'Waiting',
      coin_num: 5,
    });
  });

  it("throws a refusal with the server's machine code, words and extra details", async () => {
    answer(429, { code: 1, error: 'rate_limited', message: 'Too many messages', retry_after: 4 });
    const refusal = await requestData('get', '/api/live/get_all_lives').catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ status: 429, error: 'rate_limited', message: 'Too many messages', details: { retry_after: 4 } });
  });

  it('names a failure without an error envelope by its HTTP status, and an unreachable server network_error', async () => {
    answer(502, '<html>Bad gateway</html>');
    await expect(requestData('get', '/api/live/get_all_lives')).rejects.toMatchObject({ status: 502, error: 'http_502' });
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(requestData('get', '/api/live/get_all_lives')).rejects.toMatchObject({ status: 0, error: 'network_error' });
  });
});

/** Never run: `npm run typecheck` fails if a call that does not match its route's schema compiles. */
export function callsThatMustNotCompile() {
  // @ts-expect-error: not a route of the API
  void requestData('get', '/api/live/no_such_route');
  // @ts-expect-error: not a query parameter of get_live_info
  void requestData('get', '/api/live/get_live_info', { query: { room: 'r' } });
  // @ts-expect-error: follow_status is a boolean
  void requestData('post', '/api/live/follow', { body: { room_id: 'r', follow_status: 'yes' } });
  // @ts-expect-error: the path parameter is order_id
  void requestFields('get', '/api/payment/check_payment_status/{order_id}', { params: { id: 'o1' } });
}
