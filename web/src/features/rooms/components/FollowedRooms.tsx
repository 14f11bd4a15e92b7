import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { useFollowedLives } from '../api/get-followed-lives.ts';
import { RoomCard } from './RoomCard.tsx';

/** The rooms the viewer follows, live or not. */
export function FollowedRooms() {
  const { t } = useI18n();
  const { data: rooms, error } = useFollowedLives();
  return (
    <section aria-labelledby="followed-title">
      <h2 id="followed-title" className="section-title">
        {t('wallet.followed')}
      </h2>
      <ErrorText error={error} />
      {rooms?.length === 0 && <p className="muted">{t('wallet.no_followed')}</p>}
      <ul className="room-grid">
        {rooms?.map((room) => (
          <li key={room.room_id}>
            <RoomCard room={room} />
          </li>
        ))}
      </ul>
    </section>
  );
}
