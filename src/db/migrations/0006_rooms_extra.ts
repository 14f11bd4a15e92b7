import type { Kysely } from 'kysely';

/** The live list reloads "switched on and recently active" rooms after every start/stop/update. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('rooms_live').on('rooms').columns(['live_status', 'last_activity_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('rooms_live').execute();
}
