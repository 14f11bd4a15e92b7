import { useRef } from 'react';
import { useDocumentTitle, useFocusOnArrival } from '../../../shared/router.tsx';
import { useAllLives } from '../api/get-all-lives.ts';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { BroadcastIcon } from '../../../shared/ui/Icons.tsx';
import { RoomCard } from './RoomCard.tsx';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';

export function HomePage() {
  const { t } = useI18n();
  const { data: rooms, error, refetch } = useAllLives();
  const heading = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(t('home.title'));
  useFocusOnArrival(heading);

  return (
    <div className="page">
      <div className="page-head">
        <h1 ref={heading} tabIndex={-1}>
          {t('home.title')}
        </h1>
        <p className="muted">{t('home.subtitle')}</p>
      </div>
      {error && !rooms && (
        <div className="panel center">
          <ErrorText error={error} />
          <button type="button" className="btn" onClick={() => void refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {!rooms && !error && (
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
