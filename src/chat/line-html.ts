/**
 * A transcript line as safe HTML, for clients that insert it with innerHTML (the original site's
 * pages). Everything is escaped first; then only the light formatting SillyTavern shows is turned
 * into markup this module writes itself, with no attributes: `*italic*` → <em>, `"quotes"` → <q>
 * (the browser draws the quote marks), line breaks → <br>. No markup or URL from the text can ever
 * reach the output, so there is nothing to sanitise afterwards.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/**
 * `*text*` on one line, as markdown reads it (SillyTavern's italic): not `**`, not `2*3`, no space
 * just inside the asterisks.
 */
const ITALIC = /(?<![*\w])\*(?![\s*])([^*\n]*?[^\s*])\*(?![*\w])/g;
/** `"text"` on one line, as escaped above. */
const QUOTE = /&quot;((?:(?!&quot;)[^\n])+?)&quot;/g;

/** Every <em> in `html` is closed inside it and every </em> opened inside it. */
function closesItsItalics(html: string): boolean {
  let depth = 0;
  for (const [tag] of html.matchAll(/<\/?em>/g)) {
    depth += tag === '<em>' ? 1 : -1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

export function renderLineHtml(text: string): string {
  return (
    escapeHtml(text)
      .replace(ITALIC, '<em>$1</em>')
      // A quote that would cut an italic in two stays plain text, so tags always nest properly.
      .replace(QUOTE, (whole, inner: string) => (closesItsItalics(inner) ? `<q>${inner}</q>` : whole))
      .replace(/\r\n|\r|\n/g, '<br>')
  );
}
