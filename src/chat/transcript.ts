/**
 * The anchor/AI transcript the anchor's tool posts: messages one by one or in batches, whole chat
 * files, and deletions. Each post is one transaction; its changes are announced after the commit.
 */
import type { SessionUser } from '../accounts/index.js';
import type { TransactionRunner } from '../db/transaction.js';
import { badRequest, notFound } from '../http/errors.js';
import type { DomainEvent, EventBus, LiveMessageData } from '../realtime/index.js';
import type { RoomView, RoomsService } from '../rooms/index.js';
import { mapDeletedLine, mapLiveMessage } from './mappers.js';
import type { ChatRepository, LiveMessageRow, NewLiveMessage } from './repository.js';
import type { IngestResult } from './schemas.js';
import { isViewerVisible, MAX_FLOOR, type ChatFile, type IncomingLiveMessage } from './sillytavern.js';

/**
 * How far back a resuming viewer can learn of edits and deletions of lines it already holds;
 * deletion tombstones older than this are pruned. Longer absences reload history over HTTP.
 */
export const TRANSCRIPT_CHANGES_KEPT_MS = 24 * 60 * 60 * 1000;

export interface TranscriptDeps {
  inTransaction: TransactionRunner<{ chat: ChatRepository }>;
  rooms: RoomsService;
  eventBus: EventBus;
  clock: () => number;
}

export class TranscriptIngestion {
  constructor(private readonly deps: TranscriptDeps) {}

  /** Messages posted one by one or in a batch: a floor replaces that floor, no floor appends. */
  async postLiveMessages(anchor: SessionUser, roomId: string, messages: IncomingLiveMessage[]): Promise<IngestResult> {
    const room = await this.deps.rooms.requireWritableRoom(anchor, roomId);
    return this.ingest(room, messages, false);
  }

  /**
   * A whole chat file: it is the chat, so floors beyond its end are removed. Re-posting a grown
   * file only writes (and announces) the lines that changed.
   */
  async importChatFile(anchor: SessionUser, roomId: string, file: ChatFile): Promise<IngestResult> {
    const room = await this.deps.rooms.requireWritableRoom(anchor, roomId);
    if (file.header.character_name !== undefined && file.header.character_name !== room.character_name) {
      throw badRequest(
        'chat_mismatch',
        `This file is a chat with "${file.header.character_name}", but the room is for "${room.character_name}"`,
        { line: 1 },
      );
    }
    return this.ingest(room, file.messages, true);
  }

  async deleteLiveMessage(anchor: SessionUser, roomId: string, floor: number): Promise<void> {
    const room = await this.deps.rooms.requireWritableRoom(anchor, roomId);
    const now = this.deps.clock();
    const removed = await this.deps.inTransaction(async ({ chat }) => {
      await chat.touchRoomActivity(roomId, now, null);
      const row = await chat.deleteMessage(roomId, floor);
      if (row?.visible === 1) await chat.recordDeletions(roomId, [floor], now, now - TRANSCRIPT_CHANGES_KEPT_MS);
      return row;
    });
    // The post counted as anchor activity even if the floor was already gone.
    await this.announceRevival(room);
    if (!removed) throw notFound('message_not_found', `No message at floor ${floor}`);
    if (removed.visible === 1) await this.publish({ type: 'chat_live_message', room_id: roomId, data: mapDeletedLine(removed) });
  }

  private async ingest(room: RoomView, incoming: IncomingLiveMessage[], wholeChat: boolean): Promise<IngestResult> {
    const roomId = room.room_id;
    const now = this.deps.clock();
    const { events, result } = await this.deps.inTransaction(async ({ chat }) => {
      const events: LiveMessageData[] = [];
      const result: IngestResult = { received: incoming.length, added: 0, replaced: 0, unchanged: 0, deleted: 0, last_floor: -1 };
      // First statement: takes the room's row lock, so concurrent posts number floors one at a time.
      await chat.touchRoomActivity(roomId, now, null);

      const byFloor = new Map<number, IncomingLiveMessage>();
      let nextFloor = incoming.some((m) => m.floor === undefined) ? (await chat.maxFloor(roomId)) + 1 : 0;
      for (const message of incoming) {
        const floor = message.floor ?? nextFloor;
        if (floor > MAX_FLOOR) throw badRequest('invalid_message', `The chat is longer than ${MAX_FLOOR} messages`);
        nextFloor = Math.max(nextFloor, floor + 1);
        byFloor.set(floor, message);
      }
      const floors = [...byFloor.keys()].sort((a, b) => a - b);
      const existing = new Map<number, LiveMessageRow>();
      if (floors.length > 0) {
        const rows = await chat.messagesInRange(roomId, floors[0] ?? 0, floors[floors.length - 1] ?? 0);
        for (const row of rows) existing.set(row.floor, row);
      }

      const writes: NewLiveMessage[] = [];
      let aiMessageShown = false;
      for (const floor of floors) {
        const message = byFloor.get(floor) as IncomingLiveMessage;
        const before = existing.get(floor);
        const row = toRow(roomId, floor, message, before?.send_date ?? now, now);
        // A line an operator removed stays hidden, whatever the anchor's tool sends for its floor.
        if (before && before.removed_at !== null) row.visible = 0;
        if (before && sameContent(before, row)) {
          result.unchanged += 1;
          continue;
        }
        writes.push(row);
        if (before) result.replaced += 1;
        else result.added += 1;
        const op = liveOp(before?.visible === 1, row.visible === 1);
        if (op === 'delete') events.push(mapDeletedLine(before ?? row));
        else if (op) events.push(mapLiveMessage(row, op));
        if (row.visible === 1 && row.is_user === 0) aiMessageShown = true;
      }
      await chat.upsertMessages(writes);

      if (wholeChat) {
        const removed = await chat.deleteFloorsFrom(roomId, floors.length);
        result.deleted = removed.length;
        if (removed.length > 0) {
          await chat.recordDeletions(roomId, removed.map((row) => row.floor), now, now - TRANSCRIPT_CHANGES_KEPT_MS);
        }
        for (const row of removed) events.push(mapDeletedLine(row));
      }
      if (aiMessageShown) await chat.touchRoomActivity(roomId, now, now);
      result.last_floor = await chat.maxFloor(roomId);
      return { events, result };
    });

    await this.announceRevival(room);
    for (const data of events) await this.publish({ type: 'chat_live_message', room_id: roomId, data });
    return result;
  }

  /** A live room that had gone idle is live again once the anchor is back. */
  private async announceRevival(room: RoomView): Promise<void> {
    if (room.live_switched_on && !room.live_status) {
      await this.publish({ type: 'live_status', room_id: room.room_id, data: { live_status: true } });
    }
  }

  private publish(event: DomainEvent): Promise<void> {
    return this.deps.eventBus.publish(event);
  }
}

function toRow(roomId: string, floor: number, message: IncomingLiveMessage, sendDate: number, now: number): NewLiveMessage {
  return {
    room_id: roomId,
    floor,
    is_user: message.is_user ? 1 : 0,
    is_system: message.is_system ? 1 : 0,
    visible: isViewerVisible(message) ? 1 : 0,
    sender_name: message.sender_name,
    message: message.message,
    send_date: sendDate,
    original_send_date: message.original_send_date,
    extra: message.extra,
    updated_at: now,
  };
}

function sameContent(before: LiveMessageRow, after: NewLiveMessage): boolean {
  return (
    before.is_user === after.is_user &&
    before.is_system === after.is_system &&
    before.sender_name === after.sender_name &&
    before.message === after.message &&
    before.original_send_date === after.original_send_date &&
    before.extra === after.extra
  );
}

/** What viewers must do: a message they had changed or went away, or a new one appeared. */
function liveOp(wasVisible: boolean, isVisible: boolean): LiveMessageData['op'] | undefined {
  if (isVisible) return wasVisible ? 'replace' : 'add';
  return wasVisible ? 'delete' : undefined;
}
