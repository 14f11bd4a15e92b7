/**
 * A short banner over the story when a gift arrives (a combo that grows shows again with its new
 * total). Purely decorative: the chat line says the same to screen readers, and with reduced
 * motion the banner does not move (the app's reduced-motion rule stops every animation).
 */
import { useEffect, useState } from 'react';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { useGifts } from '../api/get-gifts.ts';
import type { GiftLine } from '../state/gift-feed.ts';
import { GiftIcon } from './GiftIcon.tsx';

const SHOWN_MS = 2_500;

export function GiftBurst({ latest }: { latest: GiftLine | undefined }) {
  const { t, language } = useI18n();
  const gifts = useGifts(latest !== undefined).data;
  // A line and its count name one showing: a growing combo shows again.
  const showing = latest ? `${latest.key}:${latest.count}` : null;
  const [expired, setExpired] = useState<string | null>(null);

  useEffect(() => {
    if (showing === null) return;
    const timer = setTimeout(() => setExpired(showing), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [showing]);

  if (!latest || showing === expired) return null;
  const shown = latest;
  const gift = gifts?.find((entry) => entry.id === shown.gift_id);
  const name = gift ? (language === 'en' ? gift.label_en : gift.label_zh) : shown.gift_id;
  return (
    <div className="gift-burst" aria-hidden="true" data-testid="gift-burst" key={showing}>
      <span className="gift-burst-icon">
        <GiftIcon icon={gift?.icon ?? 'tada'} />
      </span>
      <span className="gift-burst-text">
        {t('gift.sent_line', { name: shown.username, gift: name })}
        {shown.count > 1 && <strong> ×{shown.count}</strong>}
      </span>
    </div>
  );
}
