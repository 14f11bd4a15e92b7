import type { Migration } from 'kysely';
import * as m0001 from './0001_accounts.js';
import * as m0002 from './0002_ledger.js';
import * as m0003 from './0003_rooms.js';
import * as m0004 from './0004_wallet.js';
import * as m0005 from './0005_payments.js';
import * as m0006 from './0006_rooms_extra.js';
import * as m0007 from './0007_transcript_changes.js';
import * as m0008 from './0008_viewer_chat_extras.js';
import * as m0009 from './0009_room_support.js';
import * as m0010 from './0010_guest_network.js';
import * as m0011 from './0011_account_deletion.js';
import * as m0012 from './0012_console_token_devices.js';
import * as m0013 from './0013_room_archive_and_images.js';
import * as m0014 from './0014_discovery.js';
import * as m0015 from './0015_operator_console.js';
import * as m0016 from './0016_linked_identities.js';
import * as m0018 from './0018_audit_cli_actor.js';

/** Every migration, by name. Listed explicitly so bundlers, tsx and vitest all load the same set. */
export const migrations: Record<string, Migration> = {
  '0001_accounts': m0001,
  '0002_ledger': m0002,
  '0003_rooms': m0003,
  '0004_wallet': m0004,
  '0005_payments': m0005,
  '0006_rooms_extra': m0006,
  '0007_transcript_changes': m0007,
  '0008_viewer_chat_extras': m0008,
  '0009_room_support': m0009,
  '0010_guest_network': m0010,
  '0011_account_deletion': m0011,
  '0012_console_token_devices': m0012,
  '0013_room_archive_and_images': m0013,
  '0014_discovery': m0014,
  '0015_operator_console': m0015,
  '0016_linked_identities': m0016,
  '0018_audit_cli_actor': m0018,
};
