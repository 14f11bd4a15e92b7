import type { CSSProperties } from 'react';
import type { LiveSummary } from '../api/get-all-lives.ts';
import type { FollowedLive } from '../api/get-followed-lives.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { Link, roomPath } from '../../../shared/router.tsx';
import { DiamondIcon, EyeIcon, LockIcon } from '../../../shared/ui/Icons.tsx';

/** A stable hue per room so covers differ without images. */
export function coverHue(seed: string): number {
  let hash = 0;
  for (let i = 0; i < seed.length; i += 1) hash = (hash * 31 + seed.charCodeAt(i)) >>> 0;
  return hash % 360;
}

export function RoomTypeBadge({ roomType, price }: { roomType: number; price: number }) {
  const { t } = useI18n();
  if (roomType === 0) return <span className="badge badge-free">{t('home.free')}</span>;
  return (
    <span className={roomType === 2 ? 'badge badge-private' : 'badge badge-vip'}>
      <LockIcon width={12} height={12} />
      {roomType === 2 ? t('home.private') : t('home.vip')}
      <span className="badge-price">
        <DiamondIcon width={12} height={12} />
        {price}
      </span>
    </span>
  );
}

/** A room of the live list, or a followed room (which also says whether it is live). */
export function RoomCard({ room, headingLevel = 2 }: { room: LiveSummary & Partial<Pick<FollowedLive, 'live_status'>>; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const { t, formatNumber } = useI18n();
  const title = room.room_info.title || room.room_name;
  const hue = coverHue(room.room_id);
  const live = room.live_status !== false;
  return (
    <Link href={roomPath(room.room_id)} className="room-card" data-testid="room-card">
      <div className="room-cover" style={{ '--hue': hue } as CSSProperties}>
        <span className="room-initial" aria-hidden="true">
          {Array.from(room.character_name || room.room_name)[0] ?? '?'}
        </span>
        {live ? <span className="live-dot">{t('room.live')}</span> : <span className="offline-dot">{t('room.offline')}</span>}
        <span className="room-viewers">
          <EyeIcon width={14} height={14} />
          {t('home.viewers', { count: formatNumber(room.live_num) })}
        </span>
      </div>
      <div className="room-meta">
        <Heading className="room-title">
          <bdi>{title}</bdi>
        </Heading>
        <p className="room-sub">
          <bdi title={t('home.character')}>{room.character_name}</bdi>
          <span aria-hidden="true"> · </span>
          <bdi title={t('home.anchor')}>@{room.username}</bdi>
        </p>
        <RoomTypeBadge roomType={room.room_info.room_type} price={room.room_info.coin_num} />
        {room.tags.length > 0 && (
          <p className="room-tags" aria-label={t('discover.tags')}>
            {room.tags.map((tag) => (
              <span key={tag}>
                #<bdi>{tag}</bdi>
              </span>
            ))}
          </p>
        )}
      </div>
    </Link>
  );
}
