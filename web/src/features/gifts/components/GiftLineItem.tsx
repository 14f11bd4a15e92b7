import { memo } from 'react';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { useGifts } from '../api/get-gifts.ts';
import type { GiftLine } from '../state/gift-feed.ts';
import { GiftIcon } from './GiftIcon.tsx';

/** A gift in the chat: who sent what, with the combo's total once it grows. */
export const GiftLineItem = memo(function GiftLineItem({ line }: { line: GiftLine }) {
  const { t, language, formatTime } = useI18n();
  const gift = useGifts().data?.find((entry) => entry.id === line.gift_id);
  const name = gift ? (language === 'en' ? gift.label_en : gift.label_zh) : line.gift_id;
  return (
    <li className="chat-msg chat-gift" data-testid="chat-gift">
      <span className="chat-gift-icon">
        <GiftIcon icon={gift?.icon ?? 'tada'} />
      </span>
      <span className="chat-text">
        {t('gift.sent_line', { name: line.username, gift: name })}
        {line.count > 1 && <strong className="gift-combo"> ×{line.count}</strong>}
      </span>
      <time className="chat-time" dateTime={line.started_at}>
        {formatTime(line.started_at)}
      </time>
    </li>
  );
});
