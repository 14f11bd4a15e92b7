import { useState } from 'react';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { useLedgerStatus, useMoneySummary, useOrders, usePaymentsAttention, useRefreshAdmin, useVerifyLedger } from '../api.ts';
import { LoadMore } from './LoadMore.tsx';
import { useAdminText } from '../use-admin-text.ts';
import { openActionDialog } from './ActionDialog.tsx';

const STATUSES = ['', 'waiting', 'confirming', 'confirmed', 'sending', 'partially_paid', 'finished', 'failed', 'refunded', 'expired', 'creating'];
const when = (iso: string) => new Date(iso).toLocaleString();

/** Recharges and spending per day, the ledger check, payments needing a decision, and every order. */
export function MoneySection() {
  const at = useAdminText();
  return (
    <section className="admin-section" aria-label={at('admin.money')}>
      <LedgerCheck />
      <Attention />
      <Summary />
      <Orders />
    </section>
  );
}

function LedgerCheck() {
  const at = useAdminText();
  const status = useLedgerStatus();
  const verify = useVerifyLedger();
  const last = status.data;
  return (
    <div className="admin-card">
      <h2>{at('admin.ledger')}</h2>
      <p data-testid="ledger-status" className={last && !last.ok ? 'form-error' : undefined}>
        {last
          ? last.ok
            ? at('admin.ledger_ok', { time: when(last.at), name: last.operator_name })
            : at('admin.ledger_problems', { count: last.problems.length, time: when(last.at), name: last.operator_name })
          : at('admin.ledger_never')}
      </p>
      {last && !last.ok && (
        <ul className="admin-list">
          {last.problems.map((problem) => (
            <li key={`${problem.kind} ${problem.id}`} className="admin-mono">
              {problem.kind} {problem.id}: {problem.detail}
            </li>
          ))}
        </ul>
      )}
      <ErrorText error={verify.error ?? status.error} />
      <button type="button" className="btn" disabled={verify.isPending} onClick={() => verify.mutate()}>
        {at('admin.verify')}
      </button>
    </div>
  );
}

function Attention() {
  const at = useAdminText();
  const attention = usePaymentsAttention();
  const refresh = useRefreshAdmin();
  if (!attention.data) return <ErrorText error={attention.error} />;
  const { unmatched, partial } = attention.data;
  return (
    <div className="admin-card">
      <h2>{at('admin.attention')}</h2>
      <h3>{at('admin.partial')}</h3>
      {partial.length === 0 && <p className="muted">{at('admin.none')}</p>}
      <ul className="admin-list">
        {partial.map((order) => (
          <li key={order.order_id} className="admin-row">
            <span className="admin-mono">{order.order_id}</span>
            <span>
              {order.actually_paid ?? '0'} / {order.pay_amount ?? '?'} {order.pay_currency}
            </span>
            <span className="muted">{order.coin_num} 💎</span>
            <span className="admin-row-end">
              <button
                type="button"
                className="btn"
                onClick={() => openActionDialog(`${at('admin.credit_partial')}: ${order.order_id}`, { kind: 'credit_partial', orderId: order.order_id }, () => void refresh())}
              >
                {at('admin.credit_partial')}
              </button>
            </span>
          </li>
        ))}
      </ul>
      <h3>{at('admin.unmatched')}</h3>
      {unmatched.length === 0 && <p className="muted">{at('admin.none')}</p>}
      <ul className="admin-list">
        {unmatched.map((payment) => (
          <li key={payment.payment_id} className="admin-row">
            <span className="admin-mono">{payment.payment_id}</span>
            <span>{payment.reason}</span>
            <span className="muted">
              {payment.actually_paid ?? '-'} {payment.pay_currency ?? ''}
            </span>
            <span className="muted">{when(payment.last_seen_at)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Summary() {
  const at = useAdminText();
  const summary = useMoneySummary(14);
  const days = summary.data ?? [];
  const spent = (day: (typeof days)[number]) => day.spent.vip_room + day.spent.subscription + day.spent.gift;
  const top = Math.max(1, ...days.map((day) => Math.max(day.recharged, spent(day))));
  const barWidth = 100 / Math.max(1, days.length);
  return (
    <div className="admin-card">
      <h2>{at('admin.summary')}</h2>
      <ErrorText error={summary.error} />
      <svg className="admin-chart" viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label={at('admin.chart_label')}>
        {days.map((day, index) => (
          <g key={day.day}>
            <rect x={index * barWidth + barWidth * 0.1} width={barWidth * 0.38} y={40 - (day.recharged / top) * 38} height={(day.recharged / top) * 38} className="admin-bar-in" />
            <rect x={index * barWidth + barWidth * 0.52} width={barWidth * 0.38} y={40 - (spent(day) / top) * 38} height={(spent(day) / top) * 38} className="admin-bar-out" />
          </g>
        ))}
      </svg>
      <p className="muted small">
        <span className="admin-key admin-bar-in" /> {at('admin.recharged')} <span className="admin-key admin-bar-out" /> {at('admin.spent_vip')} + {at('admin.spent_subscription')} + {at('admin.spent_gift')}
      </p>
      <div className="admin-table-wrap">
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{at('admin.day')}</th>
              <th scope="col">{at('admin.recharged')}</th>
              <th scope="col">{at('admin.spent_vip')}</th>
              <th scope="col">{at('admin.spent_subscription')}</th>
              <th scope="col">{at('admin.spent_gift')}</th>
              <th scope="col">{at('admin.platform_fee')}</th>
              <th scope="col">{at('admin.anchor_earnings')}</th>
              <th scope="col">{at('admin.adjustments')}</th>
            </tr>
          </thead>
          <tbody>
            {[...days].reverse().map((day) => (
              <tr key={day.day}>
                <th scope="row">{day.day}</th>
                <td>{day.recharged}</td>
                <td>{day.spent.vip_room}</td>
                <td>{day.spent.subscription}</td>
                <td>{day.spent.gift}</td>
                <td>{day.platform_fee}</td>
                <td>{day.anchor_earnings}</td>
                <td>{day.adjustments}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Orders() {
  const at = useAdminText();
  const [status, setStatus] = useState('');
  const orders = useOrders(status);
  return (
    <div className="admin-card">
      <h2>{at('admin.orders')}</h2>
      <label className="field">
        <span className="visually-hidden">{at('admin.status')}</span>
        <select value={status} onChange={(event) => setStatus(event.target.value)}>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {value === '' ? at('admin.any_status') : value}
            </option>
          ))}
        </select>
      </label>
      <ErrorText error={orders.error} />
      {orders.data?.length === 0 && <p className="muted">{at('admin.none')}</p>}
      <ul className="admin-list">
        {orders.data?.map((order) => (
          <li key={order.order_id} className="admin-line">
            <span className="admin-row">
              <strong>{order.status}</strong>
              <span>
                {order.price_amount} {order.price_currency}
              </span>
              <span className="muted">
                {order.coins_credited}/{order.coin_num} 💎
              </span>
              <span className="muted admin-mono">{order.uid}</span>
              <span className="muted">{when(order.created_at)}</span>
            </span>
            {order.provider_answer && (
              <details className="admin-text">
                <summary>
                  {at('admin.provider_answer')}: {order.provider_answer.status ?? '-'} ({order.provider_answer.source}, {when(order.provider_answer.received_at)})
                </summary>
                <pre className="admin-mono admin-payload">{order.provider_answer.payload}</pre>
              </details>
            )}
          </li>
        ))}
      </ul>
      <LoadMore list={orders} />
    </div>
  );
}
