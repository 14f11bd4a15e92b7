import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { followRoom } from '../api/follow-room.ts';
import { useFollowedLives, type FollowedLive } from '../api/get-followed-lives.ts';
import { liveInfoKey } from '../api/get-live-info.ts';
import { RoomCard } from './RoomCard.tsx';

/** The rooms the viewer follows, live or not; each card's title is a heading under the page's, with an unfollow. */
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
          <li key={room.room_id} className="followed-item">
            <RoomCard room={room} />
            <UnfollowButton room={room} />
          </li>
        ))}
      </ul>
    </>
  );
}

function UnfollowButton({ room }: { room: FollowedLive }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const unfollow = useMutation({
    mutationFn: () => followRoom(room.room_id, false),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['followed-lives'] }),
        queryClient.invalidateQueries({ queryKey: liveInfoKey(room.room_id) }),
      ]);
    },
  });
  const name = room.room_info.title || room.room_name;
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        disabled={unfollow.isPending}
        aria-label={t('following.unfollow_named', { name })}
        onClick={() => unfollow.mutate()}
      >
        {t('following.unfollow')}
      </button>
      <ErrorText error={unfollow.error} />
    </>
  );
}
