import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { StarIcon } from '../../../shared/ui/Icons.tsx';
import { useSubscriptions } from '../api/get-subscriptions.ts';

/** Anchors the viewer is subscribed to, and until when. */
export function Subscriptions() {
  const { t, formatDateTime } = useI18n();
  const { data: subscriptions, error } = useSubscriptions();
  return (
    <section className="panel" aria-labelledby="subscriptions-title">
      <h2 id="subscriptions-title" className="panel-title">
        {t('wallet.subscriptions')}
      </h2>
      <ErrorText error={error} />
      {subscriptions?.length === 0 && <p className="muted">{t('wallet.no_subscriptions')}</p>}
      <ul className="list" data-testid="subscriptions">
        {subscriptions?.map((subscription) => (
          <li key={subscription.anchor_id} className="list-row">
            <strong>
              <StarIcon /> <bdi>@{subscription.anchor_name}</bdi>
            </strong>
            <span className="muted small">
              {t('wallet.subscription_until', { date: formatDateTime(subscription.expires_at) })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
