/** The operator console at /admin: loaded as its own chunk, only when someone opens it. */
import { useRef } from 'react';
import { ApiError } from '../../../shared/api/client.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { Link, useDocumentTitle, useFocusOnArrival } from '../../../shared/router.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { useOperator } from '../api.ts';
import '../admin.css';
import { useAdminText } from '../use-admin-text.ts';
import { AuditSection } from './AuditSection.tsx';
import { MoneySection } from './MoneySection.tsx';
import { OperatorSignIn } from './OperatorSignIn.tsx';
import { PeopleSection, UserDetailSection } from './PeopleSection.tsx';
import { ReportsSection } from './ReportsSection.tsx';
import { RoomReviewSection, RoomsSection } from './RoomsSection.tsx';

const SECTIONS = ['reports', 'people', 'rooms', 'money', 'audit'] as const;
const SECTION_WORDS = { reports: 'admin.reports_queue', people: 'admin.people', rooms: 'admin.rooms', money: 'admin.money', audit: 'admin.audit' } as const;
type Section = (typeof SECTIONS)[number];

export default function AdminPage({ section, id }: { section: string; id?: string }) {
  const { t } = useI18n();
  const at = useAdminText();
  const operator = useOperator();
  const heading = useRef<HTMLHeadingElement>(null);
  const current: Section = (SECTIONS as readonly string[]).includes(section) ? (section as Section) : 'reports';
  useDocumentTitle(`${at(SECTION_WORDS[current])} · ${at('admin.title')}`);
  useFocusOnArrival(heading, operator.isSuccess);

  if (operator.isPending) return <p className="page muted">{t('common.loading')}</p>;
  if (operator.error instanceof ApiError && (operator.error.status === 401 || operator.error.status === 403)) return <OperatorSignIn />;
  if (operator.isError) {
    return (
      <div className="page">
        <ErrorText error={operator.error} />
      </div>
    );
  }
  const me = operator.data;
  return (
    <div className="page admin">
      <div className="page-head">
        <h1 ref={heading} tabIndex={-1}>
          {at('admin.title')}
        </h1>
        <p className="muted">{at('admin.signed_in_as', { name: me.username, time: new Date(me.session_expires_at).toLocaleTimeString() })}</p>
      </div>
      <nav className="admin-tabs" aria-label={at('admin.nav')}>
        {SECTIONS.map((name) => (
          <Link key={name} href={`/admin/${name}`} aria-current={current === name ? 'page' : undefined}>
            {at(SECTION_WORDS[name])}
          </Link>
        ))}
      </nav>
      {current === 'people' && (id ? <UserDetailSection uid={id} /> : <PeopleSection />)}
      {current === 'rooms' && (id ? <RoomReviewSection roomId={id} /> : <RoomsSection />)}
      {current === 'audit' && <AuditSection />}
      {current === 'reports' && <ReportsSection />}
      {current === 'money' && <MoneySection />}
    </div>
  );
}
