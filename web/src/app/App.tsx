import { Suspense } from 'react';
import { AccountPage } from './AccountPage.tsx';
import { Header } from './Header.tsx';
import { HomePage, RoomPage } from '../features/rooms/index.ts';
import { FollowingPage } from './FollowingPage.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { WalletPage } from './WalletPage.tsx';
import { StudioPage } from '../features/studio/index.ts';
import { GoLiveNotifications } from '../features/notifications/index.ts';
import { AdminPage } from '../features/admin/index.ts';
import { useI18n } from '../shared/i18n/I18nProvider.tsx';
import { matchRoute, usePathname } from '../shared/router.tsx';
import { LiveAnnouncer } from '../shared/ui/announcer.tsx';
import { ModalOutlet } from '../shared/ui/modal.tsx';

export function App() {
  const route = matchRoute(usePathname());
  const { t } = useI18n();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <Header />
      <main id="main" className={route.name === 'room' ? 'main main-room' : 'main'}>
        {route.name === 'home' && <HomePage />}
        {route.name === 'room' && <RoomPage key={route.roomId} roomId={route.roomId} />}
        {route.name === 'wallet' && <WalletPage />}
        {route.name === 'account' && <AccountPage />}
        {route.name === 'following' && <FollowingPage />}
        {route.name === 'studio' && (
          <Suspense fallback={<p className="page muted">{t('common.loading')}</p>}>
            <StudioPage section={route.section} roomId={route.roomId} />
          </Suspense>
        )}
        {route.name === 'admin' && (
          <Suspense fallback={<p className="page muted">{t('common.loading')}</p>}>
            <AdminPage section={route.section} id={route.id} />
          </Suspense>
        )}
        {route.name === 'not_found' && <NotFoundPage />}
      </main>
      <GoLiveNotifications />
      <LiveAnnouncer />
      <ModalOutlet />
    </>
  );
}
