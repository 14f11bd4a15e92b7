/**
 * The realtime feature's public face: domain events and their buses, presence, and the room
 * WebSocket. The only module other features and the composition import.
 */
export type { DomainEvent, EventBus } from './events.js';
export type { ChatFeed, RoomCursor, RoomDirectory, TranscriptChanges } from './feed.js';
export { MemoryEventBus } from './memory-event-bus.js';
export { MemoryPresence, type Presence } from './presence.js';
export { RedisEventBus } from './redis-event-bus.js';
export { connectCliEventBus } from './cli-event-bus.js';
export { RedisPresence } from './redis-presence.js';
export { realtimeFeature } from './plugin.js';
export {
  ChatBadge,
  GiftEvent,
  LiveMessageData,
  LiveTypingData,
  RoomLeaderboard,
  Supporter,
  TranscriptLineFields,
  UserMessage,
  type UserMessageData,
} from './schemas.js';
