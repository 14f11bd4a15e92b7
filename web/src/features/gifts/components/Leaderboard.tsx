/**
 * Who supported the room most: today, the last 30 days, all time. Starts from the HTTP answer and
 * follows the boards the room socket brings after each gift, unlock or subscription.
 */
import { useState } from 'react';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { useLeaderboard, type RoomLeaderboard } from '../api/get-leaderboard.ts';

type Period = 'today' | 'last_30_days' | 'all_time';
const PERIODS: Array<[Period, 'leaderboard.today' | 'leaderboard.month' | 'leaderboard.all']> = [
  ['today', 'leaderboard.today'],
  ['last_30_days', 'leaderboard.month'],
  ['all_time', 'leaderboard.all'],
];

export function Leaderboard({ roomId, live }: { roomId: string; live: RoomLeaderboard | null }) {
  const { t, formatNumber } = useI18n();
  const fetched = useLeaderboard(roomId);
  const [period, setPeriod] = useState<Period>('today');
  const board = live ?? fetched.data;
  const entries = board?.[period] ?? [];
  return (
    <details className="leaderboard" data-testid="leaderboard">
      <summary className="small">{t('leaderboard.title')}</summary>
      <div className="leaderboard-periods" role="group" aria-label={t('leaderboard.title')}>
        {PERIODS.map(([name, key]) => (
          <button key={name} type="button" className={period === name ? 'btn btn-small btn-active' : 'btn btn-small'} aria-pressed={period === name} onClick={() => setPeriod(name)}>
            {t(key)}
          </button>
        ))}
      </div>
      {entries.length === 0 ? (
        <p className="small muted">{t('leaderboard.empty')}</p>
      ) : (
        <ol className="leaderboard-list">
          {entries.map((supporter, index) => (
            <li key={supporter.uid} className="leaderboard-row">
              <span className={`leaderboard-rank leaderboard-rank-${index + 1}`}>{index + 1}</span>
              <bdi className="leaderboard-name">{supporter.username}</bdi>
              <span className="leaderboard-diamonds small muted">{t('leaderboard.diamonds', { count: formatNumber(supporter.diamonds) })}</span>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
