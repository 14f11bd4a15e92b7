/**
 * The latest payments into the room on the dashboard: what the earnings held when the page opened,
 * then each payment as it happens, pushed by the server on the room's socket (owner only).
 */
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { useGifts } from '../../gifts/index.ts';
import type { RoomPaymentItem } from '../state/room-payments.ts';
import { useStudioText } from '../use-studio-text.ts';

export function RoomPayments({ payments, loading }: { payments: readonly RoomPaymentItem[]; loading: boolean }) {
  const st = useStudioText();
  const { language, formatNumber, formatTime } = useI18n();
  const gifts = useGifts();
  const giftName = (id: string) => {
    const gift = gifts.data?.find((candidate) => candidate.id === id);
    return gift ? (language === 'en' ? gift.label_en : gift.label_zh) : id;
  };
  const what = (payment: RoomPaymentItem) => {
    if (payment.type === 'vip_room') return st('payments.unlocked');
    if (payment.type === 'subscription') return st('payments.subscribed');
    if (payment.type === 'gift' && payment.giftId) return st('payments.gift', { gift: giftName(payment.giftId), count: formatNumber(payment.count ?? 1) });
    return payment.type;
  };
  return (
    <section className="studio-card" aria-labelledby="dashboard-payments">
      <h3 id="dashboard-payments" className="panel-title">
        {st('payments.title')}
      </h3>
      {!loading && payments.length === 0 && <p className="muted">{st('payments.empty')}</p>}
      <ol className="studio-chat-list studio-payments" role="log" aria-live="polite" aria-labelledby="dashboard-payments">
        {payments.map((payment) => (
          <li key={payment.id} className="studio-chat-item" data-testid="dashboard-payment">
            <div>
              <strong>
                <bdi>{payment.username ?? st('payments.someone')}</bdi>
              </strong>{' '}
              <span>{what(payment)}</span>
              <p className="muted">{formatTime(payment.createdAt)}</p>
            </div>
            <strong className="studio-payment-amount">{st('payments.earned', { count: formatNumber(payment.earned) })}</strong>
          </li>
        ))}
      </ol>
    </section>
  );
}
