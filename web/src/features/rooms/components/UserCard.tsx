/** A chat viewer's card: their name and badges, mention them, block or unblock them, report the message. */
import { Dialog } from '../../../shared/ui/Dialog.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { openLogin, useSession } from '../../session/index.ts';
import { isBlocked, useBlocks, useSetBlocked } from '../api/blocks.ts';
import type { UserMessage } from '../api/get-user-chat-history.ts';
import { Badges } from './Badges.tsx';

export function UserCard({
  message,
  self,
  onMention,
  onClose,
  onReport,
}: {
  message: UserMessage;
  self: boolean;
  onMention(): void;
  onClose(): void;
  onReport?: () => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const blocks = useBlocks();
  const change = useSetBlocked();
  const blocked = isBlocked(blocks.data, message);
  const toggleBlock = () =>
    change.mutate(
      message.uid ? { uid: message.uid, blocked: !blocked } : { guest_name: message.username, blocked: !blocked },
      // Blocking hides every message of theirs, this card's origin included.
      { onSuccess: (nowBlocked) => nowBlocked && onClose() },
    );

  return (
    <Dialog title={message.username} onClose={onClose}>
      <div className="stack user-card" data-testid="user-card">
        <p className="user-card-badges">
          {message.badges.length > 0 ? <Badges badges={message.badges} /> : !message.uid && <span className="chat-badge">{t('chat.guest_badge')}</span>}
          {self && <span className="chat-badge">{t('chat.you')}</span>}
        </p>
        <div className="row wrap">
          <button type="button" className="btn" onClick={onMention}>
            @ {t('chat.mention')}
          </button>
          {!self && session.loggedIn && (
            <button type="button" className={blocked ? 'btn' : 'btn btn-danger'} disabled={change.isPending || blocks.isPending} onClick={toggleBlock}>
              {blocked ? t('chat.unblock') : t('chat.block')}
            </button>
          )}
          {!self && session.loggedIn && onReport && (
            <button type="button" className="btn btn-ghost" onClick={onReport}>
              {t('report.message')}
            </button>
          )}
        </div>
        {!self &&
          (session.loggedIn ? (
            <p className="small muted">{t('chat.block_hint')}</p>
          ) : (
            <p className="small muted">
              {t('chat.block_login')}{' '}
              <button type="button" className="btn-link" onClick={openLogin}>
                {t('account.login')}
              </button>
            </p>
          ))}
        <ErrorText error={change.error} />
      </div>
    </Dialog>
  );
}
