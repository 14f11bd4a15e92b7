/**
 * Row types of every table, as Kysely sees them. Each feature adds its tables here next to its
 * migration. Flags are integers 0/1 and times are epoch milliseconds on both engines.
 */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  username_key: string;
  password_hash: string;
  is_anchor: number;
  created_at: number;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface AnchorTokensTable {
  token_hash: string;
  user_id: string;
  created_at: number;
}

export interface LedgerAccountsTable {
  id: string;
  kind: string;
  owner_id: string | null;
  balance: Generated<number>;
  allow_negative: Generated<number>;
  created_at: number;
}

export interface LedgerTransfersTable {
  id: string;
  idempotency_key: string;
  type: string;
  metadata: Generated<string>;
  created_at: number;
}

export interface LedgerEntriesTable {
  transfer_id: string;
  account_id: string;
  amount: number;
  balance_after: number;
  created_at: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  anchor_tokens: AnchorTokensTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_transfers: LedgerTransfersTable;
  ledger_entries: LedgerEntriesTable;
}
