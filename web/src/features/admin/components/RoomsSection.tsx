import { useState, type FormEvent } from 'react';
import { Link, roomPath } from '../../../shared/router.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { useRefreshAdmin, useRoomReview, useRooms, type AdminRoom, type RoomStatus } from '../api.ts';
import { useAdminText } from '../use-admin-text.ts';
import { openActionDialog } from './ActionDialog.tsx';
import { LoadMore } from './LoadMore.tsx';

const STATUSES: Array<[RoomStatus, 'admin.status_all' | 'admin.status_live' | 'admin.status_taken_down' | 'admin.status_reported']> = [
  ['all', 'admin.status_all'],
  ['live', 'admin.status_live'],
  ['reported', 'admin.status_reported'],
  ['taken_down', 'admin.status_taken_down'],
];

function RoomActions({ room }: { room: AdminRoom }) {
  const at = useAdminText();
  const refresh = useRefreshAdmin();
  return room.taken_down ? (
    <button type="button" className="btn" onClick={() => openActionDialog(`${at('admin.restore')}: ${room.room_name}`, { kind: 'restore', roomId: room.room_id }, () => void refresh())}>
      {at('admin.restore')}
    </button>
  ) : (
    <button
      type="button"
      className="btn btn-danger"
      onClick={() => openActionDialog(`${at('admin.take_down')}: ${room.room_name}`, { kind: 'take_down', roomId: room.room_id }, () => void refresh())}
    >
      {at('admin.take_down')}
    </button>
  );
}

function RoomSummary({ room }: { room: AdminRoom }) {
  const at = useAdminText();
  return (
    <>
      <span className={room.live_status ? 'admin-badge admin-badge-live' : 'admin-badge'}>{at(room.live_status ? 'admin.live' : 'admin.stopped')}</span>
      <span className="muted">{room.anchor_username}</span>
      <span className="muted">{at('admin.viewers', { count: room.live_num })}</span>
      {room.open_reports > 0 && <span className="admin-badge admin-badge-danger">{at('admin.reports', { count: room.open_reports })}</span>}
      {room.taken_down && <span className="admin-badge admin-badge-danger">{at('admin.taken_down', { reason: room.taken_down.reason })}</span>}
    </>
  );
}

export function RoomsSection() {
  const at = useAdminText();
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<RoomStatus>('all');
  const rooms = useRooms(query, status);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery(typed.trim());
  };
  return (
    <section className="admin-section" aria-label={at('admin.rooms')}>
      <form className="admin-search" role="search" onSubmit={submit}>
        <input aria-label={at('admin.search_rooms')} placeholder={at('admin.search_rooms')} value={typed} onChange={(event) => setTyped(event.target.value)} />
        <label>
          <span className="visually-hidden">{at('admin.status')}</span>
          <select value={status} onChange={(event) => setStatus(event.target.value as RoomStatus)}>
            {STATUSES.map(([value, key]) => (
              <option key={value} value={value}>
                {at(key)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn">
          {at('admin.search')}
        </button>
      </form>
      <ErrorText error={rooms.error} />
      {rooms.data?.length === 0 && <p className="muted">{at('admin.none')}</p>}
      <ul className="admin-list">
        {rooms.data?.map((room) => (
          <li key={room.room_id} className="admin-row" data-room-id={room.room_id}>
            <Link href={`/admin/rooms/${encodeURIComponent(room.room_id)}`}>{room.room_name}</Link>
            <RoomSummary room={room} />
            <span className="admin-row-end">
              <RoomActions room={room} />
            </span>
          </li>
        ))}
      </ul>
      <LoadMore list={rooms} />
    </section>
  );
}

export function RoomReviewSection({ roomId }: { roomId: string }) {
  const at = useAdminText();
  const review = useRoomReview(roomId);
  const refresh = useRefreshAdmin();
  if (review.isError) return <ErrorText error={review.error} />;
  if (!review.data) return null;
  const { room, lines, user_messages: messages } = review.data;
  return (
    <section className="admin-section" aria-label={room.room_name}>
      <Link href="/admin/rooms" className="btn btn-ghost admin-back">
        {at('admin.back')}
      </Link>
      <div className="admin-card">
        <h2>{room.room_name}</h2>
        <p className="admin-row">
          <RoomSummary room={room} />
        </p>
        <div className="admin-actions">
          <RoomActions room={room} />
          <Link href={roomPath(room.room_id)} className="btn btn-ghost">
            {at('admin.open_room')}
          </Link>
        </div>
      </div>
      <div className="admin-grid">
        <div className="admin-card">
          <h3>{at('admin.transcript')}</h3>
          <ul className="admin-list">
            {lines.map((line) => (
              <li key={line.floor} className={line.removed ? 'admin-line admin-removed' : 'admin-line'}>
                <strong>
                  #{line.floor} {line.sender_name}
                </strong>
                <span className="admin-text">{line.message}</span>
                {line.removed ? (
                  <span className="admin-badge">{at('admin.removed')}</span>
                ) : line.hidden ? (
                  <span className="admin-badge">{at('admin.hidden')}</span>
                ) : (
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => openActionDialog(`${at('admin.remove')} #${line.floor}`, { kind: 'remove_line', roomId, floor: line.floor }, () => void refresh())}
                  >
                    {at('admin.remove')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
        <div className="admin-card">
          <h3>{at('admin.viewer_chat')}</h3>
          <ul className="admin-list">
            {messages.map((message) => (
              <li key={message.id} className={message.removed ? 'admin-line admin-removed' : 'admin-line'}>
                <strong>{message.username}</strong>
                <span className="admin-text">{message.message}</span>
                {message.removed ? (
                  <span className="admin-badge">{at('admin.removed')}</span>
                ) : (
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => openActionDialog(`${at('admin.remove')}: ${message.username}`, { kind: 'remove_user_message', roomId, id: message.id }, () => void refresh())}
                  >
                    {at('admin.remove')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
