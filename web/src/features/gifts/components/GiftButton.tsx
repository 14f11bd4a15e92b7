/**
 * The gift button beside the chat, and its panel: pick a gift and a quantity, see the total, send.
 * The panel stays open after a send so a viewer can send again (repeats become a combo in the
 * chat). Too few diamonds opens the recharge dialog for what is missing; a changed price reloads
 * the catalogue and says so.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import { ApiError } from '../../../shared/api/client.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { Dialog } from '../../../shared/ui/Dialog.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { openRecharge } from '../../recharge/index.ts';
import { openLogin, useSession } from '../../session/index.ts';
import { useGifts, type Gift } from '../api/get-gifts.ts';
import { useSendGift } from '../api/send-gift.ts';
import { GiftIcon } from './GiftIcon.tsx';

const QUANTITIES = [1, 5, 10, 66, 99];

export function GiftButton({ roomId, disabled }: { roomId: string; disabled?: boolean }) {
  const { t } = useI18n();
  const session = useSession();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="btn btn-small gift-button"
        disabled={disabled}
        data-testid="gift-button"
        onClick={() => (session.loggedIn ? setOpen(true) : openLogin())}
      >
        <GiftIcon icon="tada" /> {t('gift.button')}
      </button>
      {open && (
        <Dialog title={t('gift.panel')} onClose={() => setOpen(false)}>
          <GiftPanel roomId={roomId} />
        </Dialog>
      )}
    </>
  );
}

function GiftPanel({ roomId }: { roomId: string }) {
  const { t, language, formatNumber } = useI18n();
  const session = useSession();
  const gifts = useGifts();
  const sending = useSendGift();
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [count, setCount] = useState(1);
  const [sent, setSent] = useState<string | null>(null);
  const group = useRef<HTMLDivElement>(null);
  const list = gifts.data ?? [];
  const chosen: Gift | undefined = list.find((gift) => gift.id === chosenId) ?? list[0];
  const total = chosen ? chosen.price * count : 0;
  const label = (gift: Gift) => (language === 'en' ? gift.label_en : gift.label_zh);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!list.length) return;
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    const index = Math.max(0, list.findIndex((gift) => gift.id === chosen?.id));
    let next: number | undefined;
    if (step !== undefined) next = (index + step + list.length) % list.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = list.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    setChosenId(list[next]!.id);
    group.current?.querySelectorAll<HTMLElement>('[role=radio]')[next]?.focus();
  };

  const send = () => {
    if (!chosen) return;
    setSent(null);
    const key = crypto.randomUUID();
    sending.mutate(
      { gift: { room_id: roomId, gift_id: chosen.id, count, amount: total }, key },
      {
        onSuccess: (result) => setSent(t('gift.done', { gift: label(chosen), count: result.count })),
        onError: (err) => {
          if (err instanceof ApiError && err.error === 'insufficient_balance') {
            openRecharge({ shortBy: Math.max(1, total - (session.user?.coin_num ?? 0)) });
          }
          if (err instanceof ApiError && err.error === 'price_changed') void gifts.refetch();
        },
      },
    );
  };

  return (
    <div className="stack gift-panel">
      {gifts.isPending && <p className="muted">{t('common.loading')}</p>}
      <ErrorText error={gifts.error} />
      {list.length > 0 && (
        <div ref={group} className="gift-grid" role="radiogroup" aria-label={t('gift.panel')} onKeyDown={onKeyDown}>
          {list.map((gift) => (
            <button
              key={gift.id}
              type="button"
              role="radio"
              aria-checked={gift.id === chosen?.id}
              tabIndex={gift.id === chosen?.id ? 0 : -1}
              className="gift-choice"
              onClick={() => setChosenId(gift.id)}
            >
              <span className="gift-choice-icon">
                <GiftIcon icon={gift.icon} />
              </span>
              <span className="gift-choice-name">{label(gift)}</span>
              <span className="gift-choice-price small muted">{t('gift.price', { price: formatNumber(gift.price) })}</span>
            </button>
          ))}
        </div>
      )}
      <label className="gift-count">
        <span>{t('gift.count')}</span>
        <select value={count} onChange={(event) => setCount(Number(event.target.value))}>
          {QUANTITIES.map((quantity) => (
            <option key={quantity} value={quantity}>
              ×{quantity}
            </option>
          ))}
        </select>
      </label>
      <ErrorText error={sending.error instanceof ApiError && sending.error.error === 'insufficient_balance' ? null : sending.error} />
      {sent && (
        <p className="status status-success" role="status">
          {sent}
        </p>
      )}
      <button type="button" className="btn btn-primary btn-block" disabled={!chosen || sending.isPending} onClick={send} data-testid="gift-send">
        {t('gift.send', { price: formatNumber(total) })}
      </button>
      <p className="small muted">{t('gift.balance', { count: formatNumber(session.user?.coin_num ?? 0) })}</p>
    </div>
  );
}
