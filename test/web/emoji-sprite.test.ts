import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSprite, SPRITE_PATH } from '../../scripts/emoji-sprite.js';
import { EMOJI } from '../../web/src/shared/emoji/emoji-set.js';

describe('shipped emoji sprite', () => {
  it('matches the emoji set (run `npm run emoji:sprite` after changing it)', () => {
    const committed = readFileSync(SPRITE_PATH, 'utf8');
    expect(committed).toBe(buildSprite());
    for (const emoji of EMOJI) expect(committed).toContain(`<symbol id="${emoji.file}" `);
    expect(new Set(EMOJI.map((emoji) => emoji.code)).size).toBe(EMOJI.length);
  });
});
