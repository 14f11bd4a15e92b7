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
  },
  { $id: 'UserInfo' },
);
export type UserInfo = Static<typeof UserInfo>;

export const UserInfoBody = Type.Object({ user_info: UserInfo });

/** An anchor's identity and a fresh bearer token for the anchor API. */
export const AnchorAuth = Type.Object({ uid: Type.String(), username: Type.String(), token: Type.String() }, { $id: 'AnchorAuth' });
export type AnchorAuth = Static<typeof AnchorAuth>;

// ---- requests ------------------------------------------------------------------------------------

const CredentialFields = {
  username: Text({ maxLength: 64 }),
  password: Text({ maxLength: 256 }),
};

export const Credentials = Type.Object(CredentialFields);

export const AnchorLogin = Type.Object({
  ...CredentialFields,
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
