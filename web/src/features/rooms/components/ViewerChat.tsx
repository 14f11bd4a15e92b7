/**
 * Viewers talking to each other: the last messages, live, and a send box that explains refusals.
 * The list follows new messages while the reader is at the bottom; scrolled up, it holds still and
 * offers "new messages (N)". Mentions of the viewer stand out and can be shown alone; long
 * messages fold; a name opens the viewer's card (mention, block). A rate-limit refusal counts down
 * the server's retry_after and keeps Send disabled until then.
 */
import type { UseMutationResult } from '@tanstack/react-query';
import { memo, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../../../shared/api/client.ts';
import { EmojiPicker, EmojiText } from '../../../shared/emoji/Emoji.tsx';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { GiftLineItem, type GiftLine } from '../../gifts/index.ts';
import type { UserMessage } from '../api/get-user-chat-history.ts';
import type { OutgoingMessage } from '../api/send-user-message.ts';
import { isLongMessage, mentionPrefix, mentionsOf, mentionTokens } from '../state/mentions.ts';
import { Badges } from './Badges.tsx';
import { UserCard } from './UserCard.tsx';

export const USER_MESSAGE_MAX = 500;
const AT_END_SLACK_PX = 40;

function MessageText({ text, selfName }: { text: string; selfName: string }) {
  return (
    <>
      {mentionTokens(text, selfName).map((token, index) =>
        token.type === 'text' ? (
          <EmojiText key={index} text={token.text} />
        ) : (
          <bdi key={index} className={token.self ? 'mention mention-self' : 'mention'}>
            @{token.name}
          </bdi>
        ),
      )}
    </>
  );
}

const ChatMessage = memo(function ChatMessage({
  message,
  selfName,
  mine,
  onOpenCard,
}: {
  message: UserMessage;
  selfName: string;
  mine: boolean;
  onOpenCard(message: UserMessage): void;
}) {
  const { t, formatTime } = useI18n();
  const [expanded, setExpanded] = useState(false);
  const textId = useId();
  const long = isLongMessage(message.user_message);
  const mentioned = !mine && mentionsOf(message.user_message, selfName);
  return (
    <li className={mentioned ? 'chat-msg chat-msg-mention' : 'chat-msg'} data-testid="chat-message">
      <span className="chat-head">
        <button type="button" className="chat-name" aria-haspopup="dialog" aria-label={t('chat.open_card', { name: message.username })} onClick={() => onOpenCard(message)}>
          <bdi>{message.username}</bdi>
        </button>
        <Badges badges={message.badges} />
      </span>
      <span id={textId} className={long && !expanded ? 'chat-text chat-text-folded' : 'chat-text'} dir="auto">
        <MessageText text={message.user_message} selfName={selfName} />
      </span>
      <time className="chat-time" dateTime={message.send_date}>
        {formatTime(message.send_date)}
      </time>
      {long && (
        <button type="button" className="btn-link chat-more" aria-expanded={expanded} aria-controls={textId} onClick={() => setExpanded(!expanded)}>
          {expanded ? t('chat.show_less') : t('chat.show_more')}
        </button>
      )}
    </li>
  );
});

/** Messages and gift lines in the order they happened (server times); a message first on a tie. */
function byTime(messages: readonly UserMessage[], gifts: readonly GiftLine[]): Array<{ message: UserMessage } | { gift: GiftLine }> {
  const rows: Array<{ message: UserMessage } | { gift: GiftLine }> = [];
  let g = 0;
  for (const message of messages) {
    while (g < gifts.length && gifts[g]!.started_at < message.send_date) rows.push({ gift: gifts[g++]! });
    rows.push({ message });
  }
  while (g < gifts.length) rows.push({ gift: gifts[g++]! });
  return rows;
}

/** Seconds until the server lets this viewer send again, from a rate-limit refusal. */
function retryAfterSeconds(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.error !== 'rate_limited') return null;
  const seconds = error.details.retry_after;
  return typeof seconds === 'number' && seconds > 0 ? seconds : null;
}

export function ViewerChat({
  messages,
  hiddenCount,
  selfName,
  selfUid,
  send,
  disabled,
  gifts = [],
  toolbar,
  onReport,
}: {
  /** What to show: blocked viewers' messages are already left out. */
  messages: readonly UserMessage[];
  /** Gift lines, shown among the messages at the time each started. */
  gifts?: readonly GiftLine[];
  /** Extra controls in the chat's toolbar (the gift button). */
  toolbar?: ReactNode;
  /** How many messages were left out for blocked viewers. */
  hiddenCount: number;
  selfName: string;
  selfUid: string;
  send: Pick<UseMutationResult<unknown, Error, OutgoingMessage>, 'mutate' | 'isPending' | 'error' | 'reset'>;
  disabled: boolean;
  /** Offered on another viewer's card: report the message to the operators. */
  onReport?: (message: UserMessage) => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  const { error, reset, isPending: sending } = send;
  const listRef = useRef<HTMLOListElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const [atEnd, setAtEnd] = useState(true);
  /** Id of the newest message the reader had seen when they scrolled away from the end. */
  const [seenUpTo, setSeenUpTo] = useState<number | null>(null);
  const [mentionsOnly, setMentionsOnly] = useState(false);
  const [card, setCard] = useState<UserMessage | null>(null);
  const [cooldownUntil, setCooldownUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const isMine = (message: UserMessage) => (selfUid ? message.uid === selfUid : message.uid === '' && message.username === selfName);
  const shown = mentionsOnly ? messages.filter((message) => !isMine(message) && mentionsOf(message.user_message, selfName)) : messages;
  const rows = useMemo(() => (mentionsOnly ? shown.map((message) => ({ message })) : byTime(shown, gifts)), [mentionsOnly, shown, gifts]);
  const lastId = messages[messages.length - 1]?.id ?? null;
  const unseen = atEnd || seenUpTo === null ? 0 : messages.filter((message) => message.id > seenUpTo).length;

  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && atEnd) list.scrollTop = list.scrollHeight;
  }, [rows, atEnd]);

  // A rate-limit refusal says when sending works again: count down to it.
  useEffect(() => {
    if (cooldownUntil === null) return;
    const timer = setInterval(() => {
      const time = Date.now();
      setNow(time);
      if (time >= cooldownUntil) {
        setCooldownUntil(null);
        reset();
      }
    }, 250);
    return () => clearInterval(timer);
  }, [cooldownUntil, reset]);
  const cooldownLeft = cooldownUntil === null ? 0 : Math.max(0, Math.ceil((cooldownUntil - now) / 1000));

  const scrollToEnd = () => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
    setAtEnd(true);
    setSeenUpTo(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || sending || cooldownLeft > 0) return;
    send.mutate(
      { username: selfName, text },
      {
        onSuccess: () => {
          setDraft('');
          scrollToEnd();
        },
        onError: (err) => {
          const seconds = retryAfterSeconds(err);
          if (seconds === null) return;
          const time = Date.now();
          setNow(time);
          setCooldownUntil(time + seconds * 1000);
        },
      },
    );
  };

  const insert = (text: string) => {
    const input = inputRef.current;
    const start = input?.selectionStart ?? draft.length;
    const end = input?.selectionEnd ?? draft.length;
    const next = (draft.slice(0, start) + text + draft.slice(end)).slice(0, USER_MESSAGE_MAX);
    setDraft(next);
    requestAnimationFrame(() => {
      input?.focus();
      const caret = Math.min(next.length, start + text.length);
      input?.setSelectionRange(caret, caret);
    });
  };

  return (
    <section className="chat" aria-labelledby="chat-title">
      <div className="chat-toolbar">
        <h2 id="chat-title" className="panel-title">
          {t('chat.title')}
        </h2>
        <div className="chat-toolbar-actions">
          {toolbar}
          <button type="button" className={mentionsOnly ? 'btn btn-small btn-active' : 'btn btn-small'} aria-pressed={mentionsOnly} onClick={() => setMentionsOnly(!mentionsOnly)}>
            @ {t('chat.mentions_only')}
          </button>
        </div>
      </div>
      <div className="chat-list-wrap">
        <ol
          ref={listRef}
          className="chat-list"
          aria-labelledby="chat-title"
          tabIndex={0}
          data-testid="chat-list"
          onScroll={(event) => {
            const list = event.currentTarget;
            const end = list.scrollHeight - list.scrollTop - list.clientHeight < AT_END_SLACK_PX;
            if (end === atEnd) return;
            setAtEnd(end);
            setSeenUpTo(end ? null : lastId);
          }}
        >
          {rows.length === 0 && <li className="muted chat-empty">{mentionsOnly ? t('chat.mentions_empty') : t('chat.empty')}</li>}
          {rows.map((row) =>
            'message' in row ? (
              <ChatMessage key={row.message.id} message={row.message} selfName={selfName} mine={isMine(row.message)} onOpenCard={setCard} />
            ) : (
              <GiftLineItem key={row.gift.key} line={row.gift} />
            ),
          )}
        </ol>
        {!atEnd && (
          <button type="button" className={unseen > 0 ? 'jump-latest jump-latest-new' : 'jump-latest'} onClick={scrollToEnd} aria-label={unseen > 0 ? undefined : t('room.jump_latest')}>
            {unseen > 0 ? t('chat.new_messages', { count: unseen }) : '↓'}
          </button>
        )}
      </div>
      {hiddenCount > 0 && <p className="chat-hidden muted small">{t('chat.blocked_hidden', { count: hiddenCount })}</p>}
      <form className="chat-form" onSubmit={submit}>
        <div className="chat-label-row">
          <label htmlFor={inputId} className="chat-label">
            {t('chat.label')}
          </label>
          <span className="muted small chat-as">{t('chat.as', { name: selfName })}</span>
        </div>
        <div className="chat-input-row">
          <EmojiPicker disabled={disabled} onPick={(emoji) => insert(`:${emoji.code}: `)} />
          <input
            ref={inputRef}
            id={inputId}
            placeholder={t('chat.placeholder')}
            value={draft}
            maxLength={USER_MESSAGE_MAX}
            onChange={(event) => {
              setDraft(event.target.value);
              if (error && cooldownLeft === 0) reset();
            }}
            disabled={disabled}
            autoComplete="off"
            dir="auto"
          />
          <button type="submit" className="btn btn-primary" disabled={disabled || sending || cooldownLeft > 0 || draft.trim() === ''}>
            {t('chat.send')}
          </button>
        </div>
        {draft.length > USER_MESSAGE_MAX * 0.8 && (
          <p className="muted small chat-counter">{t('chat.counter', { count: draft.length, max: USER_MESSAGE_MAX })}</p>
        )}
        <ErrorText error={error} className="form-error small" />
        {cooldownLeft > 0 && (
          <p className="small chat-cooldown" data-testid="chat-cooldown">
            {t('chat.retry_in', { seconds: cooldownLeft })}
          </p>
        )}
      </form>
      {card && (
        <UserCard
          message={card}
          self={isMine(card)}
          onMention={() => {
            setCard(null);
            insert(mentionPrefix(card.username));
          }}
          onClose={() => setCard(null)}
          onReport={
            onReport &&
            (() => {
              setCard(null);
              onReport(card);
            })
          }
        />
      )}
    </section>
  );
}
