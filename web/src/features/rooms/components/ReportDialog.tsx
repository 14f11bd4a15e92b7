import { useState, type FormEvent } from 'react';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { Dialog } from '../../../shared/ui/Dialog.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { closeModal, showModal } from '../../../shared/ui/modal.tsx';
import { REPORT_REASONS, useReport, type ReportReason, type ReportRequest } from '../api/report.ts';
import { reportText, type ReportKey } from './report-text.ts';

/**
 * Loaded on a viewer's first report (RoomPage imports it dynamically): few viewers ever report, so
 * the dialog, its words and its call stay out of the entry file.
 */

/** Tells the operators what is wrong with a room or a message: a reason from the list and, if wanted, words. */
function ReportDialog({ target }: { target: Omit<ReportRequest, 'reason' | 'details'> }) {
  const { language } = useI18n();
  const t = (key: ReportKey) => reportText(language, key);
  const report = useReport();
  const [reason, setReason] = useState<ReportReason>('spam');
  const [details, setDetails] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    report.mutate({ ...target, reason, details: details.trim() || undefined });
  };
  return (
    <Dialog title={t('title')} onClose={closeModal}>
      {report.isSuccess ? (
        <>
          <p role="status">{t('thanks')}</p>
          <button type="button" className="btn btn-primary" onClick={closeModal}>
            {t('close')}
          </button>
        </>
      ) : (
        <form className="form" onSubmit={submit}>
          <fieldset className="field">
            <legend>{t('reason')}</legend>
            {REPORT_REASONS.map((value) => (
              <label key={value} className="radio-row">
                <input type="radio" name="reason" value={value} checked={reason === value} onChange={() => setReason(value)} /> {t(`reason_${value}`)}
              </label>
            ))}
          </fieldset>
          <label className="field">
            <span>{t('details')}</span>
            <textarea name="details" rows={3} maxLength={500} value={details} onChange={(event) => setDetails(event.target.value)} />
          </label>
          <ErrorText error={report.error} />
          <button type="submit" className="btn btn-primary" disabled={report.isPending}>
            {t('submit')}
          </button>
        </form>
      )}
    </Dialog>
  );
}

export function openReportDialog(target: Omit<ReportRequest, 'reason' | 'details'>): void {
  showModal(<ReportDialog target={target} />);
}
