import { useState, type FormEvent } from 'react';
import { Link } from '../../../shared/router.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { useRefreshAdmin, useUserDetail, useUserSearch, type AdminUser } from '../api.ts';
import { useAdminText } from '../use-admin-text.ts';
import { openActionDialog } from './ActionDialog.tsx';

const when = (iso: string) => new Date(iso).toLocaleString();

function UserBadges({ user }: { user: AdminUser }) {
  const at = useAdminText();
  return (
    <>
      {user.is_anchor && <span className="admin-badge">{at('admin.anchor')}</span>}
      {user.is_operator && <span className="admin-badge">{at('admin.operator')}</span>}
      {user.deleted && <span className="admin-badge">{at('admin.deleted')}</span>}
      {user.ban_reason !== null && <span className="admin-badge admin-badge-danger">{at('admin.banned', { reason: user.ban_reason })}</span>}
    </>
  );
}

export function PeopleSection() {
  const at = useAdminText();
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState('');
  const users = useUserSearch(query);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery(typed.trim());
  };
  return (
    <section className="admin-section" aria-label={at('admin.people')}>
      <form className="admin-search" role="search" onSubmit={submit}>
        <input aria-label={at('admin.search_people')} placeholder={at('admin.search_people')} value={typed} onChange={(event) => setTyped(event.target.value)} />
        <button type="submit" className="btn">
          {at('admin.search')}
        </button>
      </form>
      <ErrorText error={users.error} />
      {users.data?.length === 0 && <p className="muted">{at('admin.none')}</p>}
      <ul className="admin-list">
        {users.data?.map((user) => (
          <li key={user.uid} className="admin-row">
            <Link href={`/admin/people/${encodeURIComponent(user.uid)}`}>{user.username}</Link>
            <span className="muted admin-mono">{user.uid}</span>
            <UserBadges user={user} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function UserDetailSection({ uid }: { uid: string }) {
  const at = useAdminText();
  const detail = useUserDetail(uid);
  const refresh = useRefreshAdmin();
  if (detail.isError) return <ErrorText error={detail.error} />;
  if (!detail.data) return null;
  const { user, coin_num: coins, transactions, rooms, sessions, tokens } = detail.data;
  const banned = user.ban_reason !== null;
  return (
    <section className="admin-section" aria-label={user.username}>
      <Link href="/admin/people" className="btn btn-ghost admin-back">
        {at('admin.back')}
      </Link>
      <div className="admin-card">
        <h2>
          {user.username} <UserBadges user={user} />
        </h2>
        <p className="muted admin-mono">{user.uid}</p>
        <p data-testid="admin-balance">{at('admin.balance', { count: coins })}</p>
        <div className="admin-actions">
          <button
            type="button"
            className={banned ? 'btn' : 'btn btn-danger'}
            onClick={() => openActionDialog(`${at(banned ? 'admin.unban' : 'admin.ban')}: ${user.username}`, { kind: banned ? 'unban' : 'ban', uid }, () => void refresh())}
          >
            {at(banned ? 'admin.unban' : 'admin.ban')}
          </button>
          <button type="button" className="btn" onClick={() => openActionDialog(`${at('admin.adjust')}: ${user.username}`, { kind: 'adjust', uid, amount: 0 }, () => void refresh())}>
            {at('admin.adjust')}
          </button>
        </div>
      </div>
      <div className="admin-grid">
        <div className="admin-card">
          <h3>{at('admin.transactions')}</h3>
          <ul className="admin-list">
            {transactions.map((tx) => (
              <li key={tx.id} className="admin-row">
                <span>{tx.type}</span>
                <strong>{tx.amount > 0 ? `+${tx.amount}` : tx.amount}</strong>
                <span className="muted">→ {tx.balance_after}</span>
                {tx.reason && <span className="muted">{tx.reason}</span>}
                <span className="muted">{when(tx.created_at)}</span>
              </li>
            ))}
          </ul>
        </div>
        <div className="admin-card">
          <h3>{at('admin.user_rooms')}</h3>
          <ul className="admin-list">
            {rooms.map((room) => (
              <li key={room.room_id} className="admin-row">
                <Link href={`/admin/rooms/${encodeURIComponent(room.room_id)}`}>{room.room_name}</Link>
                {room.live_status && <span className="admin-badge admin-badge-live">{at('admin.live')}</span>}
                {room.taken_down && <span className="admin-badge admin-badge-danger">{at('admin.status_taken_down')}</span>}
              </li>
            ))}
          </ul>
          <h3>{at('admin.sessions')}</h3>
          <ul className="admin-list">
            {sessions.map((session, index) => (
              <li key={index} className="admin-row">
                <span>{when(session.created_at)}</span>
                <span className="muted">{at('admin.expires', { time: when(session.expires_at) })}</span>
                {session.operator && <span className="admin-badge">{at('admin.operator')}</span>}
              </li>
            ))}
          </ul>
          <h3>{at('admin.tokens')}</h3>
          <ul className="admin-list">
            {tokens.map((token) => (
              <li key={token.id} className="admin-row">
                <span>{token.name}</span>
                <span className="muted">{when(token.created_at)}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
