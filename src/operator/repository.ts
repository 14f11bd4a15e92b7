/** The operator console's SQL: the audit trail, and the read models the console lists. */
import { sql, type Insertable, type Selectable } from 'kysely';
import type { OperatorAuditTable, ReportsTable } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';

export type AuditRow = Selectable<OperatorAuditTable>;

/** A LIKE pattern matching `text` anywhere, its wildcards taken literally (escape character `\`). */
function containing(text: string) {
  return sql<string>`${'%' + text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`) + '%'}`;
}

export class OperatorRepository {
  constructor(private readonly db: Executor) {}

  /** The only write the audit trail has: the table refuses UPDATE and DELETE (migration 0015). */
  async appendAudit(entry: Insertable<OperatorAuditTable>): Promise<void> {
    await this.db.insertInto('operator_audit').values(entry).execute();
  }

  /** Newest first, before the cursor id when given. */
  searchAudit(filter: { q?: string; action?: string; targetId?: string; cursor?: string; limit: number }): Promise<AuditRow[]> {
    let query = this.db.selectFrom('operator_audit').selectAll().orderBy('id', 'desc').limit(filter.limit);
    if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
    if (filter.cursor) query = query.where('id', '<', filter.cursor);
    const q = filter.q?.trim();
    if (q) {
      const pattern = containing(q);
      query = query.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['operator_name']), 'like', sql<string>`${pattern} escape '\\'`),
          eb(eb.fn('lower', ['target_id']), 'like', sql<string>`${pattern} escape '\\'`),
          eb(eb.fn('lower', ['reason']), 'like', sql<string>`${pattern} escape '\\'`),
          eb(eb.fn('lower', ['before']), 'like', sql<string>`${pattern} escape '\\'`),
          eb(eb.fn('lower', ['after']), 'like', sql<string>`${pattern} escape '\\'`),
        ]),
      );
    }
    return query.execute();
  }

  /** Files a report; false when this viewer already reported this target today. */
  async insertReport(report: Insertable<ReportsTable>): Promise<boolean> {
    const inserted = await this.db
      .insertInto('reports')
      .values(report)
      .onConflict((oc) => oc.columns(['reporter_id', 'room_id', 'target', 'day']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Open reports, grouped by what they are about, the most reported first. */
  openReportGroups(limit: number) {
    return this.db
      .selectFrom('reports')
      .innerJoin('rooms', 'rooms.id', 'reports.room_id')
      .select((eb) => [
        'reports.room_id',
        'reports.target',
        'rooms.room_name',
        eb.fn.countAll<number>().as('count'),
        eb.fn.min<number>('reports.created_at').as('first_at'),
        eb.fn.max<number>('reports.created_at').as('last_at'),
      ])
      .where('reports.status', '=', 'open')
      .groupBy(['reports.room_id', 'reports.target', 'rooms.room_name'])
      .orderBy('count', 'desc')
      .orderBy('last_at', 'desc')
      .limit(limit)
      .execute();
  }

  openReportsOf(roomId: string, target: string) {
    return this.db
      .selectFrom('reports')
      .select(['reason', 'details', 'created_at'])
      .where('room_id', '=', roomId)
      .where('target', '=', target)
      .where('status', '=', 'open')
      .orderBy('created_at', 'desc')
      .execute();
  }

  async closeReports(roomId: string, target: string, status: 'resolved' | 'dismissed', now: number): Promise<number> {
    const result = await this.db
      .updateTable('reports')
      .set({ status, closed_at: now })
      .where('room_id', '=', roomId)
      .where('target', '=', target)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  lineText(roomId: string, floor: number) {
    return this.db.selectFrom('live_messages').select(['sender_name', 'message']).where('room_id', '=', roomId).where('floor', '=', floor).executeTakeFirst();
  }

  userMessageText(roomId: string, id: number) {
    return this.db.selectFrom('user_messages').select(['username', 'message']).where('room_id', '=', roomId).where('id', '=', id).executeTakeFirst();
  }

  /** Rooms for the console: newest first, with their anchor's name and open report count; `before` pages on (created_at, id). */
  listRooms(filter: {
    q?: string;
    status: 'all' | 'live' | 'taken_down' | 'reported';
    roomId?: string;
    anchorId?: string;
    before?: { createdAt: number; id: string };
    limit: number;
  }) {
    let query = this.db
      .selectFrom('rooms')
      .innerJoin('users', 'users.id', 'rooms.anchor_id')
      .select([
        'rooms.id',
        'rooms.room_name',
        'rooms.anchor_id',
        'users.username as anchor_username',
        'rooms.room_type',
        'rooms.live_status',
        'rooms.last_activity_at',
        'rooms.taken_down_at',
        'rooms.takedown_reason',
        'rooms.created_at',
        (eb) =>
          eb
            .selectFrom('reports')
            .select(eb.fn.countAll<number>().as('n'))
            .whereRef('reports.room_id', '=', 'rooms.id')
            .where('reports.status', '=', 'open')
            .as('open_reports'),
      ])
      .orderBy('rooms.created_at', 'desc')
      .orderBy('rooms.id', 'desc')
      .limit(filter.limit);
    if (filter.before) query = query.where((eb) => eb(eb.refTuple('rooms.created_at', 'rooms.id'), '<', eb.tuple(filter.before!.createdAt, filter.before!.id)));
    if (filter.roomId) query = query.where('rooms.id', '=', filter.roomId);
    if (filter.anchorId) query = query.where('rooms.anchor_id', '=', filter.anchorId);
    if (filter.status === 'live') query = query.where('rooms.live_status', '=', 1).where('rooms.taken_down_at', 'is', null);
    if (filter.status === 'taken_down') query = query.where('rooms.taken_down_at', 'is not', null);
    if (filter.status === 'reported') {
      query = query.where((eb) =>
        eb.exists(eb.selectFrom('reports').select('reports.id').whereRef('reports.room_id', '=', 'rooms.id').where('reports.status', '=', 'open')),
      );
    }
    const q = filter.q?.trim();
    if (q) {
      const pattern = containing(q);
      query = query.where((eb) =>
        eb.or([
          eb('rooms.id', '=', q),
          eb(eb.fn('lower', ['rooms.room_name']), 'like', sql<string>`${pattern} escape '\\'`),
          eb(eb.fn('lower', ['users.username']), 'like', sql<string>`${pattern} escape '\\'`),
        ]),
      );
    }
    return query.execute();
  }
}
