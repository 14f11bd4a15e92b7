/**
 * The go-live notices on screen: newest first, at most a few, each once (a reconnect or a second
 * delivery of the same go-live shows nothing new). Pure, so it is tested without a browser.
 */
import type { components } from '../../../shared/api/schema.gen.ts';

export type FollowedLive = components['schemas']['FollowedLiveData'];

export interface Toast {
  /** The go-live it announces: room and time. */
  key: string;
  notice: FollowedLive;
}

export interface ToastState {
  toasts: Toast[];
  /** Every go-live shown in this tab, so a dismissed one does not come back. */
  seen: string[];
}

export const MAX_TOASTS = 3;
const SEEN_LIMIT = 200;

export const initialToasts: ToastState = { toasts: [], seen: [] };

export type ToastAction = { type: 'went_live'; notice: FollowedLive } | { type: 'dismiss'; key: string };

export function toastKey(notice: FollowedLive): string {
  return `${notice.room_id}@${notice.went_live_at}`;
}

export function toastsReducer(state: ToastState, action: ToastAction): ToastState {
  if (action.type === 'dismiss') return { ...state, toasts: state.toasts.filter((toast) => toast.key !== action.key) };
  const key = toastKey(action.notice);
  if (state.seen.includes(key)) return state;
  // A newer go-live of the same room replaces its older notice.
  const others = state.toasts.filter((toast) => toast.notice.room_id !== action.notice.room_id);
  return {
    toasts: [{ key, notice: action.notice }, ...others].slice(0, MAX_TOASTS),
    seen: [key, ...state.seen].slice(0, SEEN_LIMIT),
  };
}
