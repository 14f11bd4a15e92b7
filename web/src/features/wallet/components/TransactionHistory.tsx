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
  operator_adjustment: 'wallet.tx.adjustment',
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

/** Crypto currency codes as people say them: usdttrc20 → USDT (TRC-20). */
function currencyName(code: string): string {
  const match = /^(.*?)(trc20|erc20|bsc)$/i.exec(code);
  return match ? `${match[1]!.toUpperCase()} (${match[2]!.toUpperCase().replace(/(\d+)$/, '-$1')})` : code.toUpperCase();
}

/** What a movement was for, in words: the room and anchor, or what a recharge cost. */
function useDetail(tx: WalletTransaction): string | null {
  const { t } = useI18n();
  if (tx.type === 'vip_room' && tx.room_name) return t('wallet.tx.vip_detail', { room: tx.room_title || tx.room_name, anchor: tx.anchor_name ?? '?' });
  if (tx.type === 'subscription' && tx.anchor_name) return t('wallet.tx.subscription_detail', { anchor: tx.anchor_name });
  if (tx.type === 'recharge' && tx.price_amount) {
    return t('wallet.tx.recharge_detail', {
      usd: tx.price_amount,
      currency: (tx.price_currency ?? 'usd').toUpperCase(),
      crypto: tx.pay_amount ?? '?',
      cryptoCurrency: currencyName(tx.pay_currency ?? ''),
    });
  }
  return tx.reason ?? null;
}

function TransactionRow({ tx }: { tx: WalletTransaction }) {
  const { t, formatNumber, formatDateTime } = useI18n();
  const words = TRANSACTION_WORDS[tx.type];
  const detail = useDetail(tx);
  return (
    <li className="list-row" data-testid="transaction">
      <div>
        <strong>{words ? t(words) : tx.type}</strong>
        {detail && (
          <div className="tx-detail" dir="auto">
            {detail}
          </div>
        )}
        <div className="muted small">{formatDateTime(tx.created_at)}</div>
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
