/**
 * An anchor's earnings as the console shows them: the entries page by page, totals per day and per
 * room over a period, and the period as CSV. Read-only: money only moves in service.ts.
 */
import type { Kysely } from 'kysely';
import type { SessionUser } from '../accounts/index.js';
import type { Database } from '../db/schema.js';
import { badRequest, forbidden } from '../http/errors.js';
import { earningsAccount } from './ledger.js';
import { WalletRepository, type AccountEntry } from './repository.js';
import type { EarningsLine, EarningsLinesPage, EarningsReport } from './schemas.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_PERIOD_DAYS = 366;
/** A period's entries are read at once; beyond this many, the anchor is asked for a shorter period. */
const MAX_PERIOD_ENTRIES = 50_000;
const PAGE_MAX = 100;

export class AnchorEarnings {
  private readonly repo: WalletRepository;

  constructor(db: Kysely<Database>) {
    this.repo = new WalletRepository(db);
  }

  async entries(anchor: SessionUser, cursor: string | undefined, limit = 20): Promise<EarningsLinesPage> {
    requireAnchor(anchor);
    const pageSize = Math.min(Math.max(1, Math.trunc(limit)), PAGE_MAX);
    const entries = await this.repo.accountEntries(earningsAccount(anchor.id), { before: cursor, limit: pageSize + 1 });
    const page = entries.slice(0, pageSize);
    return { entries: await this.lines(page), next_cursor: entries.length > pageSize ? (page.at(-1)?.transferId ?? null) : null };
  }

  async report(anchor: SessionUser, from: string, to: string): Promise<EarningsReport> {
    const { lines, start, days } = await this.period(anchor, from, to);
    return { from, to, total: sum(lines), days: dailyTotals(lines, start, days), rooms: roomTotals(lines) };
  }

  async csv(anchor: SessionUser, from: string, to: string): Promise<string> {
    return earningsCsv((await this.period(anchor, from, to)).lines);
  }

  private async period(anchor: SessionUser, from: string, to: string) {
    requireAnchor(anchor);
    const start = Date.parse(`${from}T00:00:00Z`);
    const last = Date.parse(`${to}T00:00:00Z`);
    if (Number.isNaN(start) || Number.isNaN(last) || last < start) {
      throw badRequest('invalid_period', 'from and to must be days (YYYY-MM-DD) with from on or before to');
    }
    const days = (last - start) / DAY_MS + 1;
    if (days > MAX_PERIOD_DAYS) throw badRequest('period_too_long', `A period is at most ${MAX_PERIOD_DAYS} days`);
    const entries = await this.repo.accountEntriesBetween(earningsAccount(anchor.id), start, last + DAY_MS, MAX_PERIOD_ENTRIES + 1);
    if (entries.length > MAX_PERIOD_ENTRIES) throw badRequest('period_too_large', 'Too many earnings in this period: choose a shorter one');
    return { lines: await this.lines(entries), start, days };
  }

  /** Entries with the room's current name (or the one recorded when paid). */
  private async lines(entries: readonly AccountEntry[]): Promise<EarningsLine[]> {
    const distinct = (key: string) => [...new Set(entries.flatMap((entry) => (typeof entry.metadata[key] === 'string' ? [entry.metadata[key]] : [])))];
    const details = await this.repo.entryDetails(distinct('room_id'), distinct('payer_id'), []);
    return entries.map((entry) => {
      const roomId = typeof entry.metadata.room_id === 'string' ? entry.metadata.room_id : undefined;
      const recordedName = typeof entry.metadata.room_name === 'string' ? entry.metadata.room_name : undefined;
      const roomName = (roomId && details.rooms.get(roomId)?.name) ?? recordedName;
      return {
        id: entry.transferId,
        type: entry.type,
        amount: entry.amount,
        balance_after: entry.balanceAfter,
        created_at: new Date(entry.createdAt).toISOString(),
        ...(roomId ? { room_id: roomId } : {}),
        ...(roomName ? { room_name: roomName } : {}),
        ...(typeof entry.metadata.payer_id === 'string' ? { from_uid: entry.metadata.payer_id } : {}),
        ...(typeof entry.metadata.payer_id === 'string' && details.userNames.has(entry.metadata.payer_id)
          ? { from_name: details.userNames.get(entry.metadata.payer_id) }
          : {}),
        ...(typeof entry.metadata.gift_id === 'string' ? { gift_id: entry.metadata.gift_id } : {}),
        ...(typeof entry.metadata.count === 'number' ? { count: entry.metadata.count } : {}),
      };
    });
  }
}

function requireAnchor(anchor: SessionUser): void {
  if (!anchor.isAnchor) throw forbidden('not_an_anchor', 'Only anchors have earnings');
}

function sum(lines: readonly EarningsLine[]): number {
  return lines.reduce((total, line) => total + line.amount, 0);
}

/** Totals for every UTC day from `start`, zero days included, so a chart has no gaps. */
export function dailyTotals(lines: readonly EarningsLine[], start: number, days: number): EarningsReport['days'] {
  const result = Array.from({ length: days }, (_, i) => ({ date: new Date(start + i * DAY_MS).toISOString().slice(0, 10), total: 0, vip: 0, subscription: 0, gift: 0 }));
  for (const line of lines) {
    const day = result[Math.floor((Date.parse(line.created_at) - start) / DAY_MS)];
    if (!day) continue;
    day.total += line.amount;
    if (line.type === 'vip_room') day.vip += line.amount;
    if (line.type === 'subscription') day.subscription += line.amount;
    if (line.type === 'gift') day.gift += line.amount;
  }
  return result;
}

export function roomTotals(lines: readonly EarningsLine[]): EarningsReport['rooms'] {
  const rooms = new Map<string, { room_id: string; room_name: string; total: number }>();
  for (const line of lines) {
    if (!line.room_id) continue;
    const room = rooms.get(line.room_id) ?? { room_id: line.room_id, room_name: line.room_name ?? line.room_id, total: 0 };
    room.total += line.amount;
    rooms.set(line.room_id, room);
  }
  return [...rooms.values()].sort((a, b) => b.total - a.total || a.room_name.localeCompare(b.room_name));
}

/**
 * RFC 4180 CSV, one row per earning. Text cells that a spreadsheet would run as a formula
 * (starting with = + - @) get a leading apostrophe: room names are written by anchors, but
 * also read by whoever opens the file.
 */
export function earningsCsv(lines: readonly EarningsLine[]): string {
  const cell = (value: string | number | undefined) => {
    if (value === undefined) return '';
    if (typeof value === 'number') return String(value);
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const rows = [['time_utc', 'type', 'amount', 'balance_after', 'room_id', 'room_name', 'from_uid', 'transfer_id'].join(',')];
  for (const line of lines) {
    rows.push([line.created_at, line.type, line.amount, line.balance_after, line.room_id, line.room_name, line.from_uid, line.id].map(cell).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
