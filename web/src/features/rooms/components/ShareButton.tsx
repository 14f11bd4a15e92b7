import { useEffect, useState } from 'react';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { ShareIcon } from '../../../shared/ui/Icons.tsx';

/**
 * Shares the room's address: the system share sheet where there is one (phones), otherwise the
 * link goes to the clipboard with a visible "Link copied". Link previews get their title and
 * description from the tags the server renders into the room's page.
 */
export function ShareButton({ title, url }: { title: string; url: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2500);
    return () => clearTimeout(timer);
  }, [copied]);

  const share = async () => {
    if (typeof navigator.share === 'function' && navigator.canShare?.({ title, url }) !== false) {
      try {
        await navigator.share({ title, url });
        return;
      } catch (err) {
        // The viewer closed the sheet: nothing to do. Any other failure falls back to copying.
        if (err instanceof DOMException && err.name === 'AbortError') return;
      }
    }
    await navigator.clipboard?.writeText(url).then(
      () => setCopied(true),
      () => undefined,
    );
  };

  return (
    <button type="button" className="btn" onClick={() => void share()} data-testid="share-room">
      <ShareIcon /> <span className="share-label" aria-live="polite">{copied ? t('room.share_copied') : t('room.share')}</span>
    </button>
  );
}
