import { useI18n } from '../i18n/I18nProvider.tsx';
import { describeError } from './describe-error.ts';

/** A server refusal in the viewer's words, announced to screen readers. */
export function ErrorText({ error, className = 'form-error' }: { error: unknown; className?: string }) {
  const { t } = useI18n();
  if (error === null || error === undefined) return null;
  const words = describeError(error);
  return (
    <p className={className} role="alert">
      {'text' in words ? words.text : t(words.key, words.params)}
    </p>
  );
}
