import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { useFollowedLives } from '../api/get-followed-lives.ts';
import { RoomCard } from './RoomCard.tsx';

/** The rooms the viewer follows, live or not; each card's title is a heading under the page's. */
export function FollowedRooms() {
  const { t } = useI18n();
  const { data: rooms, error } = useFollowedLives();
  return (
    <>
      <ErrorText error={error} />
      {rooms?.length === 0 && <p className="muted">{t('wallet.no_followed')}</p>}
      {!rooms && !error && <p className="muted">{t('common.loading')}</p>}
      <ul className="room-grid" aria-label={t('following.title')}>
        {rooms?.map((room) => (
          <li key={room.room_id}>
            <RoomCard room={room} />
          </li>
        ))}
      </ul>
    </>
  );
}
