/**
 * Buying diamonds: pick a package, get an order with the exact USDT amount, address and QR code,
 * and watch its status in plain words (polled every 5 s) until the diamonds arrive.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useCreateRecharge, type RechargeOrder } from '../api/create-recharge.ts';
import type { OrderSummary } from '../api/get-orders.ts';
import { usePackages, type RechargePackage } from '../api/get-packages.ts';
import { usePaymentStatus } from '../api/get-payment-status.ts';
import { useSimulatePayment } from '../api/simulate-payment.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { closeModal, showModal } from '../../../shared/ui/modal.tsx';
import { openLogin, useSession } from '../../session/index.ts';
import { initialPackage } from '../state/packages.ts';
import { formatCountdown, paymentStatusView, secondsLeft } from '../state/payment.ts';
import { CopyButton } from '../../../shared/ui/CopyButton.tsx';
import { Dialog } from '../../../shared/ui/Dialog.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { DiamondIcon } from '../../../shared/ui/Icons.tsx';

type Order = Pick<RechargeOrder, 'order_id' | 'pay_address' | 'pay_amount' | 'qr_code' | 'pay_currency' | 'coin_num' | 'expires_at'>;

/** An order reopened from the wallet; the order list carries no QR code, so only the address shows. */
function orderFromSummary(summary: OrderSummary): Order {
  return {
    order_id: summary.order_id,
    pay_address: summary.pay_address ?? '',
    pay_amount: summary.pay_amount ?? 0,
    qr_code: '',
    pay_currency: summary.pay_currency,
    coin_num: summary.coin_num,
    expires_at: summary.expires_at,
  };
}

export interface RechargeOptions {
  /** An open order from the wallet, to pay it. */
  resume?: OrderSummary;
  /** Diamonds the viewer is short of: the smallest package covering them is picked first. */
  shortBy?: number;
}

/** Opens the recharge dialog for a new order, or to pay an open one. */
export function openRecharge(options: RechargeOptions = {}): void {
  showModal(<RechargeDialog resume={options.resume} shortBy={options.shortBy} />);
}

function RechargeDialog({ resume, shortBy }: RechargeOptions) {
  const { t } = useI18n();
  const session = useSession();
  const [order, setOrder] = useState<Order | null>(resume ? orderFromSummary(resume) : null);
  const packages = usePackages();
  const simulated = packages.data?.provider === 'simulated';

  return (
    <Dialog title={t('recharge.title')} onClose={closeModal} wide>
      {!session.loggedIn ? (
        <div className="stack">
          <p>{t('recharge.login_first')}</p>
          <button type="button" className="btn btn-primary" onClick={openLogin}>
            {t('account.login')}
          </button>
        </div>
      ) : order ? (
        <OrderView order={order} simulated={simulated} onDone={closeModal} />
      ) : (
        <PackagePicker packages={packages.data?.packages ?? null} loadError={packages.error} onOrder={setOrder} shortBy={shortBy} />
      )}
    </Dialog>
  );
}

function PackagePicker({
  packages,
  loadError,
  onOrder,
  shortBy,
}: {
  packages: RechargePackage[] | null;
  loadError: unknown;
  onOrder(order: Order): void;
  shortBy?: number;
}) {
  const { t, formatNumber } = useI18n();
  const session = useSession();
  const [chosen, setSelected] = useState<number | null>(null);
  const creation = useCreateRecharge();
  const group = useRef<HTMLDivElement>(null);
  const suggested = packages ? initialPackage(packages, shortBy) : undefined;
  const selected = chosen ?? suggested?.crypto_amount ?? null;

  // A radio group: arrow keys move the choice (and focus) to the previous or next package.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!packages?.length) return;
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    const index = packages.findIndex((pack) => pack.crypto_amount === selected);
    let next: number | undefined;
    if (step !== undefined) next = (Math.max(0, index) + step + packages.length) % packages.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = packages.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    setSelected(packages[next]!.crypto_amount);
    group.current?.querySelectorAll<HTMLElement>('[role=radio]')[next]?.focus();
  };

  const create = () => {
    if (selected === null || !session.user) return;
    creation.mutate({ userId: session.user.uid, cryptoAmount: selected }, { onSuccess: onOrder });
  };

  return (
    <div className="stack">
      <p className="muted">{t('recharge.choose')}</p>
      {packages === null && !loadError && <p className="muted">{t('common.loading')}</p>}
      {packages && (
        <div ref={group} className="package-grid" role="radiogroup" aria-label={t('recharge.title')} onKeyDown={onKeyDown}>
          {packages.map((pack) => (
            <button
              key={pack.crypto_amount}
              type="button"
              role="radio"
              aria-checked={selected === pack.crypto_amount}
              tabIndex={selected === pack.crypto_amount ? 0 : -1}
              className="package"
              onClick={() => setSelected(pack.crypto_amount)}
            >
              <span className="package-coins">
                <DiamondIcon width={18} height={18} />
                {t('recharge.package', { coins: pack.coin_num })}
              </span>
              <span className="package-price">{t('recharge.package_price', { amount: pack.crypto_amount })}</span>
            </button>
          ))}
        </div>
      )}
      {shortBy !== undefined && shortBy > 0 && suggested && suggested.coin_num >= shortBy && selected === suggested.crypto_amount && (
        <p className="small muted">{t('recharge.covers', { count: formatNumber(shortBy) })}</p>
      )}
      <ErrorText error={creation.error ?? loadError} />
      <button type="button" className="btn btn-primary btn-block" disabled={selected === null || creation.isPending} onClick={create}>
        {t('recharge.create')}
      </button>
    </div>
  );
}

function OrderView({ order, simulated, onDone }: { order: Order; simulated: boolean; onDone(): void }) {
  const { t, formatNumber } = useI18n();
  const { data: status, error: statusError } = usePaymentStatus(order.order_id);
  const simulation = useSimulatePayment(order.order_id);
  const [now, setNow] = useState(() => Date.now());
  const view = paymentStatusView(status?.status ?? 'waiting');

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);


  const left = secondsLeft(order.expires_at, now);
  const currency = order.pay_currency.replace(/trc20$/i, '').toUpperCase();
  const amountText = String(order.pay_amount);

  if (status?.status === 'finished') {
    return (
      <div className="stack center">
        <div className="status status-success" role="status">
          {t(view.key)}
        </div>
        <p className="big-number">{t('recharge.new_balance', { coins: formatNumber(status.coin_num) })}</p>
        <button type="button" className="btn btn-primary btn-block" onClick={onDone}>
          {t('recharge.done')}
        </button>
      </div>
    );
  }

  return (
    <div className="order">
      <div className="order-qr">
        {order.qr_code && <img src={`data:image/png;base64,${order.qr_code}`} alt={t('recharge.qr_alt')} width="200" height="200" />}
      </div>
      <div className="order-details stack">
        <div>
          <div className="label">{t('recharge.send_exactly')}</div>
          <div className="copy-row">
            <strong className="mono big" data-testid="pay-amount">
              {amountText} {currency}
            </strong>
            <CopyButton value={amountText} label={t('recharge.send_exactly')} />
          </div>
        </div>
        <div>
          <div className="label">{t('recharge.to_address')}</div>
          <div className="copy-row">
            <code className="mono address" data-testid="pay-address">
              {order.pay_address}
            </code>
            <CopyButton value={order.pay_address} label={t('recharge.to_address')} />
          </div>
        </div>
        <p className="muted small">{t('recharge.network')}</p>
        <p className="small">{t('recharge.will_credit', { coins: order.coin_num })}</p>
        {left !== null && !view.final && (
          <p className="countdown" aria-live="off">
            {left > 0 ? t('recharge.expires_in', { time: formatCountdown(left) }) : t('recharge.expired_window')}
          </p>
        )}
        <div className={`status status-${view.tone}`} role="status" data-testid="payment-status">
          {t(view.key)}
        </div>
        <ErrorText error={statusError ?? simulation.error} />
        {simulated && !view.final && (
          <div className="simulate">
            <strong>{t('recharge.simulate_title')}</strong>
            <p className="small">{t('recharge.simulate_body')}</p>
            <div className="row wrap">
              <button type="button" className="btn btn-small" onClick={() => simulation.mutate('confirming')}>
                {t('recharge.simulate_confirming')}
              </button>
              <button type="button" className="btn btn-small" onClick={() => simulation.mutate('partially_paid')}>
                {t('recharge.simulate_partial')}
              </button>
              <button type="button" className="btn btn-small btn-primary" onClick={() => simulation.mutate('finished')}>
                {t('recharge.simulate_finished')}
              </button>
            </div>
          </div>
        )}
        <p className="muted small mono">{t('recharge.order', { id: order.order_id })}</p>
      </div>
    </div>
  );
}
