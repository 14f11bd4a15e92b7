import { useState, type FormEvent } from 'react';
import { apiUrl } from '../../../shared/api/client.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { useEarningsEntries, useEarningsReport, useEarningsSummary, useSetSubscriptionPrice, type EarningsReport } from '../api.ts';
import { dailyBars, lastDays, PERIOD_CHOICES } from '../state/earnings-period.ts';
import { useStudioText } from '../use-studio-text.ts';
import { StudioError } from './StudioError.tsx';

const CHART_WIDTH = 600;
const CHART_HEIGHT = 120;

/** Balance, a period's totals per day and per room, the subscription price, every earning. */
export function EarningsSection() {
  const { t, formatNumber } = useI18n();
  const st = useStudioText();
  const summary = useEarningsSummary();
  const [days, setDays] = useState<number>(PERIOD_CHOICES[1]);
  const [period] = useState(() => Date.now());
  const range = lastDays(days, period);
  const report = useEarningsReport(range);

  return (
    <section className="studio-section" aria-label={st('studio.earnings')}>
      <StudioError error={summary.error} />
      {summary.data && (
        <div className="studio-stats">
          <div className="studio-card studio-stat">
            <span className="muted">{st('earnings.balance')}</span>
            <strong data-testid="earnings-balance">{st('earnings.diamonds', { count: formatNumber(summary.data.coin_num) })}</strong>
          </div>
          <div className="studio-card studio-stat">
            <span className="muted">{st('earnings.total')}</span>
            <strong>{st('earnings.diamonds', { count: formatNumber(summary.data.total_earned) })}</strong>
          </div>
          <div className="studio-card studio-stat">
            <span className="muted">{st('earnings.subscribers')}</span>
            <strong>{formatNumber(summary.data.active_subscribers)}</strong>
          </div>
          <SubscriptionPrice key={summary.data.subscription_price} current={summary.data.subscription_price} />
        </div>
      )}

      <div className="studio-card">
        <div className="studio-room-head">
          <h2 className="section-title">{st('earnings.period_title')}</h2>
          <div className="studio-actions studio-dashboard-actions" role="group" aria-label={st('earnings.period')}>
            {PERIOD_CHOICES.map((choice) => (
              <button key={choice} type="button" className={choice === days ? 'btn btn-small btn-active' : 'btn btn-small'} aria-pressed={choice === days} onClick={() => setDays(choice)}>
                {st('earnings.last_days', { count: choice })}
              </button>
            ))}
            <a className="btn btn-small" href={apiUrl('/api/anchor/earnings/export', undefined, range)} download>
              {st('earnings.export')}
            </a>
          </div>
        </div>
        <StudioError error={report.error} />
        {report.data ? <PeriodReport report={report.data} /> : <p className="muted">{t('common.loading')}</p>}
      </div>

      <EarningsList />
    </section>
  );
}

function SubscriptionPrice({ current }: { current: number }) {
  const st = useStudioText();
  const [price, setPrice] = useState(String(current));
  const save = useSetSubscriptionPrice();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(Number(price));
  };
  return (
    <form className="studio-card studio-stat studio-price" onSubmit={submit}>
      <label htmlFor="subscription-price" className="muted">
        {st('earnings.subscription_price')}
      </label>
      <div className="studio-actions">
        <input id="subscription-price" inputMode="numeric" pattern="[0-9]+" required value={price} onChange={(event) => setPrice(event.target.value)} />
        <button type="submit" className="btn btn-small" disabled={save.isPending}>
          {st('form.save')}
        </button>
      </div>
      {save.isSuccess && (
        <span className="muted" role="status">
          {st('form.saved')}
        </span>
      )}
      <StudioError error={save.error} />
    </form>
  );
}

function PeriodReport({ report }: { report: EarningsReport }) {
  const { formatNumber } = useI18n();
  const st = useStudioText();
  const bars = dailyBars(
    report.days.map((day) => day.total),
    CHART_WIDTH,
    CHART_HEIGHT,
  );
  return (
    <>
      <p>
        <strong data-testid="period-total">{st('earnings.diamonds', { count: formatNumber(report.total) })}</strong>{' '}
        <span className="muted">
          {report.from} – {report.to} (UTC)
        </span>
      </p>
      <svg className="studio-bars" viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={st('earnings.chart_label')}>
        {bars.map((bar, i) => (
          <rect key={report.days[i]!.date} x={bar.x} y={bar.y} width={bar.width} height={bar.height}>
            <title>{`${report.days[i]!.date}: ${report.days[i]!.total}`}</title>
          </rect>
        ))}
      </svg>
      <div className="studio-two-tables">
        <table className="studio-table">
          <caption>{st('earnings.by_room')}</caption>
          <thead>
            <tr>
              <th scope="col">{st('studio.rooms')}</th>
              <th scope="col">{st('earnings.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {report.rooms.length === 0 && (
              <tr>
                <td colSpan={2} className="muted">
                  {st('earnings.none')}
                </td>
              </tr>
            )}
            {report.rooms.map((room) => (
              <tr key={room.room_id}>
                <td>
                  <bdi>{room.room_name}</bdi>
                </td>
                <td>{formatNumber(room.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="studio-table">
          <caption>{st('earnings.by_day')}</caption>
          <thead>
            <tr>
              <th scope="col">{st('earnings.day')}</th>
              <th scope="col">{st('earnings.type_vip')}</th>
              <th scope="col">{st('earnings.type_subscription')}</th>
              <th scope="col">{st('earnings.type_gift')}</th>
              <th scope="col">{st('earnings.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {report.days
              .filter((day) => day.total !== 0)
              .reverse()
              .map((day) => (
                <tr key={day.date}>
                  <td>{day.date}</td>
                  <td>{formatNumber(day.vip)}</td>
                  <td>{formatNumber(day.subscription)}</td>
                  <td>{formatNumber(day.gift)}</td>
                  <td>{formatNumber(day.total)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function EarningsList() {
  const { t, formatNumber, formatDateTime } = useI18n();
  const st = useStudioText();
  const entries = useEarningsEntries();
  const list = entries.data?.pages.flatMap((page) => page.entries) ?? [];
  return (
    <div className="studio-card">
      <h2 className="section-title">{st('earnings.entries')}</h2>
      <StudioError error={entries.error} />
      {entries.isSuccess && list.length === 0 && <p className="muted">{st('earnings.none')}</p>}
      {list.length > 0 && (
        <table className="studio-table">
          <thead>
            <tr>
              <th scope="col">{st('tokens.created')}</th>
              <th scope="col">{st('earnings.what')}</th>
              <th scope="col">{st('earnings.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((entry) => (
              <tr key={entry.id} data-testid="earning-row">
                <td>{formatDateTime(entry.created_at)}</td>
                <td>
                  {entry.type === 'vip_room' ? st('earnings.type_vip') : entry.type === 'subscription' ? st('earnings.type_subscription') : entry.type === 'gift' ? st('earnings.type_gift') : entry.type}
                  {entry.room_name && (
                    <>
                      {' · '}
                      <bdi>{entry.room_name}</bdi>
                    </>
                  )}
                </td>
                <td>{formatNumber(entry.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entries.hasNextPage && (
        <button type="button" className="btn" onClick={() => void entries.fetchNextPage()} disabled={entries.isFetchingNextPage}>
          {t('common.load_more')}
        </button>
      )}
    </div>
  );
}
