/**
 * live_message_html is inserted with innerHTML by the original site's pages: whatever an anchor's
 * chat tool sends, it must yield only <em>, <q> and <br> without attributes, and show the text as
 * written. Checked as text (every string, by property) and in Chromium's own HTML parser.
 */
import fc from 'fast-check';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderLineHtml } from '../../src/chat/line-html.js';
import { hasChromium, launchBrowser } from '../e2e/harness.js';

const ATTACKS = [
  '<script>window.pwned = 1</script>',
  '<img src=x onerror="window.pwned = 1">',
  '<svg onload=window.pwned=1>',
  '<a href="javascript:window.pwned=1">click</a>',
  '[click](javascript:window.pwned=1)',
  '*<img src=x onerror=window.pwned=1>*',
  '"<iframe src=javascript:window.pwned=1>"',
  '&lt;script&gt;window.pwned = 1&lt;/script&gt;',
  '&#60;img src=x onerror=window.pwned=1&#62;',
  '<scr<script>ipt>window.pwned = 1</script>',
  '" onmouseover="window.pwned=1" x="',
  "*' onfocus='window.pwned=1' autofocus '*",
  '<style>body{display:none}</style><b>bold</b>',
  '<!-- comment --><![CDATA[ x ]]>',
  '<em onclick="window.pwned=1">em</em><q cite="javascript:x">q</q><br onload=x>',
];

/** The output with the formatting tags taken out: must be plain escaped text. */
function withoutAllowedTags(html: string): string {
  return html.replace(/<\/?em>|<\/?q>|<br>/g, '');
}

describe('live_message_html as text', () => {
  it('keeps *italic*, "quotes" and line breaks', () => {
    expect(renderLineHtml('*leans closer* "Tell me more," she says.\nNext line')).toBe(
      '<em>leans closer</em> <q>Tell me more,</q> she says.<br>Next line',
    );
    expect(renderLineHtml('*she whispers "hush" softly*')).toBe('<em>she whispers <q>hush</q> softly</em>');
    expect(renderLineHtml('"*sighs* fine"')).toBe('<q><em>sighs</em> fine</q>');
    expect(renderLineHtml('a * b and 2*3 = 6, **bold**')).toBe('a * b and 2*3 = 6, **bold**');
    expect(renderLineHtml('森林记得每一个走过它的人。\r\n第二行')).toBe('森林记得每一个走过它的人。<br>第二行');
  });

  it('never lets a quote and an italic cross', () => {
    expect(renderLineHtml('*a "x* *y" b*')).toBe('<em>a &quot;x</em> <em>y&quot; b</em>');
    expect(renderLineHtml('"a *b" c*')).toBe('&quot;a <em>b&quot; c</em>');
  });

  it('escapes every markup character of any input', () => {
    for (const attack of ATTACKS) expect(withoutAllowedTags(renderLineHtml(attack))).not.toMatch(/[<>"']/);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('<', '>', '"', "'", '&', '*', '\n', 'a', ' ', '=', '/', ';', '#') }), (text) => {
        const plain = withoutAllowedTags(renderLineHtml(text));
        expect(plain).not.toMatch(/[<>"']/);
        // Every & starts one of the escapes written here, so no entity from the input survives.
        expect(plain.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
      }),
      { numRuns: 2_000 },
    );
  });
});

describe.skipIf(!hasChromium)("live_message_html in Chromium's innerHTML", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('yields only em, q and br, no attributes, runs nothing, and shows the text as written', async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><div id="out"></div>');
    const inputs = [...ATTACKS, '*leans closer* "Tell me more."\nok'];
    const results = await page.evaluate(
      async (htmls) => {
        const out = document.getElementById('out')!;
        const found: Array<{ tags: string[]; attributes: number; text: string }> = [];
        for (const html of htmls) {
          out.innerHTML = html;
          const elements = [...out.querySelectorAll('*')];
          found.push({
            tags: [...new Set(elements.map((element) => element.tagName.toLowerCase()))],
            attributes: elements.reduce((sum, element) => sum + element.attributes.length, 0),
            // <q> draws its quote marks with CSS, so textContent lacks them; <br> is the line break.
            text: [...out.childNodes].map(function text(node): string {
              if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
              const name = (node as Element).tagName.toLowerCase();
              const inner = [...node.childNodes].map(text).join('');
              return name === 'br' ? '\n' : name === 'q' ? `"${inner}"` : name === 'em' ? `*${inner}*` : inner;
            }).join(''),
          });
        }
        // Give any handler a chance to run before looking.
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { found, pwned: (window as unknown as { pwned?: number }).pwned };
      },
      inputs.map((input) => renderLineHtml(input)),
    );
    expect(results.pwned).toBeUndefined();
    results.found.forEach((result, i) => {
      for (const tag of result.tags) expect(['em', 'q', 'br']).toContain(tag);
      expect(result.attributes).toBe(0);
      expect(result.text).toBe(inputs[i]);
    });
    await page.close();
  });
});
