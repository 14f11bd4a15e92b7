/** The anchor's moderation of viewer chat: mutes (checked on every viewer post) and removals. */
import type { SessionUser, Viewer } from '../accounts/index.js';
import { badRequest, notFound } from '../http/errors.js';
import { ReadThroughCache } from '../infra/read-through-cache.js';
import type { EventBus } from '../realtime/index.js';
import type { RoomsService } from '../rooms/index.js';
import type { ChatRepository } from './repository.js';
import type { MuteResult, MuteTarget } from './schemas.js';

/**
 * Mute state checked on every viewer post. A mute or unmute applies at once on the instance that
 * handled it; another instance may still go by the previous state for up to this long.
 */
const MUTE_CACHE_MAX_AGE_MS = 1000;
const MUTE_CACHE_ENTRIES = 50_000;

export interface ModerationDeps {
  repo: ChatRepository;
  rooms: RoomsService;
  eventBus: EventBus;
  clock: () => number;
}

export class Moderation {
  /** room + sender -> muted until (epoch ms; 0 when not muted). */
  private readonly mutes: ReadThroughCache<number>;

  constructor(private readonly deps: ModerationDeps) {
    this.mutes = new ReadThroughCache<number>({ clock: deps.clock, maxAgeMs: MUTE_CACHE_MAX_AGE_MS, maxEntries: MUTE_CACHE_ENTRIES });
  }

  /**
   * Mutes a user or guest in the room for `minutes` (0 lifts the mute). A guest's mute also covers
   * guests from the network of their latest message, so dropping the cookie (a new guest name) does
   * not escape it; signed-in viewers on that network are not affected.
   */
  async mute(anchor: SessionUser, roomId: string, target: MuteTarget, minutes: number): Promise<MuteResult> {
    await this.deps.rooms.requireOwnRoom(anchor, roomId);
    const subjects = [muteSubject(target)];
    if (!target.uid && target.guest_name) {
      const network = await this.deps.repo.lastGuestNetwork(roomId, target.guest_name);
      if (network) subjects.push(guestNetworkSubject(network));
    }
    const until = minutes === 0 ? undefined : this.deps.clock() + minutes * 60_000;
    for (const subject of subjects) {
      if (until === undefined) await this.deps.repo.clearMute(roomId, subject);
      else await this.deps.repo.setMute(roomId, subject, until);
      this.mutes.invalidate(muteKey(roomId, subject));
    }
    return { muted_until: until === undefined ? null : new Date(until).toISOString() };
  }

  async deleteUserMessage(anchor: SessionUser, roomId: string, id: number): Promise<void> {
    await this.deps.rooms.requireOwnRoom(anchor, roomId);
    if (!(await this.deps.repo.softDeleteUserMessage(roomId, id, this.deps.clock()))) {
      throw notFound('message_not_found', 'No such viewer message in this room');
    }
    await this.deps.eventBus.publish({ type: 'chat_user_message_deleted', room_id: roomId, data: { id } });
  }

  /** Until when (epoch ms) the subject (see viewerSubject) is muted in the room; 0 when not muted. */
  async mutedUntil(roomId: string, subject: string): Promise<number> {
    const load = async () => (await this.deps.repo.muteUntil(roomId, subject)) ?? 0;
    return (await this.mutes.get(muteKey(roomId, subject), load)) ?? 0;
  }
}

/** Who a mute (and a rate limit) applies to: a user by uid, a guest by guest name. */
export function viewerSubject(viewer: Viewer): string {
  return viewer.kind === 'user' ? muteSubject({ uid: viewer.user.id }) : muteSubject({ guest_name: viewer.guestName });
}

/** Guests from one network (see clientNetwork), for mutes and limits that survive a dropped cookie. */
export function guestNetworkSubject(network: string): string {
  return `guest-network:${network}`;
}

function muteSubject(target: MuteTarget): string {
  if (target.uid) return `user:${target.uid}`;
  if (target.guest_name) return `guest:${target.guest_name}`;
  throw badRequest('invalid_request', 'Give the uid or the guest_name to mute');
}

function muteKey(roomId: string, subject: string): string {
  return `${roomId} ${subject}`;
}
