/**
 * A deliberately small markdown dialect for role-play text, parsed into a tree that the renderer
 * turns into React elements — text is never interpreted as HTML, so a message cannot inject markup.
 *
 * Supported: *actions* / _not_ (underscores are common in names), **bold**, `code`, "spoken lines"
 * (straight or curly quotes, highlighted like SillyTavern does), `> quotes`, line breaks and
 * paragraphs. `<br>` written by chat tools counts as a line break; any other tag stays literal text.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'em'; children: Inline[] }
  | { type: 'strong'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'speech'; children: Inline[] };

export type Block = { type: 'paragraph'; lines: Inline[][] } | { type: 'quote'; lines: Inline[][] };

const MAX_DEPTH = 4;
const QUOTE_PAIRS: Record<string, string> = { '"': '"', '“': '”', '「': '」' };

/** Closing single `*` for an emphasis opened before `from`, stepping over balanced `**` pairs. */
function findEmphasisEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] === '*') {
      if (text[i + 1] === '*') {
        const closeBold = text.indexOf('**', i + 2);
        if (closeBold === -1) return -1;
        i = closeBold + 2;
        continue;
      }
      return i;
    }
    i += 1;
  }
  return -1;
}

function pushText(nodes: Inline[], text: string): void {
  if (!text) return;
  const last = nodes[nodes.length - 1];
  if (last?.type === 'text') last.text += text;
  else nodes.push({ type: 'text', text });
}

export function parseInline(text: string, depth = 0): Inline[] {
  const nodes: Inline[] = [];
  if (depth >= MAX_DEPTH) {
    pushText(nodes, text);
    return nodes;
  }
  let plainStart = 0;
  let i = 0;
  const flushTo = (end: number) => pushText(nodes, text.slice(plainStart, end));

  while (i < text.length) {
    const char = text[i]!;
    if (char === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        flushTo(i);
        nodes.push({ type: 'code', text: text.slice(i + 1, end) });
        i = plainStart = end + 1;
        continue;
      }
    } else if (char === '*' && text[i + 1] === '*') {
      const end = text.indexOf('**', i + 2);
      if (end > i + 2) {
        flushTo(i);
        nodes.push({ type: 'strong', children: parseInline(text.slice(i + 2, end), depth + 1) });
        i = plainStart = end + 2;
        continue;
      }
    } else if (char === '*') {
      const end = findEmphasisEnd(text, i + 1);
      if (end > i + 1) {
        flushTo(i);
        nodes.push({ type: 'em', children: parseInline(text.slice(i + 1, end), depth + 1) });
        i = plainStart = end + 1;
        continue;
      }
    } else if (char in QUOTE_PAIRS) {
      const end = text.indexOf(QUOTE_PAIRS[char]!, i + 1);
      if (end > i + 1) {
        flushTo(i);
        nodes.push({ type: 'speech', children: splitSpeech(text.slice(i, end + 1), depth) });
        i = plainStart = end + 1;
        continue;
      }
    }
    i += 1;
  }
  flushTo(text.length);
  return nodes;
}

/** A spoken line keeps its quote marks as text around the parsed inside. */
function splitSpeech(quoted: string, depth: number): Inline[] {
  const open = quoted[0]!;
  const close = quoted[quoted.length - 1]!;
  const inner = parseInline(quoted.slice(1, -1), depth + 1);
  const nodes: Inline[] = [];
  pushText(nodes, open);
  for (const node of inner) {
    if (node.type === 'text') pushText(nodes, node.text);
    else nodes.push(node);
  }
  pushText(nodes, close);
  return nodes;
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').replace(/<br\s*\/?>/gi, '\n').split('\n');
  const blocks: Block[] = [];
  let current: Block | null = null;
  for (const rawLine of lines) {
    const quoteMatch = /^\s*>\s?(.*)$/.exec(rawLine);
    const isQuote = quoteMatch !== null;
    const line = isQuote ? quoteMatch[1]! : rawLine;
    if (!isQuote && line.trim() === '') {
      current = null;
      continue;
    }
    const type = isQuote ? 'quote' : 'paragraph';
    if (!current || current.type !== type) {
      const block: Block = { type, lines: [] };
      blocks.push(block);
      current = block;
    }
    current.lines.push(parseInline(line.trimEnd()));
  }
  return blocks;
}
