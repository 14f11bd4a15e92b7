import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { translate } from '../i18n/language.ts';
import { describeError } from './describe-error.ts';

function words(err: unknown, language: 'en' | 'zh-CN' = 'en'): string {
  const described = describeError(err);
  return 'text' in described ? described.text : translate(language, described.key, described.params);
}

describe('server refusals in words', () => {
  it('explains the chat refusals a viewer can hit', () => {
    expect(words(new ApiError(429, 'rate_limited', 'Too many messages', { retry_after: 4 }))).toMatch(/too fast/);
    expect(words(new ApiError(403, 'muted', 'You are muted'))).toMatch(/muted/);
    expect(words(new ApiError(403, 'muted', 'You are muted'), 'zh-CN')).toBe('你已被主播禁言。');
  });

  it('falls back to the server message for codes it has no sentence for', () => {
    expect(words(new ApiError(400, 'invalid_request', 'user_message must be at most 500 characters'))).toBe(
      'user_message must be at most 500 characters',
    );
  });

  it('asks to log in on 401 and blames the server, not the user, on 5xx', () => {
    expect(words(new ApiError(401, 'unauthorized', 'Login required'))).toMatch(/log in/);
    expect(words(new ApiError(502, 'payment_gateway', 'upstream'))).toMatch(/our side/);
    expect(words(new ApiError(0, 'network_error', 'Network error'))).toMatch(/reach the server/);
    expect(words(new Error('boom'))).toMatch(/went wrong/);
  });
});
