/**
 * The OpenAPI document at /docs/json is where the web client's types come from: every wire shape
 * it needs is a named component, WebSocket frames included, and every reference resolves.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let doc: { paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };

beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
});
afterAll(async () => {
  await t.close();
});

function refsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') found.add(item);
      else refsIn(item, found);
    }
  }
  return found;
}

it('names the shapes the web client reads', () => {
  expect(Object.keys(doc.components.schemas)).toEqual(
    expect.arrayContaining([
      'ErrorBody',
      'UserInfo',
      'LiveListing',
      'LivePage',
      'FollowedLives',
      'LiveInfo',
      'LiveChatHistory',
      'UserChatHistory',
      'TranscriptItem',
      'UserMessage',
      'PostedUserMessage',
      'VipPaymentResult',
      'SubscriptionResult',
      'WalletBalance',
      'TransactionsPage',
      'RechargePackages',
      'RechargeStarted',
      'PaymentStatus',
      'PaymentOrders',
      'ServerFrame',
      'ClientFrame',
      'Hello',
      'LiveMessageData',
    ]),
  );
});

it('reaches the WebSocket frames from the room socket route', () => {
  const upgrade = JSON.stringify(doc.paths['/ws/chat/{room_id}']?.get?.responses['101']);
  expect(upgrade).toContain('#/components/schemas/ServerFrame');
  expect(upgrade).toContain('#/components/schemas/ClientFrame');
  const frames = JSON.stringify(doc.components.schemas.ServerFrame);
  for (const frame of ['HelloFrame', 'ChatLiveMessageFrame', 'ChatUserMessageFrame', 'ChatUserMessageDeletedFrame', 'LiveNumFrame', 'LiveStatusFrame', 'ErrorFrame', 'PongFrame']) {
    expect(frames).toContain(`#/components/schemas/${frame}`);
  }
});

it('resolves every reference', () => {
  const missing = [...refsIn(doc)].filter((ref) => !(ref.startsWith('#/components/schemas/') && ref.slice(21) in doc.components.schemas));
  expect(missing).toEqual([]);
});
