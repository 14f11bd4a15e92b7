/** Anchor-side shortcuts for room and chat tests. */
import { readFileSync } from 'node:fs';
import type { TestClient } from './client.js';

export const SERAPHINA_CHAT = readFileSync(new URL('../chat/fixtures/seraphina-chat.jsonl', import.meta.url), 'utf8');
export const SERAPHINA = { character_name: 'Seraphina', character_date: '2025-07-11@17h51m03s' };

let chatCounter = 0;
/** A distinct chat stamp per call, so each call opens a new room. */
export function uniqueChatDate(): string {
  chatCounter += 1;
  return `2025-07-${String((chatCounter % 28) + 1).padStart(2, '0')}@18h17m${String(chatCounter).padStart(2, '0')}s-${process.pid}`;
}

export async function openRoom(anchor: TestClient, fields: Record<string, unknown> = {}): Promise<string> {
  const res = await anchor.post('/api/anchor/rooms', { character_name: 'Seraphina', character_date: uniqueChatDate(), ...fields });
  if (res.statusCode !== 200) throw new Error(`open room failed: ${res.body}`);
  return res.json().data.room.room_id as string;
}

export async function setLive(anchor: TestClient, roomId: string, live = true): Promise<void> {
  const res = await anchor.post(`/api/anchor/rooms/${roomId}/live`, { live_status: live ? 'start' : 'stop' });
  if (res.statusCode !== 200) throw new Error(`live failed: ${res.body}`);
}

export function postChatFile(anchor: TestClient, roomId: string, chat: string) {
  return anchor.request('POST', `/api/anchor/rooms/${roomId}/messages`, {
    payload: chat,
    headers: { 'content-type': 'application/x-ndjson' },
  });
}

export async function postMessages(anchor: TestClient, roomId: string, body: unknown) {
  return anchor.post(`/api/anchor/rooms/${roomId}/messages`, body);
}

/** Sorted keys of an object, for exact contract shape checks. */
export function keys(value: unknown): string[] {
  return Object.keys(value as object).sort();
}
