import { Link } from '../../../shared/router.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { useRefreshAdmin, useReportQueue, type ReportGroup } from '../api.ts';
import { useAdminText } from '../use-admin-text.ts';
import { openActionDialog } from './ActionDialog.tsx';

/** Open reports, one row per reported target, the most reported first; resolve or dismiss them together. */
export function ReportsSection() {
  const at = useAdminText();
  const queue = useReportQueue();
  const refresh = useRefreshAdmin();
  const what = (group: ReportGroup) => {
    const [kind, id] = group.target.split(':');
    if (kind === 'live') return at('admin.report_line', { floor: id ?? '' });
    if (kind === 'user') return at('admin.report_message');
    return at('admin.report_room');
  };
  return (
    <section className="admin-section" aria-label={at('admin.reports_queue')}>
      <ErrorText error={queue.error} />
      {queue.data?.length === 0 && <p className="muted">{at('admin.no_reports')}</p>}
      <ul className="admin-list">
        {queue.data?.map((group) => (
          <li key={`${group.room_id} ${group.target}`} className="admin-card admin-report" data-report-target={`${group.room_id}:${group.target}`}>
            <p className="admin-row">
              <strong className="admin-badge admin-badge-danger">{at('admin.report_count', { count: group.count })}</strong>
              <Link href={`/admin/rooms/${encodeURIComponent(group.room_id)}`}>{group.room_name}</Link>
              <span>{what(group)}</span>
              <span className="muted">{group.reasons.join(', ')}</span>
              <span className="muted">{new Date(group.last_at).toLocaleString()}</span>
            </p>
            {group.excerpt && <p className="admin-text">“{group.excerpt}”</p>}
            {group.details.map((text, index) => (
              <p key={index} className="muted small">
                {text}
              </p>
            ))}
            <div className="admin-actions">
              {(['resolved', 'dismissed'] as const).map((outcome) => (
                <button
                  key={outcome}
                  type="button"
                  className="btn"
                  onClick={() =>
                    openActionDialog(`${at(outcome === 'resolved' ? 'admin.resolve' : 'admin.dismiss')}: ${group.room_name}`, { kind: 'decide_reports', roomId: group.room_id, target: group.target, outcome }, () =>
                      void refresh(),
                    )
                  }
                >
                  {at(outcome === 'resolved' ? 'admin.resolve' : 'admin.dismiss')}
                </button>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
