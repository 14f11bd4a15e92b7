/** The accounts feature's public face: the only module other features and the composition import. */
export { accountsFeature } from './plugin.js';
export { DELETED_ACCOUNT_NAME, type AccountDeletionStep, type AccountRenameStep, type AccountsService, type SessionUser, type Viewer } from './service.js';
