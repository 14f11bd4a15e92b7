/** The anchor console at /studio: loaded as its own chunk, only when someone opens it. */
import { useRef } from 'react';
import { ApiError } from '../../../shared/api/client.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { Link, useDocumentTitle, useFocusOnArrival } from '../../../shared/router.tsx';
import { useSession } from '../../session/index.ts';
import { useAnchorRooms } from '../api.ts';
import '../studio.css';
import { useStudioText } from '../use-studio-text.ts';
import { AnchorSignIn } from './AnchorSignIn.tsx';
import { DevicesSection } from './DevicesSection.tsx';
import { EarningsSection } from './EarningsSection.tsx';
import { RoomDashboard } from './RoomDashboard.tsx';
import { RoomsSection } from './RoomsSection.tsx';
import { StudioError } from './StudioError.tsx';

const SECTIONS = ['rooms', 'earnings', 'devices'] as const;
const SECTION_WORDS = { rooms: 'studio.rooms', earnings: 'studio.earnings', devices: 'studio.devices' } as const;
type Section = (typeof SECTIONS)[number];

export default function StudioPage({ section, roomId }: { section: string; roomId?: string }) {
  const { t } = useI18n();
  const st = useStudioText();
  const { user } = useSession();
  const rooms = useAnchorRooms();
  const heading = useRef<HTMLHeadingElement>(null);
  const current: Section = (SECTIONS as readonly string[]).includes(section) ? (section as Section) : 'rooms';
  const dashboardRoom = section === 'dashboard' ? rooms.data?.find((room) => room.room_id === roomId) : undefined;
  useDocumentTitle(`${dashboardRoom ? dashboardRoom.room_name : st(SECTION_WORDS[current])} · ${st('studio.title')}`);
  useFocusOnArrival(heading, rooms.isSuccess);

  if (rooms.isPending) return <p className="page muted">{t('common.loading')}</p>;
  // Not signed in (401) or signed in as a viewer only (403): the console starts with signing in.
  if (rooms.error instanceof ApiError && (rooms.error.status === 401 || rooms.error.status === 403)) return <AnchorSignIn />;
  if (rooms.isError) {
    return (
      <div className="page">
        <StudioError error={rooms.error} />
        <button type="button" className="btn" onClick={() => void rooms.refetch()}>
          {t('common.retry')}
        </button>
      </div>
    );
  }

  return (
    <div className="page studio">
      <div className="page-head page-head-row">
        <div>
          <h1 ref={heading} tabIndex={-1}>
            {st('studio.title')}
          </h1>
          <p className="muted">{user?.status ? st('studio.signed_in_as', { name: user.uname }) : st('studio.subtitle')}</p>
        </div>
        <Link href="/" className="btn btn-ghost">
          {st('studio.to_watching')}
        </Link>
      </div>
      <nav className="studio-tabs" aria-label={st('studio.nav')}>
        {SECTIONS.map((name) => (
          <Link key={name} href={name === 'rooms' ? '/studio' : `/studio/${name}`} aria-current={current === name ? 'page' : undefined}>
            {st(SECTION_WORDS[name])}
          </Link>
        ))}
      </nav>
      {section === 'dashboard' && dashboardRoom && <RoomDashboard room={dashboardRoom} />}
      {section === 'dashboard' && !dashboardRoom && <StudioError error={new ApiError(404, 'room_not_found', 'No such room')} />}
      {section !== 'dashboard' && current === 'rooms' && <RoomsSection rooms={rooms.data} />}
      {section !== 'dashboard' && current === 'earnings' && <EarningsSection />}
      {section !== 'dashboard' && current === 'devices' && <DevicesSection />}
    </div>
  );
}
