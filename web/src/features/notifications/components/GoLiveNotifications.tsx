/**
 * Tells the signed-in viewer, in every open tab, that a room they follow went live: a toast with a
 * link to the room and, when they opted in and the tab is in the background, a browser
 * notification (one per go-live across tabs: the notification's tag collapses duplicates).
 */
import { useEffect, useReducer, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useSession } from '../../session/index.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { usePreferences } from '../../../shared/preferences.ts';
import { Link, navigate, roomPath } from '../../../shared/router.tsx';
import { openNotificationSocket } from '../api/notification-socket.ts';
import { initialToasts, toastKey, toastsReducer, type FollowedLive, type Toast } from '../state/toasts.ts';

/** How long a toast stays unless dismissed or hovered. */
const TOAST_MS = 15_000;

export function GoLiveNotifications() {
  const { user, loggedIn } = useSession();
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [state, dispatch] = useReducer(toastsReducer, initialToasts);
  const [preferences] = usePreferences();
  const browserAlerts = useRef(preferences.browserNotifications);
  useEffect(() => {
    browserAlerts.current = preferences.browserNotifications;
  }, [preferences.browserNotifications]);
  const uid = loggedIn ? user?.uid : undefined;

  useEffect(() => {
    if (!uid) return;
    return openNotificationSocket((frame) => {
      if (frame.type !== 'followed_live') return;
      dispatch({ type: 'went_live', notice: frame.data });
      // The home page's "Following, live now" and the followed list show it at once.
      void queryClient.invalidateQueries({ queryKey: ['followed-lives'] });
      if (browserAlerts.current) showBrowserNotification(frame.data, t('notify.went_live', { anchor: frame.data.username }));
    });
  }, [uid, queryClient, t]);

  return (
    <section className="toast-stack" aria-label={t('notify.region')} aria-live="polite">
      {state.toasts.map((toast) => (
        <GoLiveToast key={toast.key} toast={toast} onDismiss={() => dispatch({ type: 'dismiss', key: toast.key })} />
      ))}
    </section>
  );
}

function GoLiveToast({ toast, onDismiss }: { toast: Toast; onDismiss: () => void }) {
  const { t } = useI18n();
  const { notice } = toast;
  const paused = useRef(false);
  useEffect(() => {
    const timer = setInterval(() => {
      if (!paused.current) onDismiss();
    }, TOAST_MS);
    return () => clearInterval(timer);
  }, [onDismiss]);
  return (
    <div
      className="toast"
      data-testid="go-live-toast"
      onMouseEnter={() => (paused.current = true)}
      onMouseLeave={() => (paused.current = false)}
      onFocus={() => (paused.current = true)}
      onBlur={() => (paused.current = false)}
    >
      <div className="toast-body">
        <strong>{t('notify.went_live', { anchor: notice.username })}</strong>
        <p>
          <bdi>{notice.title || notice.room_name}</bdi> · <bdi>{notice.character_name}</bdi>
        </p>
        <Link href={roomPath(notice.room_id)} className="btn btn-primary btn-small" onClick={onDismiss}>
          {t('notify.watch')}
        </Link>
      </div>
      <button type="button" className="btn btn-ghost btn-small" aria-label={t('notify.dismiss')} onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}

/** Only while the tab is hidden: a visible tab already shows the toast. */
function showBrowserNotification(notice: FollowedLive, title: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || !document.hidden) return;
  const notification = new Notification(title, {
    body: `${notice.title || notice.room_name} · ${notice.character_name}`,
    tag: toastKey(notice),
  });
  notification.onclick = () => {
    window.focus();
    navigate(roomPath(notice.room_id));
    notification.close();
  };
}
