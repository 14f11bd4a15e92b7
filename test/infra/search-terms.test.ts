/** The search tokenizer: what is indexed and what is asked fold and split the same way. */
import { describe, expect, it } from 'vitest';
import { foldText, fts5Query, parseSearchQuery, searchDocument, tsQuery } from '../../src/infra/search-terms.js';

describe('search terms', () => {
  it('folds width, case and accents', () => {
    expect(foldText('ＳｅｒａＰＨＩＮＡ Café')).toBe('seraphina cafe');
  });

  it('indexes words whole and CJK runs as characters and adjacent pairs', () => {
    expect(searchDocument(['小雪的故事', 'Seraphina_2'])).toBe('小 小雪 雪 雪的 的 的故 故 故事 事 seraphina 2');
    expect(searchDocument(['abc中文def'])).toBe('abc 中 中文 文 def');
  });

  it('asks for words by prefix, a CJK run by its pairs, a lone character by itself', () => {
    expect(parseSearchQuery('Sera 小雪的 猫').terms).toEqual([
      { term: 'sera', prefix: true },
      { term: '小雪', prefix: false },
      { term: '雪的', prefix: false },
      { term: '猫', prefix: false },
    ]);
    expect(parseSearchQuery('"*) OR (').terms).toEqual([{ term: 'or', prefix: true }]);
    expect(parseSearchQuery('!!!').terms).toEqual([]);
  });

  it('writes each engine its own syntax, operators never passed through', () => {
    const query = parseSearchQuery('NEAR 小雪');
    expect(fts5Query(query)).toBe('"near"* "小雪"');
    expect(tsQuery(query)).toBe("'near':* & '小雪'");
  });
});
