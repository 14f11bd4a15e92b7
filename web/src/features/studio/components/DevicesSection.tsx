import { useState, type FormEvent } from 'react';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';
import { CopyButton } from '../../../shared/ui/CopyButton.tsx';
import { useCreateToken, useRevokeAllTokens, useRevokeToken, useTokens, type CreatedToken } from '../api.ts';
import { useStudioText } from '../use-studio-text.ts';
import { StudioError } from './StudioError.tsx';

/** The anchor's API tokens: which exist, when each was last used; create a named one, revoke. */
export function DevicesSection() {
  const { t, formatDateTime } = useI18n();
  const st = useStudioText();
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const revokeAll = useRevokeAllTokens();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedToken | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(name.trim(), {
      onSuccess: (answer) => {
        setCreated(answer);
        setName('');
      },
    });
  };
  const list = tokens.data ?? [];

  return (
    <section className="studio-section" aria-label={st('studio.devices')}>
      <p className="muted">{st('tokens.intro')}</p>
      <form className="studio-card studio-inline-form" onSubmit={submit}>
        <label className="field">
          <span>{st('tokens.new_name')}</span>
          <input name="token_name" required maxLength={64} placeholder={st('tokens.new_placeholder')} value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {st('tokens.create')}
        </button>
      </form>
      <StudioError error={create.error} />
      {created && (
        <div className="studio-card studio-secret" role="status" data-testid="new-token">
          <h2 className="section-title">{st('tokens.secret_title', { name: created.token.name })}</h2>
          <p className="muted">{st('tokens.secret_hint')}</p>
          <div className="studio-secret-row">
            <code data-testid="new-token-secret">{created.secret}</code>
            <CopyButton value={created.secret} label={created.token.name} />
          </div>
          <button type="button" className="btn btn-small" onClick={() => setCreated(null)}>
            {st('tokens.done')}
          </button>
        </div>
      )}
      <StudioError error={tokens.error ?? revoke.error ?? revokeAll.error} />
      {tokens.isSuccess && list.length === 0 && <p className="muted studio-empty">{st('tokens.empty')}</p>}
      {list.length > 0 && (
        <>
          <table className="studio-table studio-table-stack">
            <thead>
              <tr>
                <th scope="col">{st('tokens.name')}</th>
                <th scope="col">{st('tokens.created')}</th>
                <th scope="col">{st('tokens.last_used')}</th>
                <th scope="col">
                  <span className="visually-hidden">{st('tokens.revoke')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((token) => (
                <tr key={token.id} data-testid="token-row">
                  <td>
                    <bdi>{token.name}</bdi>
                  </td>
                  <td>{formatDateTime(token.created_at)}</td>
                  <td>{token.last_used_at === null ? st('tokens.never') : formatDateTime(token.last_used_at)}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      disabled={revoke.isPending}
                      aria-label={`${st('tokens.revoke')}: ${token.name}`}
                      onClick={() => {
                        if (window.confirm(st('tokens.revoke_confirm', { name: token.name }))) revoke.mutate(token.id);
                      }}
                    >
                      {st('tokens.revoke')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="studio-actions">
            <button
              type="button"
              className="btn btn-danger"
              disabled={revokeAll.isPending}
              onClick={() => {
                if (window.confirm(st('tokens.revoke_all_confirm', { count: list.length }))) revokeAll.mutate();
              }}
            >
              {st('tokens.revoke_all')}
            </button>
          </div>
        </>
      )}
      {tokens.isPending && <p className="muted">{t('common.loading')}</p>}
    </section>
  );
}
