import { useState } from 'react';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { Link, roomPath, studioRoomPath } from '../../../shared/router.tsx';
import { useArchiveRoom, useDeleteRoom, useSetLive, type AnchorRoom } from '../api.ts';
import { useStudioText } from '../use-studio-text.ts';
import { RoomForm } from './RoomForm.tsx';
import { StudioError } from './StudioError.tsx';

/** The anchor's rooms: live state and counts at a glance, go live / stop, edit, create. */
export function RoomsSection({ rooms }: { rooms: AnchorRoom[] }) {
  const st = useStudioText();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const setLive = useSetLive();
  const archive = useArchiveRoom();
  const remove = useDeleteRoom();
  const [notice, setNotice] = useState<string | null>(null);
  const editedRoom = rooms.find((room) => room.room_id === editing);

  return (
    <section className="studio-section" aria-label={st('studio.rooms')}>
      <div className="studio-actions">
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} disabled={editing === 'new'}>
          + {st('rooms.new')}
        </button>
      </div>
      {editing === 'new' && <RoomForm onDone={() => setEditing(null)} />}
      <StudioError error={setLive.error ?? archive.error ?? remove.error} />
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      {rooms.length === 0 && editing !== 'new' && <p className="muted studio-empty">{st('rooms.empty')}</p>}
      <ul className="studio-rooms">
        {rooms.map((room) =>
          editing === room.room_id && editedRoom ? (
            <li key={room.room_id}>
              <RoomForm key={room.room_id} room={editedRoom} onDone={() => setEditing(null)} />
            </li>
          ) : (
            <li key={room.room_id}>
              <RoomRow
                room={room}
                onEdit={() => setEditing(room.room_id)}
                onLive={(live) => setLive.mutate({ roomId: room.room_id, live })}
                onArchive={(archived) => archive.mutate({ roomId: room.room_id, archived })}
                onDelete={() => {
                  if (!window.confirm(st('rooms.delete_confirm', { name: room.room_name }))) return;
                  remove.mutate(room.room_id, {
                    onSuccess: (result) =>
                      setNotice(st(result.outcome === 'deleted' ? 'rooms.deleted' : 'rooms.archived_instead', { name: room.room_name })),
                  });
                }}
                busy={
                  (setLive.isPending && setLive.variables.roomId === room.room_id) ||
                  (archive.isPending && archive.variables.roomId === room.room_id) ||
                  (remove.isPending && remove.variables === room.room_id)
                }
              />
            </li>
          ),
        )}
      </ul>
    </section>
  );
}

interface RoomRowProps {
  room: AnchorRoom;
  onEdit: () => void;
  onLive: (live: boolean) => void;
  onArchive: (archived: boolean) => void;
  onDelete: () => void;
  busy: boolean;
}

function RoomRow({ room, onEdit, onLive, onArchive, onDelete, busy }: RoomRowProps) {
  const { formatNumber, formatDateTime } = useI18n();
  const st = useStudioText();
  const price = formatNumber(room.coin_num);
  return (
    <article className={room.archived ? 'studio-card studio-room studio-archived' : 'studio-card studio-room'} data-testid="studio-room">
      <div className="studio-room-head">
        {room.archived ? (
          <span className="badge studio-stopped">{st('rooms.archived')}</span>
        ) : (
          <span className={room.live_status ? 'badge studio-live' : 'badge studio-stopped'}>{room.live_status ? st('rooms.live') : st('rooms.stopped')}</span>
        )}
        <h3 className="studio-room-name">
          <bdi>{room.room_name}</bdi>
        </h3>
        <span className={room.room_type === 0 ? 'badge badge-free' : room.room_type === 1 ? 'badge badge-vip' : 'badge badge-private'}>
          {room.room_type === 0 ? st('rooms.free') : st(room.room_type === 1 ? 'rooms.vip' : 'rooms.private', { price })}
        </span>
      </div>
      {room.title && (
        <p className="studio-room-title">
          <bdi>{room.title}</bdi>
        </p>
      )}
      <p className="muted studio-room-stats">
        <span>{st('rooms.viewers', { count: formatNumber(room.live_num) })}</span>
        <span>{st('rooms.lines', { count: formatNumber(room.live_message_count ?? 0) })}</span>
        <span>{st('rooms.chats', { count: formatNumber(room.user_message_count ?? 0) })}</span>
        <span>{st('rooms.last_activity', { time: formatDateTime(room.last_activity_at) })}</span>
        <span>{st('rooms.created', { time: formatDateTime(room.created_at) })}</span>
      </p>
      <div className="studio-actions">
        {!room.archived && (
          <button type="button" className={room.live_status ? 'btn' : 'btn btn-primary'} onClick={() => onLive(!room.live_status)} disabled={busy}>
            {room.live_status ? st('rooms.stop') : st('rooms.go_live')}
          </button>
        )}
        <Link href={studioRoomPath(room.room_id)} className="btn btn-ghost">
          {st('rooms.dashboard')}
        </Link>
        <button type="button" className="btn btn-ghost" onClick={onEdit}>
          {st('rooms.edit')}
        </button>
        <a className="btn btn-ghost" href={roomPath(room.room_id)} target="_blank" rel="noopener">
          {st('rooms.open_public')} ↗
        </a>
        <button type="button" className="btn btn-ghost" onClick={() => onArchive(!room.archived)} disabled={busy}>
          {room.archived ? st('rooms.restore') : st('rooms.archive')}
        </button>
        <button type="button" className="btn btn-ghost btn-danger" onClick={onDelete} disabled={busy}>
          {st('rooms.delete')}
        </button>
      </div>
    </article>
  );
}
