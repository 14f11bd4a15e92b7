/**
 * Live typing: the AI reply as the anchor's tool streams it, relayed to the room's viewers through
 * the event bus and never stored. The real line replaces it when the tool posts it as a message.
 * Bounded per room in size and rate, so a misbehaving tool cannot flood a room's viewers.
 */
import type { SessionUser } from '../accounts/index.js';
import { AppError, badRequest, tooManyRequests } from '../http/errors.js';
import { consume, type RateLimiter } from '../infra/rate-limiter.js';
import type { EventBus, LiveTypingData } from '../realtime/index.js';
import type { RoomsService } from '../rooms/index.js';
import type { ChatRepository } from './repository.js';
import { MAX_MESSAGE_CHARS } from './sillytavern.js';

/** The same bound as a stored message: typing is that message before it is finished. */
export const MAX_TYPING_CHARS = MAX_MESSAGE_CHARS;
/** Updates per room per second; tools send 4–10 a second. */
export const TYPING_UPDATES_PER_SECOND = 12;
/**
 * How far past the next floor typing may point: the tool's user line (and the reply's placeholder)
 * may still be on their way when the first tokens arrive.
 */
export const TYPING_FLOORS_AHEAD = 2;

export interface TypingUpdate {
  floor: number;
  text: string;
  done?: boolean;
}

export interface LiveTypingDeps {
  repo: ChatRepository;
  rooms: RoomsService;
  eventBus: EventBus;
  rateLimiter: RateLimiter;
}

export class LiveTyping {
  constructor(private readonly deps: LiveTypingDeps) {}

  async update(anchor: SessionUser, roomId: string, update: TypingUpdate): Promise<LiveTypingData> {
    const room = await this.deps.rooms.requireWritableRoom(anchor, roomId);
    if (update.text.length > MAX_TYPING_CHARS) {
      throw new AppError(413, 'typing_too_long', `Typing text is at most ${MAX_TYPING_CHARS} characters`);
    }
    const limit = await consume(this.deps.rateLimiter, `typing:${roomId}`, TYPING_UPDATES_PER_SECOND, 1);
    if (!limit.allowed) {
      throw tooManyRequests(`At most ${TYPING_UPDATES_PER_SECOND} typing updates per second`, limit.retryAfterSeconds);
    }
    const nextFloor = (await this.deps.repo.maxFloor(roomId)) + 1;
    if (update.floor > nextFloor + TYPING_FLOORS_AHEAD) {
      throw badRequest('floor_out_of_range', `Typing is for floor ${update.floor}, but the chat's next floor is ${nextFloor}`, {
        next_floor: nextFloor,
      });
    }
    const data: LiveTypingData = {
      floor: update.floor,
      text: update.text.replaceAll('\u0000', ''),
      sender_name: room.character_name,
      done: update.done === true,
    };
    await this.deps.eventBus.publish({ type: 'chat_live_typing', room_id: roomId, data });
    return data;
  }
}
