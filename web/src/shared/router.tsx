/** A few client routes on the History API; the server answers every one of them with index.html. */
import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type RefObject } from 'react';

export type Route =
  | { name: 'home' }
  | { name: 'room'; roomId: string }
  | { name: 'wallet' }
  | { name: 'account' }
  | { name: 'following' }
  | { name: 'studio'; section: string; roomId?: string }
  | { name: 'admin'; section: string; id?: string }
  | { name: 'not_found' };

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'home' };
  if (path === '/wallet') return { name: 'wallet' };
  if (path === '/account') return { name: 'account' };
  if (path === '/following') return { name: 'following' };
  const admin = /^\/admin(?:\/([a-z]+)(?:\/([^/]+))?)?$/.exec(path);
  if (admin) {
    try {
      return { name: 'admin', section: admin[1] ?? 'reports', id: admin[2] === undefined ? undefined : decodeURIComponent(admin[2]) };
    } catch {
      return { name: 'not_found' };
    }
  }
  const studio = /^\/studio(?:\/([a-z]+))?$/.exec(path);
  if (studio) return { name: 'studio', section: studio[1] ?? 'rooms' };
  const dashboard = /^\/studio\/rooms\/([^/]+)$/.exec(path);
  if (dashboard) {
    try {
      return { name: 'studio', section: 'dashboard', roomId: decodeURIComponent(dashboard[1]!) };
    } catch {
      return { name: 'not_found' };
    }
  }
  const room = /^\/live\/([^/]+)$/.exec(path);
  if (room) {
    try {
      return { name: 'room', roomId: decodeURIComponent(room[1]!) };
    } catch {
      return { name: 'not_found' };
    }
  }
  return { name: 'not_found' };
}

export function roomPath(roomId: string): string {
  return `/live/${encodeURIComponent(roomId)}`;
}

export function studioRoomPath(roomId: string): string {
  return `/studio/rooms/${encodeURIComponent(roomId)}`;
}

const NAVIGATE_EVENT = 'pecktra:navigate';
/** Whether the current page was reached inside the app (a link or back/forward), not by loading it. */
let navigatedInApp = false;

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    navigatedInApp = true;
  });
}

export function navigate(path: string): void {
  if (path === location.pathname) return;
  navigatedInApp = true;
  history.pushState(null, '', path);
  window.scrollTo(0, 0);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** An ordinary link (open in new tab still works) that navigates in-page on a plain click. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handleClick} {...rest} />;
}

/**
 * Moves focus to a page's heading once it is shown after an in-app navigation, so keyboard and
 * screen-reader users start reading the new page instead of staying on the link they followed.
 * A page loaded from the address bar keeps the browser's own starting point.
 */
export function useFocusOnArrival(heading: RefObject<HTMLElement | null>, ready = true): void {
  useEffect(() => {
    if (!ready || !navigatedInApp) return;
    heading.current?.focus({ preventScroll: true });
  }, [heading, ready]);
}

const SITE_NAME = 'Pecktra Live';

/** Sets the tab's title for the page shown: "<page> · Pecktra Live". */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · ${SITE_NAME}` : SITE_NAME;
  }, [title]);
}
