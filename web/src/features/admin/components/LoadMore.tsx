import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';

/** The next page of a paged console list, when there is one. */
export function LoadMore({ list }: { list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  const { t } = useI18n();
  if (!list.hasNextPage) return null;
  return (
    <button type="button" className="btn btn-small" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
      {t('common.load_more')}
    </button>
  );
}
