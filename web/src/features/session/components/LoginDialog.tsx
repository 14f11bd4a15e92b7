import { useState, type FormEvent } from 'react';
import { googleSignInUrl, useGoogleSignInOffered } from '../api/google.ts';
import { useLogin, useRegister } from '../api/login.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { Dialog } from '../../../shared/ui/Dialog.tsx';
import { closeModal, showModal } from '../../../shared/ui/modal.tsx';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';

/** Opens the log-in dialog (which also offers to create an account). */
export function openLogin(): void {
  showModal(<LoginDialog />);
}

function LoginDialog() {
  const { t } = useI18n();
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useLogin();
  const signUp = useRegister();
  const current = mode === 'login' ? signIn : signUp;
  const googleOffered = useGoogleSignInOffered();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    current.mutate({ username: username.trim(), password }, { onSuccess: closeModal });
  };

  return (
    <Dialog title={mode === 'login' ? t('account.login') : t('account.register')} onClose={closeModal}>
      <p className="muted">{t('account.welcome')}</p>
      {googleOffered && (
        <>
          {/* A page load, not a fetch: Google's pages take over, then send the viewer back here. */}
          <a className="btn btn-google btn-block" href={googleSignInUrl(window.location.pathname + window.location.search)}>
            <span className="google-mark" aria-hidden="true">
              G
            </span>
            {t('account.google')}
          </a>
          <p className="form-divider" aria-hidden="true">
            {t('account.or')}
          </p>
        </>
      )}
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>{t('account.username')}</span>
          <input
            name="username"
            autoComplete="username"
            required
            minLength={mode === 'register' ? 3 : 1}
            maxLength={32}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            aria-describedby={mode === 'register' ? 'username-hint' : undefined}
          />
          {mode === 'register' && (
            <small id="username-hint" className="muted">
              {t('account.username_hint')}
            </small>
          )}
        </label>
        <label className="field">
          <span>{t('account.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            required
            minLength={mode === 'register' ? 8 : 1}
            maxLength={256}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-describedby={mode === 'register' ? 'password-hint' : undefined}
          />
          {mode === 'register' && (
            <small id="password-hint" className="muted">
              {t('account.password_hint')}
            </small>
          )}
        </label>
        <ErrorText error={current.error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={current.isPending}>
          {mode === 'login' ? t('account.submit_login') : t('account.submit_register')}
        </button>
        <button
          type="button"
          className="btn btn-link"
          onClick={() => {
            setMode(mode === 'login' ? 'register' : 'login');
            signIn.reset();
            signUp.reset();
          }}
        >
          {mode === 'login' ? t('account.no_account') : t('account.have_account')}
        </button>
      </form>
    </Dialog>
  );
}
