import { openRecharge } from '../../recharge/index.ts';
import { useSession } from '../../session/index.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { DiamondIcon } from '../../../shared/ui/Icons.tsx';

/** The viewer's diamond balance, with the way to buy more. */
export function BalanceCard() {
  const { t, formatNumber } = useI18n();
  const { user } = useSession();
  return (
    <section className="panel balance-card" aria-labelledby="balance-title">
      <h2 id="balance-title" className="label">
        {t('wallet.balance')}
      </h2>
      <p className="balance-big">
        <DiamondIcon width={28} height={28} /> <span data-testid="wallet-balance">{formatNumber(user?.coin_num ?? 0)}</span>
      </p>
      <button type="button" className="btn btn-primary" onClick={() => openRecharge()}>
        {t('account.recharge')}
      </button>
    </section>
  );
}
