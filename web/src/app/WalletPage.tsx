import { useCallback, useEffect, useState } from 'react';
import { getOrders, openRecharge, paymentStatusView, type OrderSummary } from '../features/recharge/index.ts';
import { getFollowedLives, RoomCard, type FollowedLive } from '../features/rooms/index.ts';
import { openLogin, useSession } from '../features/session/index.ts';
import { getTransactions, type TransactionsPage, type WalletTransaction } from '../features/wallet/index.ts';
import { ErrorText } from '../shared/ui/ErrorText.tsx';
import { DiamondIcon } from '../shared/ui/Icons.tsx';
import { useI18n } from '../shared/i18n/I18nProvider.tsx';
import type { MessageKey } from '../shared/i18n/dictionaries.ts';

const TRANSACTION_WORDS: Record<string, MessageKey> = {
  recharge: 'wallet.tx.recharge',
  vip_room: 'wallet.tx.vip',
  subscription: 'wallet.tx.subscription',
  adjustment: 'wallet.tx.adjustment',
};

/** Loads one section of the page; each section fails on its own without blanking the others. */
function useSection<T>(load: () => Promise<T>, enabled: boolean) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    load().then(
      (result) => !cancelled && setValue(result),
      (err: unknown) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
    };
  }, [load, enabled]);
  return { value, error, setValue };
}

export function WalletPage() {
  const { t, formatNumber } = useI18n();
  const session = useSession();
  const loggedIn = session.loggedIn;
  const balance = session.user?.coin_num ?? 0;

  const loadOrders = useCallback(async () => (await getOrders()).filter((order) => !paymentStatusView(order.status).final), []);
  const orders = useSection<OrderSummary[]>(loadOrders, loggedIn);
  const followed = useSection<FollowedLive[]>(getFollowedLives, loggedIn);
  const transactions = useSection<TransactionsPage>(
    useCallback(() => getTransactions(), []),
    loggedIn,
  );
  const { refresh } = session;

  useEffect(() => {
    if (loggedIn) void refresh();
  }, [loggedIn, refresh]);

  if (session.user && !loggedIn) {
    return (
      <div className="page empty">
        <h1>{t('wallet.title')}</h1>
        <p className="muted">{t('wallet.login_required')}</p>
        <button type="button" className="btn btn-primary" onClick={openLogin}>
          {t('account.login')}
        </button>
      </div>
    );
  }

  const loadMore = async () => {
    const cursor = transactions.value?.next_cursor;
    if (!cursor) return;
    const page = await getTransactions(cursor);
    transactions.setValue((current) => ({ transactions: [...(current?.transactions ?? []), ...page.transactions], next_cursor: page.next_cursor }));
  };

  return (
    <div className="page wallet">
      <div className="page-head">
        <h1>{t('wallet.title')}</h1>
      </div>
      <section className="panel balance-card" aria-labelledby="balance-title">
        <h2 id="balance-title" className="label">
          {t('wallet.balance')}
        </h2>
        <p className="balance-big">
          <DiamondIcon width={28} height={28} /> <span data-testid="wallet-balance">{formatNumber(balance)}</span>
        </p>
        <button type="button" className="btn btn-primary" onClick={() => openRecharge()}>
          {t('account.recharge')}
        </button>
      </section>

      <div className="wallet-grid">
        <section className="panel" aria-labelledby="orders-title">
          <h2 id="orders-title" className="panel-title">
            {t('wallet.orders')}
          </h2>
          <ErrorText error={orders.error} />
          {orders.value?.length === 0 && <p className="muted">{t('wallet.no_orders')}</p>}
          <ul className="list">
            {orders.value?.map((order) => (
              <li key={order.order_id} className="list-row">
                <div>
                  <strong>{t('recharge.package', { coins: order.coin_num })}</strong>
                  <div className="muted small">{t(paymentStatusView(order.status).key)}</div>
                </div>
                <button type="button" className="btn btn-small" onClick={() => openRecharge(order)}>
                  {t('wallet.continue_order')}
                </button>
              </li>
            ))}
          </ul>
        </section>

        <section className="panel" aria-labelledby="tx-title">
          <h2 id="tx-title" className="panel-title">
            {t('wallet.transactions')}
          </h2>
          <ErrorText error={transactions.error} />
          {transactions.value?.transactions.length === 0 && <p className="muted">{t('wallet.no_transactions')}</p>}
          <ul className="list">
            {transactions.value?.transactions.map((tx) => (
              <TransactionRow key={tx.id} tx={tx} />
            ))}
          </ul>
          {transactions.value?.next_cursor && (
            <button type="button" className="btn btn-small" onClick={() => void loadMore()}>
              {t('common.load_more')}
            </button>
          )}
        </section>
      </div>

      <section aria-labelledby="followed-title">
        <h2 id="followed-title" className="section-title">
          {t('wallet.followed')}
        </h2>
        <ErrorText error={followed.error} />
        {followed.value?.length === 0 && <p className="muted">{t('wallet.no_followed')}</p>}
        <ul className="room-grid">
          {followed.value?.map((room) => (
            <li key={room.room_id}>
              <RoomCard room={room} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function TransactionRow({ tx }: { tx: WalletTransaction }) {
  const { t, formatNumber, formatDateTime } = useI18n();
  const words = TRANSACTION_WORDS[tx.type];
  return (
    <li className="list-row">
      <div>
        <strong>{words ? t(words) : tx.type}</strong>
        <div className="muted small">
          {formatDateTime(tx.created_at)}
          {tx.reason ? ` · ${tx.reason}` : ''}
        </div>
      </div>
      <div className="right">
        <strong className={tx.amount >= 0 ? 'amount-in' : 'amount-out'}>
          {tx.amount >= 0 ? '+' : ''}
          {formatNumber(tx.amount)}
        </strong>
        <div className="muted small">
          <DiamondIcon width={12} height={12} /> {formatNumber(tx.balance_after)}
        </div>
      </div>
    </li>
  );
}
