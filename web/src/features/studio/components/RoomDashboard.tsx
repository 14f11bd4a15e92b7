/**
 * One room while it is on: the transcript as viewers see it (the viewer page's own component and
 * live connection), the viewer chat with mute and delete, and viewers over time.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { components } from '../../../shared/api/schema.gen.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { Link, roomPath } from '../../../shared/router.tsx';
import { Transcript, useLiveRoom, type LiveRoomOptions } from '../../rooms/index.ts';
import { useDeleteViewerMessage, useEarningsChanged, useMuteViewer, useRecentEarnings, useSetLive, type AnchorRoom } from '../api.ts';
import { fromEarnings, fromFrame, mergePayments, type RoomPaymentItem } from '../state/room-payments.ts';
import { addSample, chartPoints, type ViewerSample } from '../state/viewer-samples.ts';
import { useStudioText } from '../use-studio-text.ts';
import { RoomPayments } from './RoomPayments.tsx';
import { StudioError } from './StudioError.tsx';

type UserMessage = components['schemas']['UserMessage'];

const MUTE_CHOICES = [10, 60, 24 * 60] as const;
const CHART_WIDTH = 300;
const CHART_HEIGHT = 60;

export function RoomDashboard({ room }: { room: AnchorRoom }) {
  const { t, formatNumber } = useI18n();
  const st = useStudioText();
  const recent = useRecentEarnings();
  const earningsChanged = useEarningsChanged();
  const [livePayments, setLivePayments] = useState<RoomPaymentItem[]>([]);
  const onFrame = useCallback<NonNullable<LiveRoomOptions['onFrame']>>(
    (frame) => {
      if (frame.type !== 'room_payment') return;
      setLivePayments((current) => mergePayments(current, [fromFrame(frame.data)]));
      void earningsChanged();
    },
    [earningsChanged],
  );
  const live = useLiveRoom(room.room_id, 'open', null, { onFrame });
  const payments = useMemo(
    () => mergePayments(fromEarnings(recent.data ?? [], room.room_id), livePayments),
    [recent.data, room.room_id, livePayments],
  );
  const setLive = useSetLive();
  const liveNow = live.state.synced ? live.state.liveStatus : room.live_status;
  const viewers = live.state.synced ? live.state.liveNum : room.live_num;

  return (
    <div className="studio-dashboard">
      <div className="studio-room-head">
        <span className={liveNow ? 'badge studio-live' : 'badge studio-stopped'}>{liveNow ? st('rooms.live') : st('rooms.stopped')}</span>
        <h2 className="studio-room-name">
          <bdi>{room.room_name}</bdi>
        </h2>
        <span className="muted">{st('rooms.viewers', { count: formatNumber(viewers) })}</span>
        <div className="studio-actions studio-dashboard-actions">
          <button
            type="button"
            className={liveNow ? 'btn' : 'btn btn-primary'}
            disabled={setLive.isPending}
            onClick={() => setLive.mutate({ roomId: room.room_id, live: !liveNow })}
          >
            {liveNow ? st('rooms.stop') : st('rooms.go_live')}
          </button>
          <a className="btn btn-ghost" href={roomPath(room.room_id)} target="_blank" rel="noopener">
            {st('rooms.open_public')} ↗
          </a>
          <Link href="/studio" className="btn btn-ghost">
            ← {st('studio.rooms')}
          </Link>
        </div>
      </div>
      <StudioError error={setLive.error ?? live.loadError} />
      <div className="studio-dashboard-grid">
        <section className="panel transcript-panel studio-transcript" aria-labelledby="dashboard-transcript">
          <h3 id="dashboard-transcript" className="panel-title">
            {t('room.transcript')}
          </h3>
          {live.ready ? (
            <Transcript
              messages={live.state.transcript.messages}
              hasOlder={live.state.transcript.hasOlder}
              loadingOlder={live.loadingOlder}
              onLoadOlder={live.loadOlder}
              restoreFloor={null}
            />
          ) : (
            <p className="muted">{t('common.loading')}</p>
          )}
        </section>
        <div className="studio-dashboard-side">
          <RoomPayments payments={payments} loading={recent.isPending} />
          <ViewerChart viewers={viewers} />
          <ModeratedChat roomId={room.room_id} messages={live.state.chat.messages} />
        </div>
      </div>
    </div>
  );
}

function ViewerChart({ viewers }: { viewers: number }) {
  const st = useStudioText();
  const { formatNumber } = useI18n();
  const [samples, setSamples] = useState<ViewerSample[]>([]);
  const [now, setNow] = useState(() => Date.now());
  // A reading at once when the count changes, then every few seconds so the line moves on while it holds.
  useEffect(() => {
    const tick = () => {
      const at = Date.now();
      setSamples((current) => addSample(current, at, viewers));
      setNow(at);
    };
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 5_000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [viewers]);
  const peak = samples.reduce((max, sample) => Math.max(max, sample.viewers), 0);
  return (
    <section className="studio-card" aria-labelledby="dashboard-viewers">
      <h3 id="dashboard-viewers" className="panel-title">
        {st('dashboard.viewers_title')}
      </h3>
      <svg
        className="studio-chart"
        viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={st('dashboard.viewers_chart', { now: formatNumber(viewers), peak: formatNumber(peak) })}
      >
        <polyline points={chartPoints(samples, now, CHART_WIDTH, CHART_HEIGHT)} fill="none" vectorEffect="non-scaling-stroke" />
      </svg>
      <p className="muted studio-chart-legend">{st('dashboard.viewers_chart', { now: formatNumber(viewers), peak: formatNumber(peak) })}</p>
    </section>
  );
}

function ModeratedChat({ roomId, messages }: { roomId: string; messages: readonly UserMessage[] }) {
  const st = useStudioText();
  const { formatTime } = useI18n();
  const mute = useMuteViewer(roomId);
  const remove = useDeleteViewerMessage(roomId);
  const [minutes, setMinutes] = useState<number>(MUTE_CHOICES[0]);
  const [muted, setMuted] = useState<string | null>(null);
  const recent = messages.slice(-100).reverse();
  return (
    <section className="studio-card studio-moderation" aria-labelledby="dashboard-chat">
      <div className="studio-room-head">
        <h3 id="dashboard-chat" className="panel-title">
          {st('dashboard.chat_title')}
        </h3>
        <label className="studio-mute-length">
          <span>{st('dashboard.mute_for')}</span>
          <select value={minutes} onChange={(event) => setMinutes(Number(event.target.value))}>
            {MUTE_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {st(choice === 10 ? 'dashboard.mute_10m' : choice === 60 ? 'dashboard.mute_1h' : 'dashboard.mute_1d')}
              </option>
            ))}
          </select>
        </label>
      </div>
      <StudioError error={mute.error ?? remove.error} />
      {muted && (
        <p className="muted" role="status">
          {st('dashboard.muted', { name: muted })}
        </p>
      )}
      {recent.length === 0 && <p className="muted">{st('dashboard.chat_empty')}</p>}
      <ol className="studio-chat-list">
        {recent.map((message) => (
          <li key={message.id} className="studio-chat-item" data-testid="dashboard-chat-message">
            <div>
              <strong>
                <bdi>{message.username}</bdi>
              </strong>{' '}
              <span className="muted">{formatTime(message.send_date)}</span>
              <p dir="auto">{message.user_message}</p>
            </div>
            <div className="studio-actions">
              <button
                type="button"
                className="btn btn-small"
                disabled={mute.isPending}
                aria-label={`${st('dashboard.mute')}: ${message.username}`}
                onClick={() =>
                  mute.mutate(message.uid ? { uid: message.uid, minutes } : { guest_name: message.username, minutes }, {
                    onSuccess: () => setMuted(message.username),
                  })
                }
              >
                {st('dashboard.mute')}
              </button>
              <button
                type="button"
                className="btn btn-small btn-danger"
                disabled={remove.isPending}
                aria-label={`${st('dashboard.delete')}: ${message.user_message.slice(0, 40)}`}
                onClick={() => remove.mutate(message.id)}
              >
                {st('dashboard.delete')}
              </button>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
