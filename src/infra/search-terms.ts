/**
 * Text to search terms, the same way for what is indexed and for what is asked, on both engines.
 *
 * Neither engine segments Chinese or Japanese words, and a trigram index cannot answer the one- and
 * two-character queries that are most names there (小雪, 猫). So the text is cut here: letters and
 * digits of alphabetic scripts make words (matched by prefix, for search-as-you-type); a run of
 * CJK or Hangul characters is indexed as its single characters and each adjacent pair (the CJK
 * bigrams Lucene's CJK analyzer uses), and a query run is looked up by its pairs. The result is a
 * space-separated document that SQLite FTS5 (unicode61) and PostgreSQL's `simple` text search
 * both split back into exactly these terms, so each engine's own full-text index does the search.
 */

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const TERM_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[\p{L}\p{N}])+/gu;

/** Longest word kept; longer runs are cut (nobody types 64 letters to find a room). */
const MAX_WORD_LENGTH = 64;
/** Terms a query may have; the rest is ignored. */
const MAX_QUERY_TERMS = 16;

/**
 * Width, compatibility forms, case and accents folded away: Ｆｏｏ, FOO and fóo are one word.
 * Combining marks are dropped after decomposition so both engines see only letters and digits.
 */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

function runs(text: string): string[] {
  return foldText(text).match(TERM_RUN) ?? [];
}

function isCjk(run: string): boolean {
  return CJK_CHAR.test(run);
}

/** The indexed document of some fields: every word, and each CJK run's characters and pairs. */
export function searchDocument(fields: readonly string[]): string {
  const terms = new Set<string>();
  for (const run of runs(fields.join(' '))) {
    if (!isCjk(run)) {
      terms.add(run.slice(0, MAX_WORD_LENGTH));
      continue;
    }
    const chars = Array.from(run);
    chars.forEach((char, i) => {
      terms.add(char);
      if (i + 1 < chars.length) terms.add(char + chars[i + 1]);
    });
  }
  return [...terms].join(' ');
}

/** What a query asks for: every term must match; `prefix` terms match any word they begin. */
export interface SearchQuery {
  terms: Array<{ term: string; prefix: boolean }>;
}

export function parseSearchQuery(text: string): SearchQuery {
  const terms = new Map<string, boolean>();
  for (const run of runs(text)) {
    if (!isCjk(run)) {
      terms.set(run.slice(0, MAX_WORD_LENGTH), true);
      continue;
    }
    const chars = Array.from(run);
    if (chars.length === 1) terms.set(chars[0]!, false);
    for (let i = 0; i + 1 < chars.length; i++) terms.set(chars[i]! + chars[i + 1]!, false);
  }
  return { terms: [...terms].slice(0, MAX_QUERY_TERMS).map(([term, prefix]) => ({ term, prefix })) };
}

/** Whether a document's terms (searchDocument, split) satisfy the query: the index's rule, in memory. */
export function documentMatches(query: SearchQuery, documentTerms: readonly string[]): boolean {
  if (query.terms.length === 0) return false;
  return query.terms.every(({ term, prefix }) => (prefix ? documentTerms.some((word) => word.startsWith(term)) : documentTerms.includes(term)));
}

/** The query in FTS5 syntax: quoted terms (never operators), `*` for prefixes, all required. */
export function fts5Query(query: SearchQuery): string {
  return query.terms.map(({ term, prefix }) => `"${term}"${prefix ? '*' : ''}`).join(' ');
}

/** The query in PostgreSQL tsquery syntax: quoted lexemes, `:*` for prefixes, joined by &. */
export function tsQuery(query: SearchQuery): string {
  return query.terms.map(({ term, prefix }) => `'${term}'${prefix ? ':*' : ''}`).join(' & ');
}
