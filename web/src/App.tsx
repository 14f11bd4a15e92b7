import { Header } from './components/Header.tsx';
import { LoginDialog } from './components/LoginDialog.tsx';
import { RechargeDialog } from './components/RechargeDialog.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { RoomPage } from './pages/RoomPage.tsx';
import { WalletPage } from './pages/WalletPage.tsx';
import { useI18n } from './i18n/I18nProvider.tsx';
import { matchRoute, usePathname } from './router.tsx';
import { useSession } from './session/SessionProvider.tsx';

export function App() {
  const route = matchRoute(usePathname());
  const { dialog } = useSession();
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
        {route.name === 'not_found' && <NotFoundPage />}
      </main>
      {dialog?.kind === 'login' && <LoginDialog initialMode={dialog.mode} />}
      {dialog?.kind === 'recharge' && <RechargeDialog resume={dialog.resume} />}
    </>
  );
}
