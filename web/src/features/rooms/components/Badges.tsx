/** The badges beside a chat name: the room's anchor, a subscriber, a VIP who unlocked the room. */
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import type { MessageKey } from '../../../shared/i18n/dictionaries.ts';
import type { UserMessage } from '../api/get-user-chat-history.ts';

const BADGE_WORDS: Record<UserMessage['badges'][number], MessageKey> = {
  anchor: 'chat.badge.anchor',
  subscriber: 'chat.badge.subscriber',
  vip: 'chat.badge.vip',
};

export function Badges({ badges }: { badges: UserMessage['badges'] }) {
  const { t } = useI18n();
  return (
    <>
      {badges.map((badge) => (
        <span key={badge} className={`chat-badge chat-badge-${badge}`}>
          {t(BADGE_WORDS[badge])}
        </span>
      ))}
    </>
  );
}
