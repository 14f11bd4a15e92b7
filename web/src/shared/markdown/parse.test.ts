import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from './parse.ts';

describe('role-play markdown', () => {
  it('parses *actions*, **bold**, `code` and spoken lines', () => {
    expect(parseInline('*smiles softly* "Welcome back," she says. **Really.** Try `/roll`.')).toEqual([
      { type: 'em', children: [{ type: 'text', text: 'smiles softly' }] },
      { type: 'text', text: ' ' },
      { type: 'speech', children: [{ type: 'text', text: '"Welcome back,"' }] },
      { type: 'text', text: ' she says. ' },
      { type: 'strong', children: [{ type: 'text', text: 'Really.' }] },
      { type: 'text', text: ' Try ' },
      { type: 'code', text: '/roll' },
      { type: 'text', text: '.' },
    ]);
  });

  it('nests bold inside an action and formatting inside speech', () => {
    expect(parseInline('*she is **very** tired*')).toEqual([
      {
        type: 'em',
        children: [
          { type: 'text', text: 'she is ' },
          { type: 'strong', children: [{ type: 'text', text: 'very' }] },
          { type: 'text', text: ' tired' },
        ],
      },
    ]);
    expect(parseInline('“I *told* you”')).toEqual([
      { type: 'speech', children: [{ type: 'text', text: '“I ' }, { type: 'em', children: [{ type: 'text', text: 'told' }] }, { type: 'text', text: ' you”' }] },
    ]);
  });

  it('leaves unmatched markers and HTML as plain text', () => {
    expect(parseInline('2 * 3 = 6 and a lone ` tick')).toEqual([{ type: 'text', text: '2 * 3 = 6 and a lone ` tick' }]);
    expect(parseInline('<img src=x onerror=alert(1)><script>alert(1)</script>')).toEqual([
      { type: 'text', text: '<img src=x onerror=alert(1)><script>alert(1)</script>' },
    ]);
  });

  it('splits paragraphs on blank lines, keeps line breaks and quotes, and reads <br>', () => {
    expect(parseMarkdown('Line one\nLine two\n\n> quoted *aside*\nAfter<br>break')).toEqual([
      { type: 'paragraph', lines: [[{ type: 'text', text: 'Line one' }], [{ type: 'text', text: 'Line two' }]] },
      { type: 'quote', lines: [[{ type: 'text', text: 'quoted ' }, { type: 'em', children: [{ type: 'text', text: 'aside' }] }]] },
      { type: 'paragraph', lines: [[{ type: 'text', text: 'After' }], [{ type: 'text', text: 'break' }]] },
    ]);
  });

  it('stops nesting at a bounded depth so hostile input cannot blow the stack', () => {
    const deep = '*'.repeat(5000) + 'x' + '*'.repeat(5000);
    expect(() => parseMarkdown(deep)).not.toThrow();
    const text = JSON.stringify(parseMarkdown(deep));
    expect(text).toContain('x');
  });
});
