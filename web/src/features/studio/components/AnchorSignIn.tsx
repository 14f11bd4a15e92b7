import { useRef, useState, type FormEvent } from 'react';
import { useSession } from '../../session/index.ts';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { useFocusOnArrival } from '../../../shared/router.tsx';
import { useAnchorSignIn, useAnchorSignUp } from '../api.ts';
import { useStudioText } from '../use-studio-text.ts';
import { StudioError } from './StudioError.tsx';

/**
 * Signs an anchor in to the console with the session cookie: sign in, create an anchor account, or,
 * for a signed-in viewer, confirm the password to make the account an anchor account too.
 */
export function AnchorSignIn() {
  const { t } = useI18n();
  const st = useStudioText();
  const { user, loggedIn } = useSession();
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusOnArrival(heading);
  const upgrading = loggedIn && user !== null;
  const viewerName = user?.uname ?? '';
  const [mode, setMode] = useState<'sign_in' | 'sign_up'>(upgrading ? 'sign_in' : 'sign_up');
  const [username, setUsername] = useState(upgrading ? viewerName : '');
  const [password, setPassword] = useState('');
  const signIn = useAnchorSignIn();
  const signUp = useAnchorSignUp();
  const current = mode === 'sign_in' ? signIn : signUp;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const credentials = { username: username.trim(), password };
    if (mode === 'sign_up') signUp.mutate(credentials);
    else signIn.mutate({ ...credentials, become_anchor: upgrading });
  };

  const title = upgrading ? st('auth.upgrade_title') : mode === 'sign_in' ? st('auth.sign_in') : st('auth.sign_up');
  return (
    <div className="page studio-auth">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <p className="muted">
        {upgrading ? st('auth.upgrade_intro', { name: viewerName }) : mode === 'sign_in' ? st('auth.sign_in_intro') : st('auth.sign_up_intro')}
      </p>
      <form className="form studio-card" onSubmit={submit}>
        <label className="field">
          <span>{t('account.username')}</span>
          <input
            name="username"
            autoComplete="username"
            required
            maxLength={32}
            readOnly={upgrading}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
          {mode === 'sign_up' && <small className="muted">{t('account.username_hint')}</small>}
        </label>
        <label className="field">
          <span>{t('account.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete={mode === 'sign_in' ? 'current-password' : 'new-password'}
            required
            minLength={mode === 'sign_up' ? 8 : 1}
            maxLength={256}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          {mode === 'sign_up' && <small className="muted">{t('account.password_hint')}</small>}
        </label>
        <StudioError error={current.error} />
        <button type="submit" className="btn btn-primary btn-block" disabled={current.isPending}>
          {upgrading ? st('auth.upgrade_submit') : mode === 'sign_in' ? st('auth.submit_sign_in') : st('auth.submit_sign_up')}
        </button>
        {!upgrading && (
          <button
            type="button"
            className="btn btn-link"
            onClick={() => {
              setMode(mode === 'sign_in' ? 'sign_up' : 'sign_in');
              signIn.reset();
              signUp.reset();
            }}
          >
            {mode === 'sign_in' ? st('auth.to_sign_up') : st('auth.to_sign_in')}
          </button>
        )}
      </form>
    </div>
  );
}
