import { useEffect, useState, type CSSProperties } from 'react';
import { ApiError } from '../../../shared/api/client.ts';
import { useSubscribeToAnchor } from '../../wallet/index.ts';
import { useFollowRoom } from '../api/follow-room.ts';
import { useLiveInfo, type LiveInfo } from '../api/get-live-info.ts';
import { useSendUserMessage } from '../api/send-user-message.ts';
import type { ConnectionState } from '../api/room-socket.ts';
import { Dialog } from '../../../shared/ui/Dialog.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { EyeIcon, HeartIcon, StarIcon } from '../../../shared/ui/Icons.tsx';
import { Paywall } from './Paywall.tsx';
import { RoomTypeBadge, coverHue } from './RoomCard.tsx';
import { Transcript } from './Transcript.tsx';
import { ViewerChat } from './ViewerChat.tsx';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import type { MessageKey } from '../../../shared/i18n/dictionaries.ts';
import { Link } from '../../../shared/router.tsx';
import { openRecharge } from '../../recharge/index.ts';
import { openLogin, useSession } from '../../session/index.ts';
import { canSubscribe, decidePaywall } from '../state/paywall.ts';
import { useLiveRoom } from '../state/useLiveRoom.ts';

const CONNECTION_WORDS: Record<ConnectionState, MessageKey> = {
  connecting: 'conn.connecting',
  live: 'conn.live',
  reconnecting: 'conn.reconnecting',
  offline: 'conn.offline',
  denied: 'conn.denied',
  not_found: 'room.not_found',
};

export function RoomPage({ roomId }: { roomId: string }) {
  const { t } = useI18n();
  const { data: info, error: infoError, refetch } = useLiveInfo(roomId);

  if (!info) {
    if (infoError) {
      const missing = infoError instanceof ApiError && infoError.status === 404;
      return (
        <div className="page empty">
          <h1>{missing ? t('room.not_found') : t('room.load_failed')}</h1>
          {!missing && <ErrorText error={infoError} />}
          <Link href="/" className="btn btn-primary">
            {t('common.back_home')}
          </Link>
        </div>
      );
    }
    return <div className="page muted center">{t('common.loading')}</div>;
  }
  return <Room info={info} reload={refetch} />;
}

function Room({ info, reload }: { info: LiveInfo; reload(): Promise<unknown> }) {
  const { t, formatNumber, formatDateTime } = useI18n();
  const session = useSession();
  const room = info.live_info;
  const decision = decidePaywall(info, session.user);
  const open = decision.kind === 'open';
  const live = useLiveRoom(room.room_id, open, { liveNum: room.live_num, liveStatus: room.live_status });
  const follow = useFollowRoom(room.room_id);
  const subscription = useSubscribeToAnchor();
  // The follow state the viewer just asked for, shown until the room's answer has been read again.
  const following = (follow.isPending ? follow.variables : undefined) ?? info.follow_info.follow_status;
  const actionError = follow.error ?? subscription.error;
  const [confirmSubscribe, setConfirmSubscribe] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const liveNum = open ? live.state.liveNum : room.live_num;
  const liveStatus = open ? live.state.liveStatus : room.live_status;
  const subscribable = canSubscribe(info, session.user, room.uid);

  // Access withdrawn while watching (e.g. a subscription ran out): show the paywall again.
  useEffect(() => {
    if (live.connection === 'denied') void reload();
  }, [live.connection, reload]);

  const requireLogin = (): boolean => {
    if (session.loggedIn) return true;
    openLogin();
    return false;
  };

  const toggleFollow = () => {
    if (!requireLogin()) return;
    subscription.reset();
    follow.mutate(!following);
  };

  const subscribe = () => {
    setConfirmSubscribe(false);
    follow.reset();
    subscription.mutate(
      { anchorId: room.uid, amount: info.subscription_info.amount },
      {
        onSuccess: (result) => {
          setNotice(t('room.subscribe_done', { date: formatDateTime(result.expires_at) }));
          void reload();
        },
        onError: (err) => {
          if (err instanceof ApiError && err.error === 'insufficient_balance') openRecharge();
          if (err instanceof ApiError && err.error === 'price_changed') void reload();
        },
      },
    );
  };

  const askSubscribe = () => {
    if (requireLogin()) setConfirmSubscribe(true);
  };

  const send = useSendUserMessage(room, (sent, message) =>
    live.addOwnMessage({ id: sent.id, uid: session.user?.uid ?? '', username: message.username, user_message: message.text, send_date: sent.send_date }),
  );

  const selfName = session.user?.status ? session.user.uname : (session.user?.guest_name ?? t('account.guest'));
  const title = room.title || room.room_name;

  return (
    <div className="room">
      <section className="room-header panel" aria-labelledby="room-title">
        <div className="room-avatar" style={{ '--hue': coverHue(room.room_id) } as CSSProperties} aria-hidden="true">
          {Array.from(room.character_name || room.room_name)[0] ?? '?'}
        </div>
        <div className="room-header-text">
          <h1 id="room-title">{title}</h1>
          <p className="room-sub">
            <span>
              {t('home.character')}: <strong>{room.character_name}</strong>
            </span>
            <span aria-hidden="true"> · </span>
            <span>
              {t('home.anchor')}: <strong>@{room.username}</strong>
            </span>
          </p>
          {room.describe && <p className="room-describe">{room.describe}</p>}
          <div className="room-stats">
            {liveStatus ? <span className="live-dot">{t('room.live')}</span> : <span className="offline-dot">{t('room.offline')}</span>}
            <span className="stat" data-testid="live-num">
              <EyeIcon /> {t('room.viewers', { count: formatNumber(liveNum) })}
            </span>
            <RoomTypeBadge roomType={info.vip_info.room_type} price={info.vip_info.amount} />
            {open && (
              <span className={`conn conn-${live.connection}`} role="status" data-testid="connection-state">
                {t(CONNECTION_WORDS[live.connection])}
              </span>
            )}
          </div>
        </div>
        <div className="room-actions">
          <button type="button" className={following ? 'btn btn-active' : 'btn'} aria-pressed={following} onClick={toggleFollow}>
            <HeartIcon filled={following} /> {following ? t('room.following') : t('room.follow')}
          </button>
          {info.subscription_info.subscription_status ? (
            <span className="btn btn-active" aria-disabled="true">
              <StarIcon /> {t('room.subscribed')}
            </span>
          ) : (
            subscribable && (
              <button type="button" className="btn" onClick={askSubscribe}>
                <StarIcon /> {t('room.subscribe', { price: formatNumber(info.subscription_info.amount) })}
              </button>
            )
          )}
        </div>
        <div className="room-notes">
          <ErrorText error={actionError} />
          {notice && (
            <p className="success-text" role="status">
              {notice}
            </p>
          )}
        </div>
      </section>

      {decision.kind !== 'open' ? (
        <Paywall info={info} decision={decision} onUnlocked={reload} onSubscribe={subscribable ? askSubscribe : null} />
      ) : (
        <div className="room-body">
          <section className="panel transcript-panel" aria-labelledby="transcript-title">
            <h2 id="transcript-title" className="panel-title">
              {t('room.transcript')}
            </h2>
            {!liveStatus && <p className="room-ended muted small">{t('room.ended')}</p>}
            {live.loadError !== null && <ErrorText error={live.loadError} />}
            <Transcript
              messages={live.state.transcript.messages}
              hasOlder={live.state.transcript.hasOlder}
              loadingOlder={live.loadingOlder}
              onLoadOlder={live.loadOlder}
            />
          </section>
          <div className="panel chat-panel">
            <ViewerChat messages={live.state.chat.messages} selfName={selfName} send={send} disabled={live.loadError !== null} />
          </div>
        </div>
      )}

      {confirmSubscribe && (
        <Dialog title={t('room.subscribe', { price: formatNumber(info.subscription_info.amount) })} onClose={() => setConfirmSubscribe(false)}>
          <p>{t('room.subscribe_confirm', { anchor: room.username, price: formatNumber(info.subscription_info.amount) })}</p>
          <div className="row end">
            <button type="button" className="btn" onClick={() => setConfirmSubscribe(false)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="btn btn-primary" onClick={subscribe}>
              {t('room.subscribe', { price: formatNumber(info.subscription_info.amount) })}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
