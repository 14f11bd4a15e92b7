import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { useOpenOrders } from '../api/get-orders.ts';
import { paymentStatusView } from '../state/payment.ts';
import { openRecharge } from './RechargeDialog.tsx';

/** Recharge orders still waiting for their payment, each one a click away from its address again. */
export function OpenOrders() {
  const { t } = useI18n();
  const { data: orders, error } = useOpenOrders();
  return (
    <section className="panel" aria-labelledby="orders-title">
      <h2 id="orders-title" className="panel-title">
        {t('wallet.orders')}
      </h2>
      <ErrorText error={error} />
      {orders?.length === 0 && <p className="muted">{t('wallet.no_orders')}</p>}
      <ul className="list">
        {orders?.map((order) => (
          <li key={order.order_id} className="list-row">
            <div>
              <strong>{t('recharge.package', { coins: order.coin_num })}</strong>
              <div className="muted small">{t(paymentStatusView(order.status).key)}</div>
            </div>
            <button type="button" className="btn btn-small" onClick={() => openRecharge({ resume: order })}>
              {t('wallet.continue_order')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
