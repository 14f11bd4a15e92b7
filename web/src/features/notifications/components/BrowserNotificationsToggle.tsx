/** The opt-in to browser notifications for followed rooms going live (asks the browser's permission). */
import { useState } from 'react';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { usePreferences } from '../../../shared/preferences.ts';

export function BrowserNotificationsToggle() {
  const { t } = useI18n();
  const [preferences, update] = usePreferences();
  const supported = typeof Notification !== 'undefined';
  const [permission, setPermission] = useState(supported ? Notification.permission : 'denied');
  const on = preferences.browserNotifications && permission === 'granted';

  const toggle = async () => {
    if (on) {
      update({ browserNotifications: false });
      return;
    }
    const answer = permission === 'granted' ? permission : await Notification.requestPermission();
    setPermission(answer);
    update({ browserNotifications: answer === 'granted' });
  };

  return (
    <div className="panel notify-toggle">
      <h2 className="panel-title">{t('notify.browser')}</h2>
      {!supported ? (
        <p className="muted">{t('notify.browser_unsupported')}</p>
      ) : (
        <>
          <p className="muted" role="status">
            {permission === 'denied' ? t('notify.browser_denied') : on ? t('notify.browser_on') : t('notify.browser_off')}
          </p>
          {permission !== 'denied' && (
            <button type="button" className="btn btn-small" aria-pressed={on} onClick={() => void toggle()}>
              {on ? t('notify.browser_disable') : t('notify.browser_enable')}
            </button>
          )}
        </>
      )}
    </div>
  );
}
