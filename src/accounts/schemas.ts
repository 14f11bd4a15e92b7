/** The accounts feature's wire shapes: requests and answers of its routes, defined once. */
import { Type, type Static } from 'typebox';
import { Text } from '../http/schemas.js';

/** Who the caller is (contract 1). Guests get status:false, uname 游客 and their guest_name. */
export const UserInfo = Type.Object(
  {
    uid: Type.String({ description: 'Empty for guests' }),
    status: Type.Boolean({ description: 'true when logged in' }),
    uname: Type.String(),
    coin_num: Type.Integer({ description: 'Diamond balance' }),
    guest_name: Type.Optional(Type.String({ description: "Guests only: the stable name they chat under" })),
    ban_reason: Type.Optional(Type.String({ description: 'Present while an operator has banned the account: why (it can read, not chat, pay or stream)' })),
    operator: Type.Optional(Type.Boolean({ description: 'true on an operator console sign-in' })),
  },
  { $id: 'UserInfo' },
);
export type UserInfo = Static<typeof UserInfo>;

export const UserInfoBody = Type.Object({ user_info: UserInfo });

/** An anchor's identity and a fresh bearer token for the anchor API. */
export const AnchorAuth = Type.Object(
  {
    uid: Type.String(),
    username: Type.String(),
    token: Type.Optional(Type.String({ description: 'The bearer token; absent when `session` was requested (the browser got a session cookie instead)' })),
  },
  { $id: 'AnchorAuth' },
);
export type AnchorAuth = Static<typeof AnchorAuth>;

// ---- requests ------------------------------------------------------------------------------------

const CredentialFields = {
  username: Text({ maxLength: 64 }),
  password: Text({ maxLength: 256 }),
};

export const Credentials = Type.Object(CredentialFields);

const AnchorSignInFields = {
  session: Type.Optional(
    Type.Boolean({ description: 'true: sign this browser in with the session cookie (the web console) instead of minting a bearer token' }),
  ),
  token_name: Type.Optional(Type.String({ maxLength: 64, description: 'Name of the minted token in the anchor\'s device list (default "Login")' })),
};

export const AnchorRegister = Type.Object({ ...CredentialFields, ...AnchorSignInFields });

export const AnchorLogin = Type.Object({
  ...CredentialFields,
  ...AnchorSignInFields,
  become_anchor: Type.Optional(Type.Boolean({ description: 'A viewer account that signs in with this flag becomes an anchor account too' })),
});

const Password = Type.String({ maxLength: 256 });

export const ChangePasswordBody = Type.Object({
  current_password: Password,
  new_password: Type.String({ maxLength: 256, description: 'At least 8 characters' }),
});

export const RenameBody = Type.Object({
  username: Type.String({ maxLength: 64, description: 'The new name: 3-32 letters (Chinese included), digits or _' }),
});

export const DeleteAccountBody = Type.Object({ password: Password });
// ---- anchor tokens (devices) ---------------------------------------------------------------------

/** One of the anchor's API tokens as listed: never the secret. */
export const AnchorTokenInfo = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    created_at: Type.Integer({ description: 'Milliseconds since the epoch' }),
    last_used_at: Type.Union([Type.Integer(), Type.Null()], { description: 'Milliseconds since the epoch, to the minute; null if never used' }),
  },
  { $id: 'AnchorTokenInfo' },
);
export type AnchorTokenInfo = Static<typeof AnchorTokenInfo>;

export const AnchorTokenList = Type.Object({ tokens: Type.Array(AnchorTokenInfo) });

export const CreatedAnchorToken = Type.Object({
  token: AnchorTokenInfo,
  secret: Type.String({ description: 'The bearer token itself: shown this once, only its hash is kept' }),
});

export const CreateAnchorToken = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' }) });

export const AnchorTokenParams = Type.Object({ token_id: Type.String({ minLength: 1, maxLength: 64 }) });

export const RevokedAnchorTokens = Type.Object({ revoked: Type.Integer({ description: 'How many tokens were revoked' }) });

// ---- sign-in methods and linked identities -------------------------------------------------------

export const SignInMethods = Type.Object({
  password: Type.Boolean(),
  google: Type.Boolean({ description: 'true when "Sign in with Google" is configured (GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET)' }),
});

export const LinkedIdentity = Type.Object(
  {
    provider: Type.Literal('google'),
    email: Type.Union([Type.String(), Type.Null()], { description: 'As the provider gave it; shown only, never used to find an account' }),
    linked_at: Type.Integer({ description: 'Milliseconds since the epoch' }),
  },
  { $id: 'LinkedIdentity' },
);

export const LinkedIdentities = Type.Object({
  has_password: Type.Boolean({ description: 'false for an account made by Google sign-in until it sets a password' }),
  identities: Type.Array(LinkedIdentity),
});
export type LinkedIdentities = Static<typeof LinkedIdentities>;

export const GoogleCallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 2048 })),
  state: Type.Optional(Type.String({ maxLength: 512 })),
  error: Type.Optional(Type.String({ maxLength: 256 })),
  error_description: Type.Optional(Type.String({ maxLength: 1024 })),
  scope: Type.Optional(Type.String({ maxLength: 1024 })),
  authuser: Type.Optional(Type.String({ maxLength: 64 })),
  prompt: Type.Optional(Type.String({ maxLength: 64 })),
  hd: Type.Optional(Type.String({ maxLength: 256 })),
  iss: Type.Optional(Type.String({ maxLength: 512 })),
});

// ---- operator sign-in ----------------------------------------------------------------------------

export const OperatorLogin = Type.Object(CredentialFields);
export const ReauthBody = Type.Object({ password: Password });
export const OperatorMe = Type.Object({
  uid: Type.String(),
  username: Type.String(),
  session_expires_at: Type.Integer({ description: 'Milliseconds since the epoch: operator sign-ins are short and not renewed' }),
  reauth_until: Type.Integer({ description: 'Until when sensitive actions need no password (ms since the epoch; in the past: they ask for it)' }),
});
export type OperatorMe = Static<typeof OperatorMe>;
