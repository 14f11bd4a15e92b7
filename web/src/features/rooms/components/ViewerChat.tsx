/** Viewers talking to each other: the last messages, live, and a send box that explains refusals. */
import type { UseMutationResult } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import type { UserMessage } from '../api/get-user-chat-history.ts';
import type { OutgoingMessage } from '../api/send-user-message.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';

export const USER_MESSAGE_MAX = 500;

export function ViewerChat({
  messages,
  selfName,
  send,
  disabled,
}: {
  messages: readonly UserMessage[];
  selfName: string;
  send: Pick<UseMutationResult<unknown, Error, OutgoingMessage>, 'mutate' | 'isPending' | 'error' | 'reset'>;
  disabled: boolean;
}) {
  const { t, formatTime } = useI18n();
  const [draft, setDraft] = useState('');
  const { error, reset, isPending: sending } = send;
  const listRef = useRef<HTMLOListElement>(null);
  const stickToEnd = useRef(true);

  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && stickToEnd.current) list.scrollTop = list.scrollHeight;
  }, [messages]);

  useEffect(() => {
    if (!error) return;
    const timer = setTimeout(reset, 8000);
    return () => clearTimeout(timer);
  }, [error, reset]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || sending) return;
    send.mutate(
      { username: selfName, text },
      {
        onSuccess: () => {
          setDraft('');
          stickToEnd.current = true;
        },
      },
    );
  };

  return (
    <section className="chat" aria-labelledby="chat-title">
      <h2 id="chat-title" className="panel-title">
        {t('chat.title')}
      </h2>
      <ol
        ref={listRef}
        className="chat-list"
        aria-live="polite"
        onScroll={(event) => {
          const list = event.currentTarget;
          stickToEnd.current = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
        }}
      >
        {messages.length === 0 && <li className="muted chat-empty">{t('chat.empty')}</li>}
        {messages.map((message) => (
          <li key={message.id} className="chat-msg">
            <span className="chat-name">{message.username}</span>
            <span className="chat-text">{message.user_message}</span>
            <time className="chat-time" dateTime={message.send_date}>
              {formatTime(message.send_date)}
            </time>
          </li>
        ))}
      </ol>
      <form className="chat-form" onSubmit={submit}>
        <div className="chat-input-row">
          <input
            aria-label={t('chat.label')}
            placeholder={t('chat.placeholder')}
            value={draft}
            maxLength={USER_MESSAGE_MAX}
            onChange={(event) => setDraft(event.target.value)}
            disabled={disabled}
          />
          <button type="submit" className="btn btn-primary" disabled={disabled || sending || draft.trim() === ''}>
            {t('chat.send')}
          </button>
        </div>
        <div className="chat-meta">
          <span className="muted small">{t('chat.as', { name: selfName })}</span>
          {draft.length > USER_MESSAGE_MAX * 0.8 && (
            <span className="muted small">{t('chat.counter', { count: draft.length, max: USER_MESSAGE_MAX })}</span>
          )}
        </div>
        <ErrorText error={error} className="form-error small" />
      </form>
    </section>
  );
}
