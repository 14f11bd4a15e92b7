/** The viewer's account page: balance, subscriptions, open recharge orders and transactions. */
import { useEffect, useRef } from 'react';
import { OpenOrders } from '../features/recharge/index.ts';
import { openLogin, useSession } from '../features/session/index.ts';
import { BalanceCard, Subscriptions, TransactionHistory } from '../features/wallet/index.ts';
import { useI18n } from '../shared/i18n/I18nProvider.tsx';
import { Link, useDocumentTitle, useFocusOnArrival } from '../shared/router.tsx';

export function WalletPage() {
  const { t } = useI18n();
  const { user, loggedIn, refresh } = useSession();
  const heading = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(t('wallet.title'));
  useFocusOnArrival(heading);

  // The balance may have changed elsewhere (another tab, a credited recharge).
  useEffect(() => {
    if (loggedIn) void refresh();
  }, [loggedIn, refresh]);

  if (user && !loggedIn) {
    return (
      <div className="page empty">
        <h1 ref={heading} tabIndex={-1}>
          {t('wallet.title')}
        </h1>
        <p className="muted">{t('wallet.login_required')}</p>
        <button type="button" className="btn btn-primary" onClick={openLogin}>
          {t('account.login')}
        </button>
      </div>
    );
  }

  return (
    <div className="page wallet">
      <div className="page-head page-head-row">
        <h1 ref={heading} tabIndex={-1}>
          {t('wallet.title')}
        </h1>
        <div className="page-head-links">
          <Link href="/following" className="btn btn-small">
            {t('wallet.followed_link')} →
          </Link>
          <Link href="/account" className="btn btn-small">
            {t('settings.title')} →
          </Link>
          <Link href="/studio" className="btn btn-small">
            {t('nav.studio')} →
          </Link>
        </div>
      </div>
      <BalanceCard />
      <div className="wallet-grid">
        <Subscriptions />
        <OpenOrders />
      </div>
      <TransactionHistory />
    </div>
  );
}
