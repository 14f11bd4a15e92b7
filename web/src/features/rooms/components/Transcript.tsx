/**
 * The anchor/AI conversation. Virtualised so rooms with thousands of long messages scroll smoothly:
 * only the rows near the viewport exist in the DOM, each measured after it renders. The view
 * follows new messages while the reader is at the bottom and holds still while they read older ones.
 *
 * It is not a live region: rows appear as the reader scrolls, and a screen reader would read each
 * one. New lines are announced once, by the room (see useRoomAnnouncements). Where the reader is
 * (the first line in view) is kept in the page's history entry, so a reload or coming back with
 * the Back button opens the room at the same place.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { Markdown } from '../../../shared/markdown/Markdown.tsx';
import { saveReadingFloor } from '../state/reading-place.ts';
import type { TranscriptRow } from '../state/typing.ts';

const AT_END_SLACK_PX = 48;

/**
 * Height guess before a row is measured: header plus wrapped lines. Close guesses keep the scroll
 * position steady when rows above the viewport get measured for real.
 */
function estimateRowHeight(message: TranscriptRow): number {
  const text = message.live_message;
  let lines = 0;
  for (const paragraph of text.split('\n')) lines += Math.max(1, Math.ceil(paragraph.length / 90));
  return 52 + lines * 24;
}

/**
 * One line, or the AI reply still being written at its floor (`typing`). Both use the same row
 * under the same key, so the finished line replaces the bubble in place, without a flash.
 */
const MessageRow = memo(function MessageRow({ message }: { message: TranscriptRow }) {
  const { t, formatTime } = useI18n();
  const initial = Array.from(message.sender_name)[0] ?? '?';
  const className = message.is_user ? 'msg msg-anchor' : message.typing === 'writing' ? 'msg msg-ai msg-typing' : 'msg msg-ai';
  return (
    <article className={className} data-floor={message.floor} aria-busy={message.typing ? true : undefined}>
      <div className="msg-avatar" aria-hidden="true">
        {initial}
      </div>
      <div className="msg-main">
        <header className="msg-head">
          <bdi className="msg-name">{message.sender_name}</bdi>
          <span className={message.is_user ? 'tag tag-anchor' : 'tag tag-ai'}>{message.is_user ? t('room.anchor_tag') : t('room.ai_tag')}</span>
          {message.typing === 'writing' ? (
            <span className="msg-time msg-typing-label">{t('room.typing')}</span>
          ) : message.typing ? null : (
            <time className="msg-time" dateTime={message.send_date}>
              {formatTime(message.send_date)}
            </time>
          )}
        </header>
        <div className="msg-text" dir="auto">
          <Markdown text={message.live_message} />
        </div>
      </div>
    </article>
  );
});

export function Transcript({
  messages,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  restoreFloor,
}: {
  messages: readonly TranscriptRow[];
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder(): void;
  /** Open at this line (the reader's place before a reload) instead of at the newest. */
  restoreFloor: number | null;
}) {
  const { t } = useI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [atEnd, setAtEnd] = useState(restoreFloor === null);
  const [unseen, setUnseen] = useState(false);
  const initialScrollDone = useRef(false);
  const lastFloor = messages[messages.length - 1]?.floor;
  const savePending = useRef(false);

  // The virtualizer is a mutable object by design; this app does not use the React Compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => estimateRowHeight(messages[index]!),
    overscan: 6,
    getItemKey: (index) => messages[index]!.floor,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: AT_END_SLACK_PX,
  });

  useLayoutEffect(() => {
    if (initialScrollDone.current || messages.length === 0) return;
    initialScrollDone.current = true;
    const restoreAt = restoreFloor === null ? -1 : messages.findIndex((message) => message.floor >= restoreFloor);
    if (restoreAt >= 0) virtualizer.scrollToIndex(restoreAt, { align: 'start' });
    else virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
  }, [messages, restoreFloor, virtualizer]);

  useEffect(() => {
    if (lastFloor !== undefined && !atEnd) setUnseen(true);
    // Only a new last message counts as unseen, not scrolling itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastFloor]);

  /** Remembers the first line in view (none at the end: the reader follows the live edge). */
  const rememberPlace = (end: boolean) => {
    if (savePending.current) return;
    savePending.current = true;
    requestAnimationFrame(() => {
      savePending.current = false;
      const element = scrollRef.current;
      if (!element || !initialScrollDone.current) return;
      if (end) return saveReadingFloor(null);
      const top = element.scrollTop;
      const first = virtualizer.getVirtualItems().find((item) => item.end > top);
      if (first) saveReadingFloor(messages[first.index]?.floor ?? null);
    });
  };

  const onScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    const end = element.scrollHeight - element.scrollTop - element.clientHeight <= AT_END_SLACK_PX;
    setAtEnd(end);
    if (end) setUnseen(false);
    rememberPlace(end);
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div className="transcript">
      <div
        ref={scrollRef}
        className="transcript-scroll"
        onScroll={onScroll}
        onKeyDown={(event) => {
          // The browser's own Home/End scroll smoothly and get cut short when rows above are
          // measured on the way; jump directly instead.
          if (event.target !== event.currentTarget || messages.length === 0) return;
          if (event.key === 'Home') {
            event.preventDefault();
            event.currentTarget.scrollTo({ top: 0 });
          } else if (event.key === 'End') {
            event.preventDefault();
            virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
          }
        }}
        role="region"
        aria-label={t('room.transcript_lines')}
        tabIndex={0}
        data-testid="transcript"
      >
        {hasOlder && (
          <div className="load-older">
            <button type="button" className="btn btn-small" onClick={onLoadOlder} disabled={loadingOlder}>
              {loadingOlder ? t('common.loading') : t('room.load_older')}
            </button>
          </div>
        )}
        {messages.length === 0 ? (
          <p className="transcript-empty muted">{t('room.transcript_empty')}</p>
        ) : (
          <div className="transcript-inner" style={{ height: virtualizer.getTotalSize() }}>
            <div className="transcript-window" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
              {items.map((item) => (
                <div key={item.key} data-index={item.index} ref={virtualizer.measureElement}>
                  <MessageRow message={messages[item.index]!} />
                </div>
              ))}
            </div>
          </div>
        )}
      </div>
      {!atEnd && messages.length > 0 && (
        <button
          type="button"
          className={unseen ? 'jump-latest jump-latest-new' : 'jump-latest'}
          aria-label={unseen ? undefined : t('room.jump_latest')}
          onClick={() => {
            virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
            setUnseen(false);
          }}
        >
          {unseen ? t('room.jump_latest') : '↓'}
        </button>
      )}
    </div>
  );
}
