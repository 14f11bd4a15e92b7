import type { MessageKey } from '../../../shared/i18n/dictionaries.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { DiamondIcon } from '../../../shared/ui/Icons.tsx';
import { useTransactions, type WalletTransaction } from '../api/get-transactions.ts';

const TRANSACTION_WORDS: Record<string, MessageKey> = {
  recharge: 'wallet.tx.recharge',
  vip_room: 'wallet.tx.vip',
  subscription: 'wallet.tx.subscription',
  adjustment: 'wallet.tx.adjustment',
};

/** Every change of the balance, newest first, a page at a time. */
export function TransactionHistory() {
  const { t } = useI18n();
  const { data, error, hasNextPage, fetchNextPage } = useTransactions();
  const transactions = data?.pages.flatMap((page) => page.transactions);
  return (
    <section className="panel" aria-labelledby="tx-title">
      <h2 id="tx-title" className="panel-title">
        {t('wallet.transactions')}
      </h2>
      <ErrorText error={error} />
      {transactions?.length === 0 && <p className="muted">{t('wallet.no_transactions')}</p>}
      <ul className="list">
        {transactions?.map((tx) => (
          <TransactionRow key={tx.id} tx={tx} />
        ))}
      </ul>
      {hasNextPage && (
        <button type="button" className="btn btn-small" onClick={() => void fetchNextPage()}>
          {t('common.load_more')}
        </button>
      )}
    </section>
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
