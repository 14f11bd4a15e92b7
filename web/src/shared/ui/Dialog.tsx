/**
 * Modal on the native <dialog>: focus is trapped by the browser, Esc closes it, the page behind is
 * inert. Closing always goes through `onClose` so state and DOM agree. The dialog opens on its
 * first field (not on the close button that comes first in the DOM) and, when it goes, gives focus
 * back to the control that opened it — or, if that control is gone (the log-in button after
 * logging in), to the page's heading.
 */
import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';

/** What a dialog opened from; a dialog opened from inside another inherits that one's opener. */
const openers = new WeakMap<HTMLDialogElement, HTMLElement>();

const FIRST_FIELD = 'input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), [role=radio][aria-checked=true]';
const FOCUSABLE = 'button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function initialFocus(dialog: HTMLDialogElement): HTMLElement | null {
  const content = dialog.querySelector('.dialog-content');
  return content?.querySelector<HTMLElement>(FIRST_FIELD) ?? content?.querySelector<HTMLElement>(FOCUSABLE) ?? null;
}

function returnFocus(opener: HTMLElement | undefined): void {
  const target = opener?.isConnected ? opener : document.querySelector<HTMLElement>('main h1');
  if (!target) return;
  if (target.tagName === 'H1' && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: opener?.isConnected !== true });
}

export function Dialog({ title, onClose, children, wide }: { title: string; onClose(): void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { t } = useI18n();

  // Layout effects: they run while the <dialog> is still in the document, before and after.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const active = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    const parent = active?.closest('dialog');
    const opener = parent ? openers.get(parent) : active;
    if (opener) openers.set(dialog, opener);
    if (!dialog.open) dialog.showModal();
    const first = initialFocus(dialog);
    first?.focus();
    // Content that loads after opening (the recharge packages): its first field gets focus when
    // it appears, unless the viewer has moved focus by then.
    const parked = () => document.activeElement === dialog || document.activeElement === dialog.querySelector('.btn-close');
    const waiting = first ? null : new MutationObserver(() => {
      const field = initialFocus(dialog);
      if (!field) return;
      waiting?.disconnect();
      if (parked()) field.focus();
    });
    waiting?.observe(dialog, { childList: true, subtree: true });
    const giveUp = setTimeout(() => waiting?.disconnect(), 5000);
    return () => {
      waiting?.disconnect();
      clearTimeout(giveUp);
      const wasFocusedInside = dialog.contains(document.activeElement) || document.activeElement === document.body;
      dialog.close();
      if (wasFocusedInside) returnFocus(openers.get(dialog));
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> element itself.
        if (event.target === ref.current) onClose();
      }}
    >
      <div className="dialog-body">
        <div className="dialog-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="btn btn-ghost btn-close" onClick={onClose} aria-label={t('common.close')}>
            ×
          </button>
        </div>
        <div className="dialog-content">{children}</div>
      </div>
    </dialog>
  );
}
