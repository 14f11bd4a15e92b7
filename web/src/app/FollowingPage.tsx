/** The rooms the viewer follows, live or not, on a page of their own (linked from the header). */
import { useRef } from 'react';
import { BrowserNotificationsToggle } from '../features/notifications/index.ts';
import { FollowedRooms } from '../features/rooms/index.ts';
import { openLogin, useSession } from '../features/session/index.ts';
import { useI18n } from '../shared/i18n/I18nProvider.tsx';
import { useDocumentTitle, useFocusOnArrival } from '../shared/router.tsx';

export function FollowingPage() {
  const { t } = useI18n();
  const { user, loggedIn } = useSession();
  const heading = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(t('following.title'));
  useFocusOnArrival(heading);

  return (
    <div className="page">
      <div className="page-head">
        <h1 ref={heading} tabIndex={-1}>
          {t('following.title')}
        </h1>
      </div>
      {user && !loggedIn ? (
        <div className="empty">
          <p className="muted">{t('following.login_required')}</p>
          <button type="button" className="btn btn-primary" onClick={openLogin}>
            {t('account.login')}
          </button>
        </div>
      ) : (
        <>
          <BrowserNotificationsToggle />
          <FollowedRooms />
        </>
      )}
    </div>
  );
}
