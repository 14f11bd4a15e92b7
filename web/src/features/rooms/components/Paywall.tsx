import { useEffect, useRef } from 'react';
import { ApiError } from '../../../shared/api/client.ts';
import { usePayVip } from '../../wallet/index.ts';
import type { LiveInfo } from '../api/get-live-info.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { openRecharge } from '../../recharge/index.ts';
import { openLogin, useSession } from '../../session/index.ts';
import type { PaywallDecision } from '../state/paywall.ts';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { DiamondIcon, LockIcon } from '../../../shared/ui/Icons.tsx';

/** A paid room before entry: price, balance and the one next step (log in, pay, or recharge). */
export function Paywall({
  info,
  decision,
  onUnlocked,
  onSubscribe,
}: {
  info: LiveInfo;
  decision: Exclude<PaywallDecision, { kind: 'open' }>;
  onUnlocked(): Promise<unknown>;
  onSubscribe: (() => void) | null;
}) {
  const { t, formatNumber } = useI18n();
  const session = useSession();
  const room = info.live_info;
  // Busy until the room has been read again: open after paying, or (a new price, a balance that
  // changed elsewhere) showing the truth again after a refusal.
  const payment = usePayVip({ onSettled: (_result, error) => (error ? Promise.all([onUnlocked(), session.refresh()]) : onUnlocked()) });

  // A refusal for want of diamonds is out of date once a top-up has raised the balance.
  const balance = session.user?.coin_num ?? 0;
  const previousBalance = useRef(balance);
  const { error: payError, reset: resetPayment } = payment;
  useEffect(() => {
    const rose = balance > previousBalance.current;
    previousBalance.current = balance;
    if (rose && payError instanceof ApiError && payError.error === 'insufficient_balance') resetPayment();
  }, [balance, payError, resetPayment]);

  const pay = () => {
    if (!session.user) return;
    payment.mutate({ uid: session.user.uid, anchor_id: room.uid, room_id: room.room_id, room_name: room.room_name, amount: decision.price });
  };

  return (
    <section className="paywall panel" aria-labelledby="paywall-title" data-testid="paywall">
      <div className="paywall-icon" aria-hidden="true">
        <LockIcon width={28} height={28} />
      </div>
      <h2 id="paywall-title">{decision.roomType === 2 ? t('paywall.private_title') : t('paywall.vip_title')}</h2>
      <p className="muted">{t('paywall.body', { price: formatNumber(decision.price) })}</p>
      <dl className="paywall-figures">
        <div>
          <dt>{t('paywall.price')}</dt>
          <dd>
            <DiamondIcon /> {formatNumber(decision.price)}
          </dd>
        </div>
        {decision.kind !== 'login' && (
          <div>
            <dt>{t('paywall.balance')}</dt>
            <dd data-testid="paywall-balance">
              <DiamondIcon /> {formatNumber(decision.balance)}
            </dd>
          </div>
        )}
      </dl>
      {decision.kind === 'login' && (
        <button type="button" className="btn btn-primary btn-block" onClick={openLogin}>
          {t('paywall.login')}
        </button>
      )}
      {decision.kind === 'pay' && (
        <button type="button" className="btn btn-primary btn-block" disabled={payment.isPending} onClick={pay}>
          {t('paywall.pay', { price: formatNumber(decision.price) })}
        </button>
      )}
      {decision.kind === 'recharge' && (
        <>
          <p className="warning-text">{t('paywall.short', { count: formatNumber(decision.shortBy) })}</p>
          <button type="button" className="btn btn-primary btn-block" onClick={() => openRecharge({ shortBy: decision.shortBy })}>
            {t('paywall.recharge')}
          </button>
        </>
      )}
      <ErrorText error={payment.error} />
      {onSubscribe && (
        <p className="small muted">
          <button type="button" className="btn btn-link" onClick={onSubscribe}>
            {t('paywall.or_subscribe', { anchor: room.username, price: formatNumber(info.subscription_info.amount) })}
          </button>
        </p>
      )}
    </section>
  );
}
