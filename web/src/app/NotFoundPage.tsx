import { useRef } from 'react';
import { useI18n } from '../shared/i18n/I18nProvider.tsx';
import { Link, useDocumentTitle, useFocusOnArrival } from '../shared/router.tsx';

export function NotFoundPage() {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useDocumentTitle(t('notfound.title'));
  useFocusOnArrival(heading);
  return (
    <div className="page empty">
      <h1 ref={heading} tabIndex={-1}>
        {t('notfound.title')}
      </h1>
      <Link href="/" className="btn btn-primary">
        {t('common.back_home')}
      </Link>
    </div>
  );
}
