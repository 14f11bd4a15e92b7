/**
 * The app's HTML document as each page is served: in the viewer's language (`<html lang>` from the
 * language they chose, else their browser's), and for a room, with its title and the Open Graph /
 * Twitter card tags that link previews read (they run no JavaScript). Everything inserted is
 * escaped; the built document is read once and only its head is rewritten.
 */
export type PageLanguage = 'zh-CN' | 'en';

/** The cookie the web app writes when the viewer picks a language. */
export const LANGUAGE_COOKIE = 'pk_lang';

const SITE_NAME = 'Pecktra Live';

export interface RoomPreview {
  title: string;
  anchorName: string;
  characterName: string;
  description: string;
  live: boolean;
  paid: boolean;
}

/** The viewer's language: their saved choice, else the first of their browser's that the app speaks. */
export function pageLanguage(cookie: string | undefined, acceptLanguage: string | undefined): PageLanguage {
  if (cookie === 'zh-CN' || cookie === 'en') return cookie;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(p)?.[1]).find((value) => value !== undefined);
      return { tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  // The product's audience is mainly Chinese-speaking.
  return 'zh-CN';
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function clip(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

const WORDS = {
  en: { live: 'live now', offline: 'offline', paid: 'VIP room', with: (character: string) => `AI role-play with ${character}` },
  'zh-CN': { live: '直播中', offline: '未开播', paid: 'VIP 直播间', with: (character: string) => `与 ${character} 的 AI 角色扮演` },
} as const;

/** The document title of a room page; the web app sets the same one once it runs. */
export function roomTitle(room: Pick<RoomPreview, 'title' | 'anchorName'>): string {
  return `${room.title} · @${room.anchorName} · ${SITE_NAME}`;
}

/** Head tags of a room page: title, description and link-preview cards. */
export function roomHead(room: RoomPreview, url: string, language: PageLanguage): string {
  const words = WORDS[language];
  const status = [room.live ? words.live : words.offline, ...(room.paid ? [words.paid] : [])].join(' · ');
  const description = clip(room.description || `${words.with(room.characterName)} · @${room.anchorName}`, 200);
  const title = clip(room.title, 120);
  const meta = (attribute: 'name' | 'property', key: string, value: string) =>
    `<meta ${attribute}="${key}" content="${escapeHtml(value)}" />`;
  return [
    `<title>${escapeHtml(roomTitle({ title, anchorName: room.anchorName }))}</title>`,
    meta('name', 'description', description),
    meta('property', 'og:type', 'website'),
    meta('property', 'og:site_name', SITE_NAME),
    meta('property', 'og:title', `${title} · @${room.anchorName}`),
    meta('property', 'og:description', `${status} — ${description}`),
    meta('property', 'og:url', url),
    meta('property', 'og:locale', language === 'en' ? 'en_US' : 'zh_CN'),
    meta('name', 'twitter:card', 'summary'),
    meta('name', 'twitter:title', `${title} · @${room.anchorName}`),
    meta('name', 'twitter:description', `${status} — ${description}`),
  ].join('\n    ');
}

/**
 * The API answers a page asks for first, exactly as the web app requests them (same path and
 * query), so the browser fetches them while the script downloads and runs, and the app's own
 * requests are answered from those preloads. Same-origin `fetch()` is a CORS-mode request with
 * same-origin credentials, which is what `crossorigin="anonymous"` preloads.
 */
export function firstRequests(pathname: string, roomId: string | undefined): string[] {
  const requests = ['/api/users/is_logged_in'];
  if (roomId !== undefined) {
    const room = new URLSearchParams({ room_id: roomId }).toString();
    requests.push(`/api/live/get_live_info?${room}`, `/api/live/get_live_chat_history?${room}&limit=200`, `/api/live/get_user_chat_history?${room}`);
  } else if (pathname === '/') {
    requests.push('/api/live/get_all_lives');
  }
  return requests;
}

function preloads(urls: readonly string[]): string {
  return urls.map((url) => `<link rel="preload" as="fetch" crossorigin="anonymous" href="${escapeHtml(url)}" />`).join('\n    ');
}

/**
 * The document with `lang` set, the page's first API requests preloaded and, given `head`, its
 * `<title>` and description replaced by it. A document without those tags is sent with only what
 * could be set.
 */
export function renderPage(document: string, language: PageLanguage, head?: string, requests: readonly string[] = []): string {
  let page = document.replace(/<html\b[^>]*>/i, `<html lang="${language}">`);
  if (head !== undefined) {
    page = page.replace(/\s*<meta name="description"[^>]*>/i, '').replace(/<title>[^<]*<\/title>/i, () => head);
  }
  if (requests.length > 0) page = page.replace(/<\/head>/i, () => `  ${preloads(requests)}\n  </head>`);
  return page;
}
