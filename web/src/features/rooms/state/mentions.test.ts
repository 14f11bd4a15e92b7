import { describe, expect, it } from 'vitest';
import { isLongMessage, mentionsOf, mentionTokens } from './mentions.ts';

describe('mentions', () => {
  it('finds @names, marks the viewer’s own (any case, any script) and keeps the rest as text', () => {
    expect(mentionTokens('hi @Alice and @游客Ab3, see @bob!', 'alice')).toEqual([
      { type: 'text', text: 'hi ' },
      { type: 'mention', name: 'Alice', self: true },
      { type: 'text', text: ' and ' },
      { type: 'mention', name: '游客Ab3', self: false },
      { type: 'text', text: ', see ' },
      { type: 'mention', name: 'bob', self: false },
      { type: 'text', text: '!' },
    ]);
    expect(mentionsOf('@游客Ab3 你好', '游客Ab3')).toBe(true);
  });

  it('does not take a longer name or an e-mail address for a mention of the viewer', () => {
    expect(mentionsOf('@alice_2 hello', 'alice')).toBe(false);
    expect(mentionsOf('mail alice@example.com', 'example')).toBe(false);
    expect(mentionsOf('no mention here', 'alice')).toBe(false);
    expect(mentionsOf('@alice', null)).toBe(false);
  });

  it('folds long or many-line messages', () => {
    expect(isLongMessage('short')).toBe(false);
    expect(isLongMessage('x'.repeat(181))).toBe(true);
    expect(isLongMessage('a\nb\nc\nd\ne')).toBe(true);
  });
});
