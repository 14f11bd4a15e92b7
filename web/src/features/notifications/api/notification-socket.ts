/**
 * The signed-in viewer's notification socket (`/ws/notifications`): one per tab, reconnecting with
 * backoff, and treating a silence of twice the server's heartbeat as a dead connection.
 */
import type { components } from '../../../shared/api/schema.gen.ts';

type Schemas = components['schemas'];
export type NotificationFrame = Schemas['NotificationsHelloFrame'] | Schemas['FollowedLiveFrame'] | Schemas['HeartbeatFrame'] | Schemas['PongFrame'];

const MAX_BACKOFF_MS = 30_000;

export function notificationSocketUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/notifications`;
}

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter. */
export function notificationReconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** attempt);
  return Math.round(base * (0.5 + random() / 2));
}

/** Opens the socket and keeps it open until the returned function is called. */
export function openNotificationSocket(onFrame: (frame: NotificationFrame) => void): () => void {
  let socket: WebSocket | null = null;
  let attempt = 0;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let silenceTimer: ReturnType<typeof setTimeout> | undefined;
  let silenceMs = 60_000;

  const watchSilence = () => {
    clearTimeout(silenceTimer);
    silenceTimer = setTimeout(() => socket?.close(), 2 * silenceMs);
  };

  const connect = () => {
    if (stopped) return;
    const current = new WebSocket(notificationSocketUrl());
    socket = current;
    current.onmessage = (message) => {
      watchSilence();
      let frame: NotificationFrame;
      try {
        frame = JSON.parse(String(message.data)) as NotificationFrame;
      } catch {
        return;
      }
      if (frame.type === 'hello') {
        attempt = 0;
        silenceMs = frame.data.heartbeat_ms;
      }
      onFrame(frame);
    };
    current.onclose = () => {
      clearTimeout(silenceTimer);
      if (stopped || socket !== current) return;
      retryTimer = setTimeout(connect, notificationReconnectDelay(attempt++));
    };
    watchSilence();
  };

  connect();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    clearTimeout(silenceTimer);
    socket?.close();
    socket = null;
  };
}
