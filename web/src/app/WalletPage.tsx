/** The viewer's account page: balance, open recharge orders, transactions and followed rooms. */
import { useEffect } from 'react';
import { OpenOrders } from '../features/recharge/index.ts';
import { FollowedRooms } from '../features/rooms/index.ts';
import { openLogin, useSession } from '../features/session/index.ts';
import { BalanceCard, TransactionHistory } from '../features/wallet/index.ts';
import { useI18n } from '../shared/i18n/I18nProvider.tsx';

export function WalletPage() {
  const { t } = useI18n();
  const { user, loggedIn, refresh } = useSession();

  // The balance may have changed elsewhere (another tab, a credited recharge).
  useEffect(() => {
    if (loggedIn) void refresh();
  }, [loggedIn, refresh]);

  if (user && !loggedIn) {
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

  return (
    <div className="page wallet">
      <div className="page-head">
        <h1>{t('wallet.title')}</h1>
      </div>
      <BalanceCard />
      <div className="wallet-grid">
        <OpenOrders />
        <TransactionHistory />
      </div>
      <FollowedRooms />
    </div>
  );
}
