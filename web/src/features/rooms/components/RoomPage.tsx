import type { ReportRequest } from '../api/report.ts';
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { ApiError } from '../../../shared/api/client.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import type { MessageKey } from '../../../shared/i18n/dictionaries.ts';
import { TEXT_SIZES, usePreferences, type AnnounceMode } from '../../../shared/preferences.ts';
import { Link, useDocumentTitle, useFocusOnArrival } from '../../../shared/router.tsx';
import { Dialog } from '../../../shared/ui/Dialog.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { EyeIcon, HeartIcon, StarIcon, TheatreIcon } from '../../../shared/ui/Icons.tsx';
import { useMediaQuery } from '../../../shared/ui/use-media-query.ts';
import { GiftBurst, GiftButton, Leaderboard } from '../../gifts/index.ts';
import { openRecharge } from '../../recharge/index.ts';
import { openLogin, useSession } from '../../session/index.ts';
import { useSubscribeToAnchor } from '../../wallet/index.ts';
import { isBlocked, useBlocks } from '../api/blocks.ts';
import { useFollowRoom } from '../api/follow-room.ts';
import { useLiveInfo, type LiveInfo } from '../api/get-live-info.ts';
import type { UserMessage } from '../api/get-user-chat-history.ts';
import type { ConnectionState } from '../api/room-socket.ts';
import { useSendUserMessage } from '../api/send-user-message.ts';
import { canSubscribe, decidePaywall } from '../state/paywall.ts';
import { savedReadingFloor } from '../state/reading-place.ts';
import { transcriptRows } from '../state/typing.ts';
import { useLiveRoom, type LiveRoom, type RoomAccess } from '../state/useLiveRoom.ts';
import { useRoomAnnouncements } from '../state/useRoomAnnouncements.ts';
import { Paywall } from './Paywall.tsx';
import { RoomTypeBadge, coverHue } from './RoomCard.tsx';
import { ShareButton } from './ShareButton.tsx';
import { Transcript } from './Transcript.tsx';
import { ViewerChat } from './ViewerChat.tsx';

/** The report dialog is its own chunk, fetched on the first click: few viewers ever report. */
function openReportDialog(target: Omit<ReportRequest, 'reason' | 'details'>): void {
  void import('./ReportDialog.tsx').then((dialog) => dialog.openReportDialog(target));
}

const CONNECTION_WORDS: Record<ConnectionState, MessageKey> = {
  connecting: 'conn.connecting',
  live: 'conn.live',
  reconnecting: 'conn.reconnecting',
  offline: 'conn.offline',
  denied: 'conn.denied',
  not_found: 'room.not_found',
};

/** Below this width the transcript and the chat share the screen as two tabs. */
const PHONE_LAYOUT = '(max-width: 760px)';

export function RoomPage({ roomId }: { roomId: string }) {
  const { t } = useI18n();
  const { data: info, error: infoError, refetch } = useLiveInfo(roomId);
  const session = useSession();
  const decision = info ? decidePaywall(info, session.user) : null;
  const access: RoomAccess = decision === null ? 'unknown' : decision.kind === 'open' ? 'open' : 'locked';
  // Read once: where the reader was before this page was reloaded (or left with Back).
  const [restoreFloor] = useState(savedReadingFloor);
  const live = useLiveRoom(roomId, access, restoreFloor);

  if (!info) {
    if (infoError) {
      const missing = infoError instanceof ApiError && infoError.status === 404;
      return <RoomUnavailable missing={missing} error={infoError} />;
    }
    return (
      <div className="page muted center" aria-busy="true">
        {t('common.loading')}
      </div>
    );
  }
  if (info.live_info.taken_down === true || live.state.takenDown) return <RoomTakenDown />;
  return <Room info={info} reload={refetch} live={live} restoreFloor={restoreFloor} />;
}

/** What viewers see of a room the site's operators took down, on arrival or the moment it happens. */
function RoomTakenDown() {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(t('room.taken_down_title'));
  useFocusOnArrival(heading);
  return (
    <div className="page empty" role="status" data-testid="room-taken-down">
      <h1 ref={heading} tabIndex={-1}>
        {t('room.taken_down_title')}
      </h1>
      <p className="muted">{t('room.taken_down_text')}</p>
      <Link href="/" className="btn btn-primary">
        {t('common.back_home')}
      </Link>
    </div>
  );
}

function RoomUnavailable({ missing, error }: { missing: boolean; error: unknown }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const title = missing ? t('room.not_found') : t('room.load_failed');
  useDocumentTitle(title);
  useFocusOnArrival(heading);
  return (
    <div className="page empty">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {!missing && <ErrorText error={error} />}
      <Link href="/" className="btn btn-primary">
        {t('common.back_home')}
      </Link>
    </div>
  );
}

function Room({ info, reload, live, restoreFloor }: { info: LiveInfo; reload(): Promise<unknown>; live: LiveRoom; restoreFloor: number | null }) {
  const { t, formatNumber, formatDateTime } = useI18n();
  const session = useSession();
  const room = info.live_info;
  const decision = decidePaywall(info, session.user);
  const open = decision.kind === 'open';
  const follow = useFollowRoom(room.room_id);
  const subscription = useSubscribeToAnchor();
  // The follow state the viewer just asked for, shown until the room's answer has been read again.
  const following = (follow.isPending ? follow.variables : undefined) ?? info.follow_info.follow_status;
  const actionError = follow.error ?? subscription.error;
  const [confirmSubscribe, setConfirmSubscribe] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const liveNum = open && live.state.synced ? live.state.liveNum : room.live_num;
  const liveStatus = open && live.state.synced ? live.state.liveStatus : room.live_status;
  const subscribable = canSubscribe(info, session.user, room.uid);
  const title = room.title || room.room_name;
  const heading = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(`${title} · @${room.username}`);
  useFocusOnArrival(heading);

  // Access withdrawn while watching (e.g. a subscription ran out): show the paywall again.
  useEffect(() => {
    if (live.connection === 'denied') void reload();
  }, [live.connection, reload]);

  // "Not enough diamonds" is out of date once a top-up has raised the balance.
  const balance = session.user?.coin_num ?? 0;
  const previousBalance = useRef(balance);
  const { error: subscribeError, reset: resetSubscription } = subscription;
  useEffect(() => {
    const rose = balance > previousBalance.current;
    previousBalance.current = balance;
    if (rose && subscribeError instanceof ApiError && subscribeError.error === 'insufficient_balance') resetSubscription();
  }, [balance, subscribeError, resetSubscription]);

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
    const price = info.subscription_info.amount;
    subscription.mutate(
      { anchorId: room.uid, amount: price, roomId: room.room_id },
      {
        onSuccess: (result) => {
          setNotice(t('room.subscribe_done', { date: formatDateTime(result.expires_at) }));
          void reload();
        },
        onError: (err) => {
          if (err instanceof ApiError && err.error === 'insufficient_balance') openRecharge({ shortBy: Math.max(1, price - balance) });
          if (err instanceof ApiError && err.error === 'price_changed') void reload();
        },
      },
    );
  };

  const askSubscribe = () => {
    if (requireLogin()) setConfirmSubscribe(true);
  };

  return (
    <div className="room">
      <section className="room-header panel" aria-labelledby="room-title">
        {room.cover_url && <img className="room-header-cover" src={room.cover_url} alt="" decoding="async" />}
        <div className="room-avatar" style={{ '--hue': coverHue(room.room_id) } as CSSProperties} aria-hidden="true">
          {room.avatar_url ? <img src={room.avatar_url} alt="" decoding="async" /> : (Array.from(room.character_name || room.room_name)[0] ?? '?')}
        </div>
        <div className="room-header-text">
          <h1 id="room-title" ref={heading} tabIndex={-1}>
            <bdi>{title}</bdi>
          </h1>
          <p className="room-sub">
            <span>
              {t('home.character')}: <bdi className="strong">{room.character_name}</bdi>
            </span>
            <span aria-hidden="true"> · </span>
            <span>
              {t('home.anchor')}: <bdi className="strong">@{room.username}</bdi>
            </span>
          </p>
          {room.describe && (
            <p className="room-describe" dir="auto">
              {room.describe}
            </p>
          )}
          <div className="room-stats">
            {liveStatus ? (
              <span className="live-dot" data-testid="room-status">
                {t('room.live')}
              </span>
            ) : (
              <span className="offline-dot" data-testid="room-status">
                {t('room.stopped')}
              </span>
            )}
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
          <ShareButton title={title} url={location.href.split('#')[0]!.split('?')[0]!} />
          <button type="button" className="btn btn-ghost" onClick={() => requireLogin() && openReportDialog({ room_id: room.room_id, target: 'room' })}>
            {t('report.room')}
          </button>
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
        <RoomBody live={live} liveStatus={liveStatus} restoreFloor={restoreFloor} room={room} />
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

type Tab = 'story' | 'chat';

/**
 * The transcript and the chat: side by side on wide screens (or the transcript alone, full width,
 * in theatre mode); on a phone, two tabs that fill the screen under the room's header, each tab
 * counting what arrived while the other was shown.
 */
function RoomBody({ live, liveStatus, restoreFloor, room }: { live: LiveRoom; liveStatus: boolean; restoreFloor: number | null; room: LiveInfo['live_info'] }) {
  const { t } = useI18n();
  const session = useSession();
  const [preferences, setPreferences] = usePreferences();
  const phone = useMediaQuery(PHONE_LAYOUT);
  const [tab, setTab] = useState<Tab>('story');
  const blocks = useBlocks();
  const send = useSendUserMessage(room, (sent, message) =>
    live.addOwnMessage({ id: sent.id, uid: session.user?.uid ?? '', username: message.username, user_message: message.text, send_date: sent.send_date, badges: [] }),
  );

  const selfName = session.user?.status ? session.user.uname : (session.user?.guest_name ?? t('account.guest'));
  const selfUid = session.user?.status ? session.user.uid : '';
  const isMine = useCallback(
    (message: UserMessage) => (selfUid ? message.uid === selfUid : message.uid === '' && message.username === selfName),
    [selfUid, selfName],
  );
  const allChat = live.state.chat.messages;
  const chat = useMemo(() => allChat.filter((message) => !isBlocked(blocks.data, message)), [allChat, blocks.data]);
  const transcript = live.state.transcript.messages;
  const typingBubble = live.state.typing.bubble;
  const transcriptWithTyping = useMemo(() => transcriptRows(transcript, typingBubble), [transcript, typingBubble]);
  useRoomAnnouncements({ ready: live.ready, transcript, chat, mode: preferences.announce, selfName, isMine });

  // What arrived on the tab not shown (phones): counted from when the viewer left it, or from
  // what was there when the room opened.
  const lastFloor = transcript[transcript.length - 1]?.floor ?? -1;
  const lastChatId = chat[chat.length - 1]?.id ?? 0;
  const [leftAt, setLeftAt] = useState<{ floor?: number; chatId?: number }>({});
  const showTab = (next: Tab) => {
    if (next === tab) return;
    setLeftAt((marks) => (tab === 'story' ? { ...marks, floor: lastFloor } : { ...marks, chatId: lastChatId }));
    setTab(next);
  };
  const baseline = live.state.baseline;
  const storySeen = leftAt.floor ?? baseline?.floor;
  const chatSeen = leftAt.chatId ?? baseline?.chatId;
  const unreadStory = phone && tab !== 'story' && storySeen !== undefined ? transcript.filter((line) => line.floor > storySeen).length : 0;
  const unreadChat =
    phone && tab !== 'chat' && chatSeen !== undefined ? chat.filter((message) => message.id > chatSeen && !isMine(message)).length : 0;

  const theatre = preferences.theatre && !phone;
  const storyHidden = phone && tab !== 'story';
  const chatHidden = phone ? tab !== 'chat' : theatre;

  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight' && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    const next: Tab = event.key === 'Home' ? 'story' : event.key === 'End' ? 'chat' : tab === 'story' ? 'chat' : 'story';
    showTab(next);
    document.getElementById(`room-tab-${next}`)?.focus();
  };

  return (
    <div className={`room-body${theatre ? ' room-body-theatre' : ''}${phone ? ' room-body-tabs' : ''}`}>
      {phone && (
        <div className="room-tabs" role="tablist" aria-label={t('room.sections')} onKeyDown={onTabKey}>
          {(['story', 'chat'] as const).map((name) => {
            const unread = name === 'story' ? unreadStory : unreadChat;
            return (
              <button
                key={name}
                id={`room-tab-${name}`}
                type="button"
                role="tab"
                aria-selected={tab === name}
                aria-controls={`room-panel-${name}`}
                tabIndex={tab === name ? 0 : -1}
                className="room-tab"
                onClick={() => showTab(name)}
              >
                {name === 'story' ? t('room.tab_story') : t('room.tab_chat')}
                {unread > 0 && (
                  <span className="unread" data-testid={`unread-${name}`}>
                    <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
                    <span className="visually-hidden">{t('room.unread', { count: unread })}</span>
                  </span>
                )}
              </button>
            );
          })}
        </div>
      )}
      <section
        id="room-panel-story"
        className={storyHidden ? 'panel transcript-panel tab-hidden' : 'panel transcript-panel'}
        aria-labelledby={phone ? 'room-tab-story' : 'transcript-title'}
        role={phone ? 'tabpanel' : undefined}
        inert={storyHidden}
        style={{ '--reading-size': `${TEXT_SIZES[preferences.textSize]}rem` } as CSSProperties}
      >
        <div className="transcript-toolbar">
          <h2 id="transcript-title" className="panel-title">
            {t('room.transcript')}
          </h2>
          <ReadingControls textSize={preferences.textSize} theatre={preferences.theatre} onChange={setPreferences} />
        </div>
        {!liveStatus && <p className="room-ended muted small">{t('room.ended')}</p>}
        <GiftBurst latest={live.state.gifts.lines.at(-1)} />
        {live.loadError !== null && <ErrorText error={live.loadError} />}
        {live.ready ? (
          <Transcript
            messages={transcriptWithTyping}
            hasOlder={live.state.transcript.hasOlder}
            loadingOlder={live.loadingOlder}
            onLoadOlder={live.loadOlder}
            restoreFloor={restoreFloor}
          />
        ) : (
          live.loadError === null && (
            <p className="transcript-empty muted" aria-busy="true">
              {t('common.loading')}
            </p>
          )
        )}
      </section>
      <div
        id="room-panel-chat"
        className={chatHidden ? 'panel chat-panel tab-hidden' : 'panel chat-panel'}
        role={phone ? 'tabpanel' : undefined}
        aria-labelledby={phone ? 'room-tab-chat' : undefined}
        inert={chatHidden}
      >
        <Leaderboard roomId={room.room_id} live={live.state.leaderboard} />
        <ViewerChat
          messages={chat}
          gifts={live.state.gifts.lines}
          toolbar={<GiftButton roomId={room.room_id} disabled={live.loadError !== null} />}
          onReport={(message) => openReportDialog({ room_id: room.room_id, target: 'user_message', message_id: message.id })}
          hiddenCount={allChat.length - chat.length}
          selfName={selfName}
          selfUid={selfUid}
          send={send}
          disabled={live.loadError !== null}
        />
        <AnnounceSetting mode={preferences.announce} onChange={(announce) => setPreferences({ announce })} />
      </div>
    </div>
  );
}

function ReadingControls({ textSize, theatre, onChange }: { textSize: number; theatre: boolean; onChange(change: { textSize?: number; theatre?: boolean }): void }) {
  const { t } = useI18n();
  return (
    <div className="reading-controls">
      <button
        type="button"
        className="btn btn-icon"
        aria-label={t('room.text_smaller')}
        title={t('room.text_smaller')}
        disabled={textSize === 0}
        onClick={() => onChange({ textSize: textSize - 1 })}
      >
        <span aria-hidden="true" className="text-size-small">
          A
        </span>
      </button>
      <button
        type="button"
        className="btn btn-icon"
        aria-label={t('room.text_larger')}
        title={t('room.text_larger')}
        disabled={textSize === TEXT_SIZES.length - 1}
        onClick={() => onChange({ textSize: textSize + 1 })}
      >
        <span aria-hidden="true" className="text-size-large">
          A
        </span>
      </button>
      <button
        type="button"
        className={theatre ? 'btn btn-icon btn-active theatre-toggle' : 'btn btn-icon theatre-toggle'}
        aria-pressed={theatre}
        aria-label={t('room.theatre')}
        title={t('room.theatre')}
        onClick={() => onChange({ theatre: !theatre })}
      >
        <TheatreIcon />
      </button>
    </div>
  );
}

function AnnounceSetting({ mode, onChange }: { mode: AnnounceMode; onChange(mode: AnnounceMode): void }) {
  const { t } = useI18n();
  return (
    <div className="announce-setting">
      <label htmlFor="announce-mode" className="small muted">
        {t('chat.announce')}
      </label>
      <select id="announce-mode" value={mode} onChange={(event) => onChange(event.target.value as AnnounceMode)}>
        <option value="all">{t('chat.announce_all')}</option>
        <option value="mentions">{t('chat.announce_mentions')}</option>
        <option value="off">{t('chat.announce_off')}</option>
      </select>
    </div>
  );
}
