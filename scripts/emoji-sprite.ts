/**
 * Builds web/src/shared/emoji/twemoji-sprite.svg: the chat's emoji set (emoji-set.ts) as one SVG
 * of <symbol>s taken from @twemoji/svg, so the app ships its own emoji and needs no emoji font.
 * `npm run emoji:sprite` after changing the set; test/web/emoji-sprite.test.ts fails while the
 * committed sprite differs from a fresh build.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { EMOJI } from '../web/src/shared/emoji/emoji-set.js';

export const SPRITE_PATH = fileURLToPath(new URL('../web/src/shared/emoji/twemoji-sprite.svg', import.meta.url));

export function buildSprite(): string {
  const require = createRequire(import.meta.url);
  const symbols = EMOJI.map(({ file }) => {
    const svg = readFileSync(require.resolve(`@twemoji/svg/${file}.svg`), 'utf8');
    const viewBox = /viewBox="([^"]+)"/.exec(svg)?.[1] ?? '0 0 36 36';
    const body = svg.replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
    return `<symbol id="${file}" viewBox="${viewBox}">${body}</symbol>`;
  });
  return [
    '<svg xmlns="http://www.w3.org/2000/svg">',
    '<!-- Twemoji by Twitter, Inc and other contributors, CC-BY 4.0 (https://creativecommons.org/licenses/by/4.0/); via @twemoji/svg -->',
    ...symbols,
    '</svg>',
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SPRITE_PATH, buildSprite());
  console.log(`wrote ${SPRITE_PATH}`);
}
