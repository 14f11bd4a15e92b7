import { useEffect, useState } from 'react';
import { getAllLives, type LiveSummary } from '../api/get-all-lives.ts';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { BroadcastIcon } from '../../../shared/ui/Icons.tsx';
import { RoomCard } from './RoomCard.tsx';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';

export const HOME_REFRESH_MS = 10_000;

export function HomePage() {
  const { t } = useI18n();
  const [rooms, setRooms] = useState<LiveSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      getAllLives().then(
        (lives) => {
          if (cancelled) return;
          setRooms(lives);
          setError(null);
        },
        (err: unknown) => !cancelled && setError(err),
      );
    void load();
    const refreshIfVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    const timer = setInterval(refreshIfVisible, HOME_REFRESH_MS);
    document.addEventListener('visibilitychange', refreshIfVisible);
    return () => {
      cancelled = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', refreshIfVisible);
    };
  }, [attempt]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('home.title')}</h1>
        <p className="muted">{t('home.subtitle')}</p>
      </div>
      {error !== null && rooms === null && (
        <div className="panel center">
          <ErrorText error={error} />
          <button type="button" className="btn" onClick={() => setAttempt((n) => n + 1)}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {rooms === null && error === null && (
        <div className="room-grid" aria-busy="true">
          {[0, 1, 2, 3].map((i) => (
            <div key={i} className="room-card skeleton" />
          ))}
        </div>
      )}
      {rooms?.length === 0 && (
        <div className="empty">
          <div className="empty-art" aria-hidden="true">
            <BroadcastIcon width={40} height={40} />
          </div>
          <h2>{t('home.empty_title')}</h2>
          <p className="muted">{t('home.empty_body')}</p>
        </div>
      )}
      {rooms && rooms.length > 0 && (
        <ul className="room-grid" aria-label={t('home.title')}>
          {rooms.map((room) => (
            <li key={room.room_id}>
              <RoomCard room={room} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
