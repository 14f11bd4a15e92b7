import { useState, type FormEvent } from 'react';
import { ApiError } from '../../../shared/api/client.ts';
import { announce } from '../../../shared/ui/announcer.tsx';
import { Dialog } from '../../../shared/ui/Dialog.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { closeModal, showModal } from '../../../shared/ui/modal.tsx';
import { reauthenticate, runAction, type AdminAction } from '../api.ts';
import { useAdminText } from '../use-admin-text.ts';

/**
 * Asks for the reason of an action (and the amount of an adjustment), and, when the server says the
 * password was entered too long ago (`reauth_required`), for the password too, then runs it.
 */
function ActionDialog({ title, action, onDone }: { title: string; action: AdminAction; onDone(): void }) {
  const at = useAdminText();
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('');
  const [password, setPassword] = useState('');
  const [needsPassword, setNeedsPassword] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      if (needsPassword) await reauthenticate(password);
      const filled = action.kind === 'adjust' ? { ...action, amount: Number(amount) } : action;
      const done = await runAction(filled, reason.trim());
      announce(at('admin.title'), at('admin.done', { id: done.audit_id }));
      closeModal();
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.error === 'reauth_required') setNeedsPassword(true);
      else setError(err);
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog title={title} onClose={closeModal}>
      <form className="form" onSubmit={(event) => void submit(event)}>
        {action.kind === 'adjust' && (
          <label className="field">
            <span>{at('admin.amount')}</span>
            <input name="amount" type="number" step={1} required value={amount} onChange={(event) => setAmount(event.target.value)} />
          </label>
        )}
        <label className="field">
          <span>{at('admin.reason')}</span>
          <textarea name="reason" required maxLength={500} rows={3} value={reason} onChange={(event) => setReason(event.target.value)} />
        </label>
        {needsPassword && (
          <label className="field">
            <span>{at('admin.password_again')}</span>
            <input name="password" type="password" autoComplete="current-password" required autoFocus value={password} onChange={(event) => setPassword(event.target.value)} />
          </label>
        )}
        <ErrorText error={error} />
        <div className="admin-actions">
          <button type="submit" className="btn btn-primary" disabled={pending}>
            {at('admin.confirm')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={closeModal}>
            {at('admin.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function openActionDialog(title: string, action: AdminAction, onDone: () => void): void {
  showModal(<ActionDialog title={title} action={action} onDone={onDone} />);
}
