/**
 * The live side of an open room: loads both histories, then goes live over the WebSocket,
 * resuming from what the histories returned so nothing posted in between is lost. When a resume
 * could not carry everything missed (hello says resume_complete:false), the histories are reloaded.
 * The history pages are the start of a stream folded into one reducer with the socket's frames, not
 * answers to cache and share, so they are fetched here directly rather than through the query cache.
 *
 * The histories are asked for as soon as the page opens, at the same time as the room's info: most
 * rooms are open to everyone, and waiting for the info first would cost a round trip on every
 * visit. If the info then says the room is locked, the answer (a refusal) is dropped; once the
 * viewer pays, they are asked for again. The socket opens only when the room is known to be open.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../shared/api/client.ts';
import { getLiveChatHistory } from '../api/get-live-chat-history.ts';
import type { UserMessage } from '../api/get-user-chat-history.ts';
import type { ServerFrame } from '../api/frames.ts';
import { RoomSocket, type ConnectionState } from '../api/room-socket.ts';
import { HISTORY_PAGE_SIZE, loadHistories, peekPrimed, takePrimed, type Histories } from './primed-histories.ts';
import { initialRoomState, resumeCursor, roomReducer, type RoomAction, type RoomLiveState } from './room.ts';
import { oldestFloor } from './transcript.ts';
import { typingTimeout } from './typing.ts';
/** At most this many older pages are loaded to bring back a reader's place after a reload. */
const RESTORE_MAX_PAGES = 10;

/** What the room's info says about entering: not known yet, open to this viewer, or behind a paywall. */
export type RoomAccess = 'unknown' | 'open' | 'locked';

export interface LiveRoom {
  state: RoomLiveState;
  connection: ConnectionState;
  /** Both histories are in (and, when restoring, the page holding the reader's place). */
  ready: boolean;
  loadError: unknown;
  loadingOlder: boolean;
  loadOlder(): void;
  /** Adds the viewer's own message at once (the broadcast copy is then recognised by id). */
  addOwnMessage(message: UserMessage): void;
}

/** The state the first histories make, and the server time they were read at. */
function fromHistories([live, viewers]: Histories): { state: RoomLiveState; readAt: number } {
  let state = roomReducer(initialRoomState(), { type: 'history', messages: live.chat_info, older: false, hasMore: live.has_more });
  state = roomReducer(state, { type: 'viewer_history', messages: viewers.chat_info });
  return { state, readAt: Math.min(live.server_time, viewers.server_time) };
}

export interface LiveRoomOptions {
  /** Every frame as it arrives, after the room state took it (the console reads its owner-only frames here). */
  onFrame?(frame: ServerFrame): void;
}

export function useLiveRoom(roomId: string, access: RoomAccess, restoreFloor: number | null, options: LiveRoomOptions = {}): LiveRoom {
  // Histories that arrived before the first render (preloaded with the page) draw the room at once,
  // unless the reader's place lies further back and older pages must come first.
  const [first] = useState(() => {
    const primed = restoreFloor === null ? peekPrimed(roomId)?.value : undefined;
    return primed ? fromHistories(primed) : null;
  });
  const [state, setState] = useState(() => first?.state ?? initialRoomState());
  // The socket reads the resume cursor synchronously, so the reduced state is kept here too.
  const current = useRef(state);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [loadError, setLoadError] = useState<unknown>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  /** Server time the histories were read at; set once they are in, which lets the socket open. */
  const [historyReadAt, setHistoryReadAt] = useState<number | null>(first?.readAt ?? null);
  const restoreFrom = useRef(restoreFloor);
  const onFrame = useRef(options.onFrame);
  useEffect(() => {
    onFrame.current = options.onFrame;
  });

  const apply = useCallback((action: RoomAction) => {
    current.current = roomReducer(current.current, action);
    setState(current.current);
  }, []);

  const wantHistory = access !== 'locked';
  const drawnFromPrimed = useRef(first !== null);
  useEffect(() => {
    if (!wantHistory) return;
    const primed = takePrimed(roomId);
    if (drawnFromPrimed.current) {
      drawnFromPrimed.current = false;
      return;
    }
    let cancelled = false;
    const load = async () => {
      const [live, viewers] = await (primed?.promise ?? loadHistories(roomId));
      if (cancelled) return;
      setLoadError(null);
      apply({ type: 'history', messages: live.chat_info, older: false, hasMore: live.has_more });
      apply({ type: 'viewer_history', messages: viewers.chat_info });
      // Back to where the reader was before a reload: page back until their line is loaded.
      const floor = restoreFrom.current;
      for (let pages = 0; floor !== null && pages < RESTORE_MAX_PAGES && current.current.transcript.hasOlder; pages++) {
        const oldest = oldestFloor(current.current.transcript);
        if (oldest === null || oldest <= floor) break;
        const page = await getLiveChatHistory(roomId, { beforeFloor: oldest, limit: HISTORY_PAGE_SIZE });
        if (cancelled) return;
        apply({ type: 'history', messages: page.chat_info, older: true, hasMore: page.has_more });
      }
      setHistoryReadAt(Math.min(live.server_time, viewers.server_time));
    };
    load().catch((err: unknown) => {
      if (cancelled) return;
      // Asked before the info said so: a paid room refuses, and the paywall explains that.
      if (err instanceof ApiError && err.error === 'vip_required') return;
      setLoadError(err);
    });
    return () => {
      cancelled = true;
    };
  }, [roomId, wantHistory, apply]);

  const open = access === 'open';
  useEffect(() => {
    if (!open || historyReadAt === null) return;
    let stopped = false;
    const reload = () => {
      loadHistories(roomId).then(
        ([fresh, freshViewers]) => {
          if (!stopped) apply({ type: 'reload', messages: fresh.chat_info, hasMore: fresh.has_more, viewerMessages: freshViewers.chat_info });
        },
        (err: unknown) => {
          if (!stopped) setLoadError(err);
        },
      );
    };
    const socket = new RoomSocket(
      roomId,
      {
        onFrame: (frame) => {
          apply({ type: 'frame', frame });
          onFrame.current?.(frame);
          if (frame.type === 'hello' && frame.data.resume_complete === false) reload();
        },
        onState: setConnection,
        resumeCursor: () => resumeCursor(current.current),
      },
      // Edits made after the histories were read, to lines they returned, come with the replay.
      historyReadAt,
    );
    socket.start();
    return () => {
      stopped = true;
      socket.stop();
    };
  }, [roomId, open, historyReadAt, apply]);

  // A bubble nothing more came for (the tool stopped or went away, or done without a line) goes away.
  const bubble = state.typing.bubble;
  useEffect(() => {
    if (!bubble) return;
    const timer = setTimeout(() => apply({ type: 'typing_silence', bubble }), typingTimeout(bubble));
    return () => clearTimeout(timer);
  }, [bubble, apply]);

  const loadOlder = useCallback(() => {
    const before = oldestFloor(current.current.transcript);
    if (before === null) return;
    setLoadingOlder(true);
    getLiveChatHistory(roomId, { beforeFloor: before, limit: HISTORY_PAGE_SIZE })
      .then((page) => apply({ type: 'history', messages: page.chat_info, older: true, hasMore: page.has_more }), setLoadError)
      .finally(() => setLoadingOlder(false));
  }, [roomId, apply]);

  const addOwnMessage = useCallback((message: UserMessage) => apply({ type: 'sent', message }), [apply]);

  return { state, connection, ready: historyReadAt !== null, loadError, loadingOlder, loadOlder, addOwnMessage };
}
