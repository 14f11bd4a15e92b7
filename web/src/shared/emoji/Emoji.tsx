import { memo, useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { EMOJI, type EmojiEntry } from './emoji-set.ts';
import { emojiTokens } from './tokens.ts';
import spriteUrl from './twemoji-sprite.svg?url';

/** One emoji of the set, drawn from the app's own sprite; named for screen readers. */
export function Emoji({ emoji, decorative = false }: { emoji: EmojiEntry; decorative?: boolean }) {
  const { language } = useI18n();
  const name = language === 'en' ? emoji.en : emoji.zh;
  return (
    <svg className="emoji" viewBox="0 0 36 36" {...(decorative ? { 'aria-hidden': true } : { role: 'img', 'aria-label': name })} focusable="false">
      <use href={`${spriteUrl}#${emoji.file}`} />
    </svg>
  );
}

/** Text with the set's emoji (short codes or characters) drawn as pictures. */
export const EmojiText = memo(function EmojiText({ text }: { text: string }) {
  return (
    <>
      {emojiTokens(text).map((token, index) => (token.type === 'text' ? token.text : <Emoji key={index} emoji={token.emoji} />))}
    </>
  );
});

/**
 * The emoji button beside the chat input and its panel. Picking inserts the emoji's short code;
 * Escape or a click elsewhere closes the panel, and focus goes back to where the viewer types.
 */
export function EmojiPicker({ onPick, disabled }: { onPick(emoji: EmojiEntry): void; disabled?: boolean }) {
  const { t, language } = useI18n();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector('button')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !toggle.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };

  return (
    <div className="emoji-picker">
      <button
        ref={toggle}
        type="button"
        className="btn btn-icon"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={t('chat.emoji')}
        title={t('chat.emoji')}
        disabled={disabled}
        onClick={() => setOpen(!open)}
      >
        <Emoji emoji={EMOJI[0]!} decorative />
      </button>
      {open && (
        <div
          ref={panel}
          id={panelId}
          className="emoji-panel"
          role="group"
          aria-label={t('chat.emoji')}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              event.stopPropagation();
              close();
              return;
            }
            const buttons = [...(panel.current?.querySelectorAll('button') ?? [])];
            const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
            const columns = Math.max(1, Math.round((panel.current?.clientWidth ?? 320) / (buttons[0]?.offsetWidth || 44)));
            const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }[event.key];
            if (step !== undefined && index >= 0) {
              event.preventDefault();
              buttons[Math.min(buttons.length - 1, Math.max(0, index + step))]?.focus();
            }
          }}
        >
          {EMOJI.map((emoji) => (
            <button
              key={emoji.code}
              type="button"
              className="emoji-choice"
              aria-label={language === 'en' ? emoji.en : emoji.zh}
              title={`:${emoji.code}:`}
              onClick={() => {
                onPick(emoji);
                setOpen(false);
              }}
            >
              <Emoji emoji={emoji} decorative />
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
