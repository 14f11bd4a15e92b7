/**
 * Rooms: one per anchor chat. Anchors create and manage them; viewers list, open and follow them.
 * Whether a viewer may enter a paid room is the injected RoomAccessPolicy's call.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { assertNotBanned, type SessionUser, type Viewer } from '../accounts/index.js';
import { isUniqueViolation } from '../db/errors.js';
import { newId } from '../db/ids.js';
import { transactional, type Executor, type TransactionRunner } from '../db/transaction.js';
import type { Database } from '../db/schema.js';
import { badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { ReadThroughCache } from '../infra/read-through-cache.js';
import { documentMatches, parseSearchQuery } from '../infra/search-terms.js';
import type { ChatBadge, DomainEvent, EventBus, Presence } from '../realtime/index.js';
import type { RoomAccessPolicy, RoomAccessSubject } from './access.js';
import { LiveRoomsSnapshot } from './live-snapshot.js';
import { mapAnchorRoom, mapListing, mapLiveInfo, mapRoomView } from './mappers.js';
import { RoomsRepository, roomSearchDocument, type RoomPatch, type RoomRecord } from './repository.js';
import {
  MAX_LIVE_LIST,
  MAX_SEARCH_RESULTS,
  ROOM_TYPE_FREE,
  type AnchorRoom,
  type ChatRoomInput,
  type DeletedRoom,
  type FollowedListing,
  type FollowStatus,
  type LiveInfo,
  type LiveListing,
  type LivePage,
  type LiveTags,
  type RoomSearchHit,
  type RoomSettings,
  type SavedChatRoom,
} from './schemas.js';
import { joinTags, normalizeTag, normalizeTags, splitTags } from './tags.js';

const repositories = (executor: Executor) => ({ rooms: new RoomsRepository(executor) });
/** Tags listed for the home page's filter. */
const LIVE_TAGS_SHOWN = 30;

/** Longest a viewer read path may act on a room row older than its latest change (missed event). */
const ROOM_CACHE_MAX_AGE_MS = 1000;
const ROOM_CACHE_ENTRIES = 10_000;
/**
 * Follow state shown in get_live_info. Following or unfollowing updates it at once on the instance
 * that handled it; another instance may show the previous state for up to this long.
 */
const FOLLOW_CACHE_MAX_AGE_MS = 1000;
const FOLLOW_CACHE_ENTRIES = 50_000;

/** A room as the rest of the server sees it; `live_status` already has the idle rule applied. */
export interface RoomView extends RoomAccessSubject {
  room_id: string;
  anchor_username: string;
  room_name: string;
  character_name: string;
  character_date: string;
  title: string;
  describe: string;
  tags: string[];
  live_status: boolean;
  /** The anchor's start/stop switch, before the idle rule. */
  live_switched_on: boolean;
  last_activity_at: number;
  last_ai_message_at: number | null;
  created_at: number;
  archived: boolean;
  cover_image: string | null;
  avatar_image: string | null;
  /** Set while the site's operators have the room taken down. */
  taken_down: { at: number; reason: string } | null;
}

export interface RoomsServiceDeps {
  eventBus: EventBus;
  presence: Presence;
  roomAccess: RoomAccessPolicy;
  liveIdleMinutes: number;
  /** Rooms one anchor may own; opening another is refused (409 room_limit_reached). */
  maxRoomsPerAnchor?: number;
  /** After a room's followers were told it went live, further go-lives within this stay quiet. */
  liveAnnouncementCooldownMinutes?: number;
  log?: FastifyBaseLogger;
  clock?: () => number;
}

const DEFAULT_LIVE_ANNOUNCEMENT_COOLDOWN_MINUTES = 10;

const DEFAULT_MAX_ROOMS_PER_ANCHOR = 1000;

export class RoomsService {
  private readonly repo: RoomsRepository;
  private readonly inTransaction: TransactionRunner<ReturnType<typeof repositories>>;
  private readonly clock: () => number;
  private readonly idleMs: number;
  private readonly snapshot: LiveRoomsSnapshot;
  private readonly roomCache: ReadThroughCache<RoomRecord>;
  private readonly followCache: ReadThroughCache<boolean>;
  private readonly liveSearchTerms = new WeakMap<RoomRecord, string[]>();
  private firstLivePage: { of: LiveListing[]; page: LivePage } | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    db: Kysely<Database>,
    private readonly deps: RoomsServiceDeps,
  ) {
    this.repo = new RoomsRepository(db);
    this.inTransaction = transactional(db, repositories);
    this.clock = deps.clock ?? Date.now;
    this.idleMs = deps.liveIdleMinutes * 60_000;
    this.snapshot = new LiveRoomsSnapshot(this.repo, deps.presence, this.clock, this.idleMs);
    this.roomCache = new ReadThroughCache({
      clock: this.clock,
      maxAgeMs: ROOM_CACHE_MAX_AGE_MS,
      maxEntries: ROOM_CACHE_ENTRIES,
    });
    this.followCache = new ReadThroughCache({ clock: this.clock, maxAgeMs: FOLLOW_CACHE_MAX_AGE_MS, maxEntries: FOLLOW_CACHE_ENTRIES });
    this.unsubscribe = deps.eventBus.subscribe((event) => this.onEvent(event));
  }

  /** Stops following the event bus (app shutdown). */
  close(): void {
    this.unsubscribe();
  }

  /** True while the anchor has it switched on and has been active within LIVE_IDLE_MINUTES. */
  isLive(room: { live_status: number; last_activity_at: number }, now = this.clock()): boolean {
    return room.live_status === 1 && now - room.last_activity_at < this.idleMs;
  }

  /**
   * The room as viewers see it, from the room cache: changes are visible as soon as their event is
   * delivered (at once on the instance that made them), and never more than a second late.
   */
  async findRoom(roomId: string): Promise<RoomView | undefined> {
    // Unknown rooms are not remembered: a room created a moment later must be found.
    const row = await this.roomCache.get(roomId, () => this.repo.findById(roomId));
    return row && this.toView(row);
  }

  /** The room, or 404 `room_not_found`. */
  async getRoom(roomId: string): Promise<RoomView> {
    const room = await this.findRoom(roomId);
    if (!room) throw notFound('room_not_found', 'Room not found');
    return room;
  }

  /** The room if this viewer may watch it; 404 `room_not_found` or 403 `vip_required` otherwise. */
  async assertCanEnter(viewer: Viewer, roomId: string): Promise<RoomView> {
    const room = await this.getVisibleRoom(viewer, roomId);
    if (room.taken_down) throw forbidden('room_taken_down', "This room was taken down by the site's operators");
    if (!(await this.deps.roomAccess.canEnter(viewer, room))) {
      throw forbidden('vip_required', 'This room is for paying viewers: unlock it first');
    }
    return room;
  }

  /**
   * The room, unless it is archived and the viewer is not among those it is kept for: its anchor,
   * whoever paid into it, and (paid rooms) its anchor's subscribers. To everyone else an archived
   * room is 404, as if deleted.
   */
  async getVisibleRoom(viewer: Viewer, roomId: string): Promise<RoomView> {
    const room = await this.getRoom(roomId);
    if (!room.archived || (viewer.kind === 'user' && viewer.user.id === room.anchor_id)) return room;
    const { roomAccess } = this.deps;
    if (await roomAccess.paidInto(viewer, room.id)) return room;
    if (room.room_type !== ROOM_TYPE_FREE && (await roomAccess.canEnter(viewer, room))) return room;
    throw notFound('room_not_found', 'Room not found');
  }

  /**
   * The badges a viewer shows beside their name in the room's chat: `anchor` in their own room,
   * `subscriber` while subscribed to its anchor, `vip` in a paid room they unlocked. Guests have none.
   */
  async chatBadges(viewer: Viewer, room: RoomView): Promise<ChatBadge[]> {
    if (viewer.kind !== 'user') return [];
    if (viewer.user.id === room.anchor_id) return ['anchor'];
    const { roomAccess } = this.deps;
    const subscribed = (await roomAccess.subscriptionInfo(viewer, room.anchor_id)).subscription_status;
    // Subscribers may enter every paid room of the anchor; only someone else inside paid for it.
    const unlocked = room.room_type !== ROOM_TYPE_FREE && !subscribed && (await roomAccess.canEnter(viewer, room));
    return [...(subscribed ? (['subscriber'] as const) : []), ...(unlocked ? (['vip'] as const) : [])];
  }

  /** The anchor's own room, or 404 (another anchor's room is indistinguishable from a missing one). */
  async requireOwnRoom(anchor: SessionUser, roomId: string): Promise<RoomView> {
    // A banned anchor cannot stream: every write to a room passes here.
    assertNotBanned(anchor);
    // Anchor writes decide on the current row (e.g. whether a post revives an idle room), not a cached one.
    const row = await this.repo.findById(roomId);
    if (!row || row.anchor_id !== anchor.id) throw notFound('room_not_found', 'Room not found');
    return this.toView(row);
  }

  /** The anchor's own room, if it takes new lines and settings: an archived room is read-only (409). */
  async requireWritableRoom(anchor: SessionUser, roomId: string): Promise<RoomView> {
    const room = await this.requireOwnRoom(anchor, roomId);
    if (room.archived) throw conflict('room_archived', 'This room is archived: restore it first');
    return room;
  }

  /** One chat = one room: the same anchor + character + chat stamp returns (and updates) the same room. */
  async saveChatRoom(anchor: SessionUser, input: ChatRoomInput): Promise<SavedChatRoom> {
    assertNotBanned(anchor);
    const characterName = requiredText(input.character_name, 'character_name');
    const characterDate = requiredText(input.character_date, 'character_date');
    const existing = await this.repo.findByChat(anchor.id, characterName, characterDate);
    if (existing) return { room: await this.applySettings(existing, input), created: false };

    const maxRooms = this.deps.maxRoomsPerAnchor ?? DEFAULT_MAX_ROOMS_PER_ANCHOR;
    const now = this.clock();
    const settings = resolveSettings({ room_type: ROOM_TYPE_FREE, coin_num: 0 }, input);
    const id = newId();
    const tags = input.tags === undefined ? [] : normalizeTags(input.tags);
    try {
      // Count and insert under the anchor's lock: parallel creations cannot all see room for one more.
      await this.inTransaction(async ({ rooms }) => {
        await rooms.lockAnchorRooms(anchor.id);
        if ((await rooms.countByAnchor(anchor.id)) >= maxRooms) {
          throw conflict('room_limit_reached', `An anchor can have at most ${maxRooms} rooms`, { limit: maxRooms });
        }
        await rooms.insert({
          id,
          anchor_id: anchor.id,
          character_name: characterName,
          character_date: characterDate,
          room_name: settings.room_name ?? characterName,
          title: settings.title ?? '',
          description: settings.description ?? '',
          room_type: settings.room_type ?? ROOM_TYPE_FREE,
          coin_num: settings.coin_num ?? 0,
          live_status: 0,
          last_activity_at: now,
          last_ai_message_at: null,
          created_at: now,
          updated_at: now,
          tags: joinTags(tags),
        });
        await rooms.setTags(id, tags);
        await rooms.indexForSearch(id);
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // The same chat was registered concurrently: that room wins, with these settings applied.
      const winner = await this.repo.findByChat(anchor.id, characterName, characterDate);
      if (!winner) throw err;
      return { room: await this.applySettings(winner, input), created: false };
    }
    await this.publish({ type: 'room_updated', room_id: id, data: {} });
    return { room: this.toAnchorRoom(await this.mustFind(id)), created: true };
  }

  async updateRoom(anchor: SessionUser, roomId: string, settings: RoomSettings): Promise<AnchorRoom> {
    await this.requireOwnRoom(anchor, roomId);
    return this.applySettings(await this.mustFind(roomId), settings);
  }

  /**
   * The anchor's rooms, newest first. Without `limit` all of them (at most maxRoomsPerAnchor, as
   * before paging existed); with it one page and the cursor of the next (null on the last).
   */
  async listAnchorRooms(anchor: SessionUser, page: { limit?: number; cursor?: string } = {}): Promise<{ rooms: AnchorRoom[]; nextCursor: string | null }> {
    const after = page.cursor === undefined ? undefined : parseRoomCursor(page.cursor);
    const rows = await this.repo.listByAnchor(anchor.id, { after, limit: page.limit === undefined ? undefined : page.limit + 1 });
    const more = page.limit !== undefined && rows.length > page.limit;
    const shown = more ? rows.slice(0, page.limit) : rows;
    const last = shown[shown.length - 1];
    return {
      rooms: shown.map((row) => ({
        ...this.toAnchorRoom(row),
        live_message_count: Number(row.live_message_count),
        user_message_count: Number(row.user_message_count),
      })),
      nextCursor: more && last ? `${Number(last.created_at)}_${last.id}` : null,
    };
  }

  async setLive(anchor: SessionUser, roomId: string, live: boolean): Promise<AnchorRoom> {
    const room = await this.requireOwnRoom(anchor, roomId);
    if (live && room.archived) throw conflict('room_archived', 'An archived room cannot go live: restore it first');
    if (live && room.taken_down) {
      throw forbidden('room_taken_down', `This room was taken down by the site's operators: ${room.taken_down.reason}`);
    }
    await this.repo.setLiveStatus(roomId, live, this.clock());
    await this.publish({ type: 'live_status', room_id: roomId, data: { live_status: live } });
    return this.toAnchorRoom(await this.mustFind(roomId));
  }

  /** Sets (an image key from the images feature) or removes (null) the room's cover or avatar. */
  async setRoomImage(anchor: SessionUser, roomId: string, kind: 'cover' | 'avatar', imageKey: string | null): Promise<AnchorRoom> {
    await this.requireOwnRoom(anchor, roomId);
    await this.repo.setImage(roomId, kind, imageKey, this.clock());
    await this.publish({ type: 'room_updated', room_id: roomId, data: {} });
    return this.toAnchorRoom(await this.mustFind(roomId));
  }

  /**
   * Archives a room (out of every listing, switched off, read-only, kept for those who paid into
   * it) or restores it.
   */
  async setArchived(anchor: SessionUser, roomId: string, archived: boolean): Promise<AnchorRoom> {
    const room = await this.requireOwnRoom(anchor, roomId);
    if (room.archived !== archived) {
      await this.repo.setArchived(roomId, archived ? this.clock() : null, this.clock());
      if (archived && room.live_switched_on) await this.publish({ type: 'live_status', room_id: roomId, data: { live_status: false } });
      await this.publish({ type: 'room_updated', room_id: roomId, data: {} });
    }
    return this.toAnchorRoom(await this.mustFind(roomId));
  }

  /**
   * Deletes a room nobody paid into, with its transcript and chat. A room someone paid into is
   * archived instead, so they keep what they paid for; the answer says which happened.
   */
  async deleteRoom(anchor: SessionUser, roomId: string): Promise<DeletedRoom> {
    const room = await this.requireOwnRoom(anchor, roomId);
    if (!(await this.repo.deleteIfUnpaid(roomId))) return { outcome: 'archived', room: await this.setArchived(anchor, roomId, true) };
    if (room.live_switched_on) await this.publish({ type: 'live_status', room_id: roomId, data: { live_status: false } });
    await this.publish({ type: 'room_updated', room_id: roomId, data: {} });
    return { outcome: 'deleted' };
  }

  /**
   * Live rooms for get_all_lives, from the in-memory snapshot. `cursor` is the opaque offset of the
   * next page. The unpaged answer is one shared object per snapshot build: treat it as read-only.
   */
  async liveRooms(page: { limit?: number; cursor?: string }): Promise<LivePage> {
    const all = await this.snapshot.listings();
    const offset = page.cursor ? parseCursor(page.cursor) : 0;
    const limit = Math.min(page.limit ?? MAX_LIVE_LIST, MAX_LIVE_LIST);
    if (offset === 0 && limit === MAX_LIVE_LIST) {
      if (this.firstLivePage?.of !== all) this.firstLivePage = { of: all, page: livePage(all, 0, limit) };
      return this.firstLivePage.page;
    }
    return livePage(all, offset, limit);
  }

  async liveInfo(viewer: Viewer, roomId: string): Promise<LiveInfo> {
    const room = await this.getVisibleRoom(viewer, roomId);
    const [vipStatus, subscription, following] = await Promise.all([
      this.deps.roomAccess.canEnter(viewer, room),
      this.deps.roomAccess.subscriptionInfo(viewer, room.anchor_id),
      viewer.kind === 'user' ? this.isFollowing(viewer.user.id, roomId) : false,
    ]);
    return mapLiveInfo(room, { liveNum: this.deps.presence.count(room.room_id), vipStatus, following, subscription });
  }

  /**
   * Live rooms for the home page's sections: `popular` (most watched) or `new`, optionally only
   * those with a tag. Served from the snapshot like get_all_lives.
   */
  async discoverLive(page: { limit?: number; cursor?: string; sort?: 'popular' | 'new'; tag?: string }): Promise<LivePage> {
    if ((page.sort ?? 'popular') === 'popular' && page.tag === undefined) return this.liveRooms(page);
    let all = await this.snapshot.listings(page.sort ?? 'popular');
    if (page.tag !== undefined) {
      const tag = normalizeTag(page.tag);
      all = all.filter((listing) => listing.tags.includes(tag));
    }
    const offset = page.cursor ? parseCursor(page.cursor) : 0;
    return livePage(all, offset, Math.min(page.limit ?? MAX_LIVE_LIST, MAX_LIVE_LIST));
  }

  /** Tags of the live rooms, most used first: the home page's filter. */
  async liveTags(): Promise<LiveTags> {
    const counts = new Map<string, number>();
    for (const listing of await this.snapshot.listings()) {
      for (const tag of listing.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
    const tags = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, LIVE_TAGS_SHOWN);
    return { tags: tags.map(([tag, live_count]) => ({ tag, live_count })) };
  }

  /**
   * Rooms, live or not, whose title, room or character name, anchor name or tags match `q`, and
   * that carry `tag` when given: the live ones first (most watched first, matched in memory against
   * the live snapshot, so none is lost behind older matches), then the index's matches, newest
   * first. A query with nothing searchable in it (only punctuation) finds nothing.
   */
  async search(params: { q?: string; tag?: string; limit?: number }): Promise<RoomSearchHit[]> {
    const limit = Math.min(params.limit ?? 50, MAX_SEARCH_RESULTS);
    const tag = params.tag === undefined ? undefined : normalizeTag(params.tag);
    const text = params.q?.trim() ?? '';
    if (text === '' && tag === undefined) throw badRequest('query_required', 'Give q, tag or both');
    const query = parseSearchQuery(text);
    if (tag === '' || (text !== '' && query.terms.length === 0)) return [];

    const live = (await this.snapshot.liveRecords())
      .filter(({ room }) => (tag === undefined || splitTags(room.tags).includes(tag)) && (text === '' || documentMatches(query, this.searchTerms(room))))
      .sort((a, b) => b.liveNum - a.liveNum || b.room.created_at - a.room.created_at)
      .slice(0, limit);
    const indexed = text === '' ? await this.repo.withTag(tag!, limit) : await this.repo.search(query, tag, limit);
    const now = this.clock();
    const hits = live.map(({ room, liveNum }) => this.toHit(room, liveNum, true));
    const shown = new Set(hits.map((hit) => hit.room_id));
    for (const row of indexed) {
      if (hits.length >= limit) break;
      if (shown.has(row.id)) continue;
      hits.push(this.toHit(row, this.deps.presence.count(row.id), this.isLive(row, now)));
    }
    return hits;
  }

  private toHit(row: RoomRecord, liveNum: number, live: boolean): RoomSearchHit {
    return { ...mapListing(row, liveNum), live_status: live, created_at: new Date(Number(row.created_at)).toISOString() };
  }

  /** A live room's search terms, computed once per snapshot row. */
  private searchTerms(room: RoomRecord): string[] {
    let terms = this.liveSearchTerms.get(room);
    if (!terms) this.liveSearchTerms.set(room, (terms = roomSearchDocument(room).split(' ')));
    return terms;
  }

  /** Which of these users follow the room (the go-live notice goes to them). */
  followersAmong(roomId: string, userIds: readonly string[]): Promise<string[]> {
    return this.repo.followersAmong(roomId, userIds);
  }

  /** After an anchor's rename, inside its transaction: their rooms are found by the new name. */
  async reindexAnchor(executor: Executor, anchorId: string): Promise<void> {
    await new RoomsRepository(executor).reindexAnchorRooms(anchorId);
  }

  async setFollow(user: SessionUser, roomId: string, follow: boolean): Promise<FollowStatus> {
    await this.getVisibleRoom({ kind: 'user', user }, roomId);
    if (follow) await this.repo.follow(user.id, roomId, this.clock());
    else await this.repo.unfollow(user.id, roomId);
    this.followCache.invalidate(followKey(user.id, roomId));
    return { follow_status: follow };
  }

  async followedRooms(user: SessionUser): Promise<FollowedListing[]> {
    const rows = await this.repo.listFollowed(user.id);
    const now = this.clock();
    return rows.map((row) => ({ ...mapListing(row, this.deps.presence.count(row.id)), live_status: this.isLive(row, now) }));
  }

  private async isFollowing(userId: string, roomId: string): Promise<boolean> {
    const key = followKey(userId, roomId);
    return (await this.followCache.get(key, () => this.repo.isFollowing(userId, roomId))) ?? false;
  }

  /** Viewers in the room now, across instances. */
  viewerCount(roomId: string): number {
    return this.deps.presence.count(roomId);
  }

  // ---- operators (the console's actions run these inside their audited transaction) ---------------

  /** Takes the room down: off the listings, closed to viewers, switched off. Publish `afterCommit`'s events after the commit. */
  async takeDownWithin(executor: Executor, roomId: string, reason: string, now: number) {
    const repo = new RoomsRepository(executor);
    const row = await repo.findById(roomId);
    if (!row) throw notFound('room_not_found', 'Room not found');
    if (row.taken_down_at !== null) throw conflict('already_taken_down', 'This room is already taken down');
    await repo.setTakenDown(roomId, { at: now, reason });
    return {
      before: { taken_down: false, live_status: row.live_status === 1 },
      after: { taken_down: true, takedown_reason: reason, live_status: false },
      afterCommit: () => this.announceTakedown(roomId, true),
    };
  }

  async restoreWithin(executor: Executor, roomId: string) {
    const repo = new RoomsRepository(executor);
    const row = await repo.findById(roomId);
    if (!row) throw notFound('room_not_found', 'Room not found');
    if (row.taken_down_at === null) throw conflict('not_taken_down', 'This room is not taken down');
    await repo.setTakenDown(roomId, null);
    return {
      before: { taken_down: true, takedown_reason: row.takedown_reason },
      after: { taken_down: false },
      afterCommit: () => this.announceTakedown(roomId, false),
    };
  }

  private async announceTakedown(roomId: string, takenDown: boolean): Promise<void> {
    await this.publish({ type: 'room_updated', room_id: roomId, data: {} });
    if (takenDown) await this.publish({ type: 'live_status', room_id: roomId, data: { live_status: false } });
    await this.publish({ type: 'room_taken_down', room_id: roomId, data: { taken_down: takenDown } });
  }

  private onEvent(event: DomainEvent): void {
    // Each of these changed the room's row (settings, live switch, last activity).
    if (event.type === 'chat_live_message' || event.type === 'live_status' || event.type === 'room_updated') {
      this.roomCache.invalidate(event.room_id);
    }
    if (event.type === 'chat_live_message') {
      this.snapshot.noteActivity(event.room_id, this.clock(), !event.data.is_user && event.data.op !== 'delete');
    } else if (event.type === 'live_status' || event.type === 'room_updated') {
      this.snapshot.invalidate();
    }
    if (event.type === 'live_status' && event.data.live_status) {
      this.announceGoLive(event.room_id).catch((err: unknown) => this.deps.log?.error({ err, roomId: event.room_id }, 'go-live announcement failed'));
    }
  }

  /**
   * Every instance hears a room go live and races to claim its announcement; the one that wins
   * publishes `followed_live` once, and every instance then tells its own sockets of the room's
   * followers. A room toggled on and off again within the cooldown stays quiet.
   */
  private async announceGoLive(roomId: string): Promise<void> {
    const now = this.clock();
    const cooldownMs = (this.deps.liveAnnouncementCooldownMinutes ?? DEFAULT_LIVE_ANNOUNCEMENT_COOLDOWN_MINUTES) * 60_000;
    if (!(await this.repo.claimLiveAnnouncement(roomId, now, cooldownMs))) return;
    const room = await this.repo.findById(roomId);
    if (!room) return;
    await this.publish({
      type: 'followed_live',
      room_id: roomId,
      data: {
        room_id: room.id,
        room_name: room.room_name,
        title: room.title,
        character_name: room.character_name,
        uid: room.anchor_id,
        username: room.anchor_username,
        went_live_at: new Date(now).toISOString(),
      },
    });
  }

  private async applySettings(room: RoomRecord, input: RoomSettings): Promise<AnchorRoom> {
    const patch = resolveSettings(room, input);
    const tags = input.tags === undefined ? undefined : normalizeTags(input.tags);
    const tagsChanged = tags !== undefined && joinTags(tags) !== joinTags(splitTags(room.tags));
    if (Object.keys(patch).length > 0 || tagsChanged) {
      const searched = tagsChanged || patch.title !== undefined || patch.room_name !== undefined;
      await this.inTransaction(async ({ rooms }) => {
        await rooms.update(room.id, { ...patch, updated_at: this.clock() });
        if (tagsChanged) await rooms.setTags(room.id, tags);
        if (searched) await rooms.indexForSearch(room.id);
      });
      await this.publish({ type: 'room_updated', room_id: room.id, data: {} });
    }
    return this.toAnchorRoom(await this.mustFind(room.id));
  }

  private async mustFind(roomId: string): Promise<RoomRecord> {
    const row = await this.repo.findById(roomId);
    if (!row) throw notFound('room_not_found', 'Room not found');
    return row;
  }

  private publish(event: DomainEvent): Promise<void> {
    return this.deps.eventBus.publish(event);
  }

  private toView(row: RoomRecord): RoomView {
    return mapRoomView(row, this.isLive(row));
  }

  private toAnchorRoom(row: RoomRecord): AnchorRoom {
    return mapAnchorRoom(this.toView(row), this.deps.presence.count(row.id));
  }
}

function requiredText(value: string, field: string): string {
  const text = value.trim();
  if (!text) throw badRequest('invalid_request', `${field} must not be empty`);
  return text;
}

/**
 * The columns to change. A paid room (VIP or private) needs a price; a free room's price is 0 so
 * listings never show a price for something free.
 */
function resolveSettings(current: { room_type: number; coin_num: number }, input: RoomSettings): RoomPatch {
  const patch: RoomPatch = {};
  if (input.room_name !== undefined) patch.room_name = requiredText(input.room_name, 'room_name');
  if (input.title !== undefined) patch.title = input.title.trim();
  if (input.describe !== undefined) patch.description = input.describe.trim();
  const roomType = input.room_type ?? current.room_type;
  let coinNum = input.coin_num ?? current.coin_num;
  if (roomType === ROOM_TYPE_FREE) coinNum = 0;
  else if (coinNum <= 0) throw badRequest('coin_num_required', 'VIP and private rooms need a price: coin_num > 0');
  if (roomType !== current.room_type) patch.room_type = roomType;
  if (coinNum !== current.coin_num) patch.coin_num = coinNum;
  return patch;
}

function followKey(userId: string, roomId: string): string {
  return `${userId} ${roomId}`;
}

function livePage(all: LiveListing[], offset: number, limit: number): LivePage {
  const lives = all.slice(offset, offset + limit);
  const next = offset + lives.length;
  return { lives_info: lives, next_cursor: next < all.length ? String(next) : null };
}

function parseCursor(cursor: string): number {
  if (!/^\d{1,6}$/.test(cursor)) throw badRequest('invalid_cursor', 'cursor must come from a previous next_cursor');
  return Number(cursor);
}

/** A page cursor is the last room's creation time and id: `<ms>_<id>`. */
function parseRoomCursor(cursor: string): { createdAt: number; id: string } {
  const match = /^(\d{1,16})_([A-Za-z0-9_-]{1,64})$/.exec(cursor);
  if (!match) throw badRequest('invalid_cursor', 'cursor must be the next_cursor of a previous page');
  return { createdAt: Number(match[1]), id: match[2]! };
}
