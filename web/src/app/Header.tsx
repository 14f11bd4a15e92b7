import { useI18n } from '../shared/i18n/I18nProvider.tsx';
import { Link, usePathname } from '../shared/router.tsx';
import { openRecharge } from '../features/recharge/index.ts';
import { openLogin, useLogout, useSession } from '../features/session/index.ts';
import { DiamondIcon, GlobeIcon } from '../shared/ui/Icons.tsx';

export function Header() {
  const { t, language, setLanguage, formatNumber } = useI18n();
  const session = useSession();
  const logout = useLogout();
  const pathname = usePathname();
  const user = session.user;
  const name = user?.status ? user.uname : t('account.guest');

  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link href="/" className="brand" aria-label={t('app.name')}>
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span className="brand-text">{t('app.name')}</span>
        </Link>
        <nav className="topnav" aria-label={t('nav.main')}>
          <Link href="/" aria-current={pathname === '/' ? 'page' : undefined}>
            {t('nav.home')}
          </Link>
          {session.loggedIn && (
            <Link href="/following" className="nav-following" aria-current={pathname === '/following' ? 'page' : undefined}>
              {t('nav.following')}
            </Link>
          )}
          <Link href="/wallet" aria-current={pathname === '/wallet' ? 'page' : undefined}>
            {t('nav.wallet')}
          </Link>
          <Link href="/studio" className={session.loggedIn ? 'nav-studio nav-studio-signed-in' : 'nav-studio'} aria-current={pathname.startsWith('/studio') ? 'page' : undefined}>
            {t('nav.studio')}
          </Link>
        </nav>
        <div className="topbar-actions">
          <button
            type="button"
            className="btn btn-ghost btn-icon-text"
            onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')}
            aria-label={`${t('lang.label')}: ${t('lang.switch')}`}
            data-testid="language-switch"
          >
            <GlobeIcon />
            <span>{t('lang.switch')}</span>
          </button>
          {session.loggedIn && (
            <button
              type="button"
              className="balance-pill"
              onClick={() => openRecharge()}
              aria-label={`${t('account.balance')}: ${formatNumber(user?.coin_num ?? 0)}. ${t('account.recharge')}`}
              title={t('account.recharge')}
            >
              <DiamondIcon />
              <span data-testid="header-balance">{user?.coin_num ?? 0}</span>
              <span className="balance-plus" aria-hidden="true">
                +
              </span>
            </button>
          )}
          {user &&
            (session.loggedIn ? (
              <Link href="/account" className="user-chip" title={t('settings.title')} aria-current={pathname === '/account' ? 'page' : undefined}>
                <span className="user-initial" aria-hidden="true">
                  {Array.from(name)[0]}
                </span>
                <span className="user-name" data-testid="header-user">
                  {name}
                </span>
              </Link>
            ) : (
              <span className="user-chip" title={name}>
                <span className="user-initial" aria-hidden="true">
                  {Array.from(name)[0]}
                </span>
                <span className="user-name" data-testid="header-user">
                  {name}
                </span>
              </span>
            ))}
          {/* Nothing until the session is known: a signed-in viewer never sees "Log in" flash by. */}
          {user &&
            (session.loggedIn ? (
              <button key="logout" type="button" className="btn btn-ghost" onClick={() => logout.mutate()}>
                {t('account.logout')}
              </button>
            ) : (
              <button key="login" type="button" className="btn btn-primary" onClick={openLogin}>
                {t('account.login')}
              </button>
            ))}
        </div>
      </div>
    </header>
  );
}
