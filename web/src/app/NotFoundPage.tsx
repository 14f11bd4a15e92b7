import { useI18n } from '../shared/i18n/I18nProvider.tsx';
import { Link } from '../shared/router.tsx';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <div className="page empty">
      <h1>{t('notfound.title')}</h1>
      <Link href="/" className="btn btn-primary">
        {t('common.back_home')}
      </Link>
    </div>
  );
}
