/** The signed-in viewer's account settings: name, password, the linked Google account, and deleting the account. */
import { useRef, useState, type FormEvent } from 'react';
import {
  GOOGLE_LINK_URL,
  openLogin,
  useChangePassword,
  useChangeUsername,
  useDeleteAccount,
  useGoogleSignInOffered,
  useLinkedIdentities,
  useRefreshIdentities,
  useSession,
  useUnlinkGoogle,
} from '../features/session/index.ts';
import { useI18n } from '../shared/i18n/I18nProvider.tsx';
import { useDocumentTitle, useFocusOnArrival } from '../shared/router.tsx';
import { ErrorText } from '../shared/ui/ErrorText.tsx';

export function AccountPage() {
  const { t } = useI18n();
  const { user, loggedIn } = useSession();
  const heading = useRef<HTMLHeadingElement>(null);
  const deleteAccount = useDeleteAccount();
  const googleOffered = useGoogleSignInOffered();
  const identities = useLinkedIdentities(loggedIn);
  // An account made by Google sign-in has no password until it sets one; until the answer, assume one.
  const hasPassword = identities.data?.has_password ?? true;
  const google = identities.data?.identities.find((identity) => identity.provider === 'google');
  useDocumentTitle(t('settings.title'));
  useFocusOnArrival(heading);

  if (deleteAccount.isSuccess || (user && !loggedIn)) {
    return (
      <div className="page empty">
        <h1 ref={heading} tabIndex={-1}>
          {t('settings.title')}
        </h1>
        <p className="muted" role={deleteAccount.isSuccess ? 'status' : undefined}>
          {deleteAccount.isSuccess ? t('settings.deleted') : t('settings.login_required')}
        </p>
        {!deleteAccount.isSuccess && (
          <button type="button" className="btn btn-primary" onClick={openLogin}>
            {t('account.login')}
          </button>
        )}
      </div>
    );
  }

  return (
    <div className="page account">
      <div className="page-head">
        <h1 ref={heading} tabIndex={-1}>
          {t('settings.title')}
        </h1>
      </div>
      {user && <NameForm key={user.uid} current={user.uname} />}
      <PasswordForm hasPassword={hasPassword} />
      {(googleOffered || google) && <GoogleCard email={google ? (google.email ?? '') : undefined} hasPassword={hasPassword} />}
      <DeleteForm mutation={deleteAccount} hasPassword={hasPassword} />
    </div>
  );
}

function NameForm({ current }: { current: string }) {
  const { t } = useI18n();
  const [username, setUsername] = useState(current);
  const change = useChangeUsername();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(username.trim());
  };
  return (
    <section className="panel account-card" aria-labelledby="account-name">
      <h2 id="account-name" className="panel-title">{t('settings.name')}</h2>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>{t('account.username')}</span>
          <input
            name="username"
            autoComplete="username"
            required
            minLength={3}
            maxLength={32}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            aria-describedby="account-name-hint"
          />
          <small id="account-name-hint" className="muted">
            {t('settings.name_hint')}
          </small>
        </label>
        <ErrorText error={change.error} />
        {change.isSuccess && (
          <p className="form-ok" role="status">
            {t('settings.name_saved')}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={change.isPending || username.trim() === current}>
          {t('settings.save_name')}
        </button>
      </form>
    </section>
  );
}

/** Linked: the Google e-mail and an unlink button. Not linked: a link to Google, which comes back here. */
function GoogleCard({ email, hasPassword }: { email: string | undefined; hasPassword: boolean }) {
  const { t } = useI18n();
  const unlink = useUnlinkGoogle();
  const justLinked = new URLSearchParams(window.location.search).get('linked') === 'google';
  return (
    <section className="panel account-card" aria-labelledby="account-google">
      <h2 id="account-google" className="panel-title">{t('settings.google')}</h2>
      {email !== undefined ? (
        <>
          {justLinked && (
            <p className="form-ok" role="status">
              {t('settings.google_just_linked')}
            </p>
          )}
          <p className="muted">{t('settings.google_linked', { email })}</p>
          {hasPassword ? (
            <div className="account-google">
              <button type="button" className="btn" disabled={unlink.isPending} onClick={() => unlink.mutate()}>
                {t('settings.google_unlink')}
              </button>
            </div>
          ) : (
            <p className="muted">{t('settings.google_needs_password')}</p>
          )}
          <ErrorText error={unlink.error} />
        </>
      ) : (
        <>
          <p className="muted">{t('settings.google_not_linked')}</p>
          <div className="account-google">
            <a className="btn btn-google" href={GOOGLE_LINK_URL}>
              <span className="google-mark" aria-hidden="true">
                G
              </span>
              {t('settings.google_link')}
            </a>
          </div>
        </>
      )}
    </section>
  );
}

function PasswordForm({ hasPassword }: { hasPassword: boolean }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [wasSet, setWasSet] = useState(false);
  const change = useChangePassword();
  const refreshIdentities = useRefreshIdentities();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(
      { current_password: hasPassword ? current : '', new_password: next },
      {
        onSuccess: () => {
          setWasSet(!hasPassword);
          setCurrent('');
          setNext('');
          void refreshIdentities();
        },
      },
    );
  };
  return (
    <section className="panel account-card" aria-labelledby="account-password">
      <h2 id="account-password" className="panel-title">{t('settings.password')}</h2>
      <form className="form" onSubmit={submit}>
        {!hasPassword && <p className="muted">{t('settings.set_password_hint')}</p>}
        {hasPassword && (
          <label className="field">
            <span>{t('settings.current_password')}</span>
            <input
              name="current-password"
              type="password"
              autoComplete="current-password"
              required
              maxLength={256}
              value={current}
              onChange={(event) => setCurrent(event.target.value)}
            />
          </label>
        )}
        <label className="field">
          <span>{t('settings.new_password')}</span>
          <input
            name="new-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            maxLength={256}
            value={next}
            onChange={(event) => setNext(event.target.value)}
            aria-describedby="account-password-hint"
          />
          <small id="account-password-hint" className="muted">
            {t('account.password_hint')}
          </small>
        </label>
        <ErrorText error={change.error} />
        {change.isSuccess && (
          <p className="form-ok" role="status">
            {wasSet ? t('settings.password_set') : t('settings.password_saved')}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={change.isPending}>
          {hasPassword ? t('settings.save_password') : t('settings.set_password')}
        </button>
      </form>
    </section>
  );
}

function DeleteForm({ mutation, hasPassword }: { mutation: ReturnType<typeof useDeleteAccount>; hasPassword: boolean }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(password);
  };
  return (
    <section className="panel account-card account-danger" aria-labelledby="account-delete">
      <h2 id="account-delete" className="panel-title">{t('settings.delete')}</h2>
      <p className="muted" id="account-delete-explained">
        {t('settings.delete_explained')}
      </p>
      <form className="form" onSubmit={submit}>
        {hasPassword ? (
          <label className="field">
            <span>{t('settings.delete_confirm')}</span>
            <input
              name="delete-password"
              type="password"
              autoComplete="current-password"
              required
              maxLength={256}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              aria-describedby="account-delete-explained"
            />
          </label>
        ) : (
          <p className="muted">{t('settings.delete_no_password')}</p>
        )}
        <ErrorText error={mutation.error} />
        <button type="submit" className="btn btn-danger" disabled={mutation.isPending}>
          {t('settings.delete_submit')}
        </button>
      </form>
    </section>
  );
}
