/**
 * Opens a room the viewer may enter: loads both histories, then goes live over the WebSocket,
 * resuming from what the histories returned so nothing posted in between is lost. When a resume
 * could not carry everything missed (hello says resume_complete:false), the histories are reloaded.
 * The history pages are the start of a stream folded into one reducer with the socket's frames, not
 * answers to cache and share, so they are fetched here directly rather than through the query cache.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { getLiveChatHistory } from '../api/get-live-chat-history.ts';
import { getUserChatHistory, type UserMessage } from '../api/get-user-chat-history.ts';
import { RoomSocket, type ConnectionState } from '../api/room-socket.ts';
import { initialRoomState, resumeCursor, roomReducer, type RoomAction, type RoomLiveState } from './room.ts';
import { oldestFloor } from './transcript.ts';

export const HISTORY_PAGE_SIZE = 200;

export interface LiveRoom {
  state: RoomLiveState;
  connection: ConnectionState;
  loadError: unknown;
  loadingOlder: boolean;
  loadOlder(): void;
  /** Adds the viewer's own message at once (the broadcast copy is then recognised by id). */
  addOwnMessage(message: UserMessage): void;
}

export function useLiveRoom(roomId: string, enabled: boolean, initial: { liveNum: number; liveStatus: boolean }): LiveRoom {
  const [state, setState] = useState(() => initialRoomState(initial.liveNum, initial.liveStatus));
  // The socket reads the resume cursor synchronously, so the reduced state is kept here too.
  const current = useRef(state);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [loadError, setLoadError] = useState<unknown>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);

  const apply = useCallback((action: RoomAction) => {
    current.current = roomReducer(current.current, action);
    setState(current.current);
  }, []);

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    let socket: RoomSocket | null = null;
    const loadLatest = () => Promise.all([getLiveChatHistory(roomId, { limit: HISTORY_PAGE_SIZE }), getUserChatHistory(roomId)]);
    loadLatest().then(
      ([live, viewers]) => {
        if (cancelled) return;
        setLoadError(null);
        apply({ type: 'history', messages: live.chat_info, older: false, hasMore: live.has_more });
        apply({ type: 'viewer_history', messages: viewers.chat_info });
        const reload = () => {
          loadLatest().then(
            ([fresh, freshViewers]) => {
              if (!cancelled) {
                apply({ type: 'reload', messages: fresh.chat_info, hasMore: fresh.has_more, viewerMessages: freshViewers.chat_info });
              }
            },
            (err: unknown) => {
              if (!cancelled) setLoadError(err);
            },
          );
        };
        socket = new RoomSocket(
          roomId,
          {
            onFrame: (frame) => {
              apply({ type: 'frame', frame });
              if (frame.type === 'hello' && frame.data.resume_complete === false) reload();
            },
            onState: setConnection,
            resumeCursor: () => resumeCursor(current.current),
          },
          // Edits made after the histories were read, to lines they returned, come with the replay.
          Math.min(live.server_time, viewers.server_time),
        );
        socket.start();
      },
      (err: unknown) => {
        if (!cancelled) setLoadError(err);
      },
    );
    return () => {
      cancelled = true;
      socket?.stop();
    };
  }, [roomId, enabled, apply]);

  const loadOlder = useCallback(() => {
    const before = oldestFloor(current.current.transcript);
    if (before === null) return;
    setLoadingOlder(true);
    getLiveChatHistory(roomId, { beforeFloor: before, limit: HISTORY_PAGE_SIZE })
      .then((page) => apply({ type: 'history', messages: page.chat_info, older: true, hasMore: page.has_more }), setLoadError)
      .finally(() => setLoadingOlder(false));
  }, [roomId, apply]);

  const addOwnMessage = useCallback((message: UserMessage) => apply({ type: 'sent', message }), [apply]);

  return { state, connection, loadError, loadingOlder, loadOlder, addOwnMessage };
}
