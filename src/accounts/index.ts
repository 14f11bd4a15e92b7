/** The accounts feature's public face: the only module other features and the composition import. */
export { accountsFeature } from './plugin.js';
export { assertNotBanned, DELETED_ACCOUNT_NAME, type AccountDeletionStep, type AccountRenameStep, type AccountsService, type SessionUser, type Viewer } from './service.js';
export { OperatorLogin as OperatorLoginBody, OperatorMe, ReauthBody } from './schemas.js';
export type { RequestAuth as RequestAuthLike } from './auth.js';
