import { useCallback, useEffect, useState, type CSSProperties } from 'react';
import { ApiError } from '../../../shared/api/client.ts';
import { subscribeToAnchor } from '../../wallet/index.ts';
import { followRoom } from '../api/follow-room.ts';
import { getLiveInfo, type LiveInfo } from '../api/get-live-info.ts';
import { sendUserMessage } from '../api/send-user-message.ts';
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
  const session = useSession();
  const [info, setInfo] = useState<LiveInfo | null>(null);
  const [infoError, setInfoError] = useState<unknown>(null);
  const uid = session.user?.uid;

  const loadInfo = useCallback(
    () =>
      getLiveInfo(roomId).then(
        (next) => {
          setInfo(next);
          setInfoError(null);
        },
        (err: unknown) => setInfoError(err),
      ),
    [roomId],
  );

  useEffect(() => {
    // Logging in or out changes what this viewer may see.
    void loadInfo();
  }, [loadInfo, uid]);

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
  return <Room info={info} reload={loadInfo} />;
}

function Room({ info, reload }: { info: LiveInfo; reload(): Promise<void> }) {
  const { t, formatNumber, formatDateTime } = useI18n();
  const session = useSession();
  const room = info.live_info;
  const decision = decidePaywall(info, session.user);
  const open = decision.kind === 'open';
  const live = useLiveRoom(room.room_id, open, { liveNum: room.live_num, liveStatus: room.live_status });
  // The follow state the viewer just asked for, shown until the server's answer is reloaded.
  const [pendingFollow, setPendingFollow] = useState<boolean | null>(null);
  const following = pendingFollow ?? info.follow_info.follow_status;
  const [confirmSubscribe, setConfirmSubscribe] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
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

  const toggleFollow = async () => {
    if (!requireLogin()) return;
    setActionError(null);
    setPendingFollow(!following);
    try {
      await followRoom(room.room_id, !following);
      await reload();
    } catch (err) {
      setActionError(err);
    } finally {
      setPendingFollow(null);
    }
  };

  const subscribe = async () => {
    setConfirmSubscribe(false);
    setActionError(null);
    try {
      const result = await subscribeToAnchor(room.uid, info.subscription_info.amount);
      session.setBalance(result.coin_num);
      setNotice(t('room.subscribe_done', { date: formatDateTime(result.expires_at) }));
      await reload();
    } catch (err) {
      setActionError(err);
      if (err instanceof ApiError && err.error === 'insufficient_balance') openRecharge();
      if (err instanceof ApiError && err.error === 'price_changed') await reload();
    }
  };

  const askSubscribe = () => {
    if (requireLogin()) setConfirmSubscribe(true);
  };

  const sendMessage = async (text: string) => {
    const user = session.user;
    const name = user?.status ? user.uname : (user?.guest_name ?? t('account.guest'));
    const sent = await sendUserMessage(room, name, text);
    live.addOwnMessage({ id: sent.id, uid: user?.uid ?? '', username: name, user_message: text, send_date: sent.send_date });
  };

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
          <button type="button" className={following ? 'btn btn-active' : 'btn'} aria-pressed={following} onClick={() => void toggleFollow()}>
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
            <ViewerChat messages={live.state.chat.messages} selfName={selfName} onSend={sendMessage} disabled={live.loadError !== null} />
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
            <button type="button" className="btn btn-primary" onClick={() => void subscribe()}>
              {t('room.subscribe', { price: formatNumber(info.subscription_info.amount) })}
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
