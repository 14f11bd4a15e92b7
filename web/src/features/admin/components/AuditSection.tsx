import { useState, type FormEvent } from 'react';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { useAudit } from '../api.ts';
import { useAdminText } from '../use-admin-text.ts';

const ACTIONS = ['user.ban', 'user.unban', 'user.adjust_balance', 'room.take_down', 'room.restore', 'room.remove_line', 'room.remove_user_message', 'report.resolve', 'report.dismiss', 'payment.credit_partial', 'ledger.verify', 'user.grant_operator', 'user.revoke_operator'];

export function AuditSection() {
  const at = useAdminText();
  const [typed, setTyped] = useState('');
  const [filter, setFilter] = useState({ q: '', action: '' });
  const audit = useAudit(filter);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilter((current) => ({ ...current, q: typed.trim() }));
  };
  return (
    <section className="admin-section" aria-label={at('admin.audit')}>
      <form className="admin-search" role="search" onSubmit={submit}>
        <input aria-label={at('admin.audit_search')} placeholder={at('admin.audit_search')} value={typed} onChange={(event) => setTyped(event.target.value)} />
        <label>
          <span className="visually-hidden">{at('admin.audit_action')}</span>
          <select value={filter.action} onChange={(event) => setFilter((current) => ({ ...current, action: event.target.value }))}>
            <option value="">{at('admin.any_action')}</option>
            {ACTIONS.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn">
          {at('admin.search')}
        </button>
      </form>
      <ErrorText error={audit.error} />
      {audit.data?.entries.length === 0 && <p className="muted">{at('admin.none')}</p>}
      <div className="admin-table-wrap">
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{at('admin.when')}</th>
              <th scope="col">{at('admin.who')}</th>
              <th scope="col">{at('admin.what')}</th>
              <th scope="col">{at('admin.target')}</th>
              <th scope="col">{at('admin.why')}</th>
              <th scope="col">{at('admin.change')}</th>
            </tr>
          </thead>
          <tbody>
            {audit.data?.entries.map((entry) => (
              <tr key={entry.id}>
                <td>{new Date(entry.created_at).toLocaleString()}</td>
                <td>{entry.operator_name}</td>
                <td className="admin-mono">{entry.action}</td>
                <td className="admin-mono">
                  {entry.target_type} {entry.target_id}
                </td>
                <td>{entry.reason}</td>
                <td className="admin-mono admin-change">
                  {JSON.stringify(entry.before)} → {JSON.stringify(entry.after)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
