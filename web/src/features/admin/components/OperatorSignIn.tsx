import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../../shared/api/client.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { useFocusOnArrival } from '../../../shared/router.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { useOperatorSignIn } from '../api.ts';
import { useAdminText } from '../use-admin-text.ts';

/** The console opens with a password sign-in of its own: a short session, even for a signed-in viewer. */
export function OperatorSignIn() {
  const { t } = useI18n();
  const at = useAdminText();
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusOnArrival(heading);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useOperatorSignIn();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ username: username.trim(), password });
  };
  const notOperator = signIn.error instanceof ApiError && signIn.error.error === 'not_an_operator';
  return (
    <div className="page admin-auth">
      <h1 ref={heading} tabIndex={-1}>
        {at('admin.sign_in')}
      </h1>
      <p className="muted">{at('admin.sign_in_intro')}</p>
      <form className="form admin-card" onSubmit={submit}>
        <label className="field">
          <span>{t('account.username')}</span>
          <input name="username" autoComplete="username" required maxLength={32} value={username} onChange={(event) => setUsername(event.target.value)} />
        </label>
        <label className="field">
          <span>{t('account.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={256}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {notOperator ? (
          <p className="form-error" role="alert">
            {at('admin.not_operator')}
          </p>
        ) : (
          <ErrorText error={signIn.error} />
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={signIn.isPending}>
          {at('admin.submit_sign_in')}
        </button>
      </form>
    </div>
  );
}
