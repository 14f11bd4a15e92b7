import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useDocumentTitle, useFocusOnArrival } from '../../../shared/router.tsx';
import { useLiveSection, type LiveSort } from '../api/get-all-lives.ts';
import { useFollowedLives } from '../api/get-followed-lives.ts';
import { useLiveTags } from '../api/get-live-tags.ts';
import { useRoomSearch } from '../api/search-rooms.ts';
import { useSession } from '../../session/index.ts';
import { ErrorText } from '../../../shared/ui/ErrorText.tsx';
import { BroadcastIcon } from '../../../shared/ui/Icons.tsx';
import { RoomCard } from './RoomCard.tsx';
import { useI18n } from '../../../shared/i18n/I18nProvider.tsx';

/** Typing pauses this long before the search is sent. */
const SEARCH_DEBOUNCE_MS = 250;

function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The home page: a search box and a tag filter over the sections "Following, live now" (signed-in
 * viewers), "Most watched" and "New". A search replaces the sections with its results, which
 * include rooms that are not live.
 */
export function HomePage() {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const [input, setInput] = useState('');
  const [tag, setTag] = useState<string | null>(null);
  const query = useDebounced(input.trim(), SEARCH_DEBOUNCE_MS);
  useDocumentTitle(t('home.title'));
  useFocusOnArrival(heading);

  return (
    <div className="page">
      <div className="page-head home-head">
        <div>
          <h1 ref={heading} tabIndex={-1}>
            {t('home.title')}
          </h1>
          <p className="muted">{t('home.subtitle')}</p>
        </div>
        <form role="search" className="search-bar" onSubmit={(event) => event.preventDefault()}>
          <label htmlFor="room-search" className="visually-hidden">
            {t('discover.search_label')}
          </label>
          <input
            id="room-search"
            type="search"
            className="input"
            value={input}
            maxLength={100}
            placeholder={t('discover.search_placeholder')}
            onChange={(event) => setInput(event.target.value)}
          />
        </form>
      </div>
      <TagFilter selected={tag} onSelect={setTag} />
      {query ? (
        <SearchResults query={query} tag={tag} />
      ) : (
        <>
          <FollowingLiveSection tag={tag} />
          <LiveSection sort="popular" tag={tag} title={t('discover.most_watched')} />
          <LiveSection sort="new" tag={tag} title={t('discover.new')} />
        </>
      )}
    </div>
  );
}

function TagFilter({ selected, onSelect }: { selected: string | null; onSelect: (tag: string | null) => void }) {
  const { t } = useI18n();
  const { data: tags } = useLiveTags();
  const shown = tags?.map((entry) => entry.tag) ?? [];
  if (selected !== null && !shown.includes(selected)) shown.unshift(selected);
  if (shown.length === 0) return null;
  return (
    <div className="tag-filter" role="group" aria-label={t('discover.tags')}>
      <button type="button" className="chip" aria-pressed={selected === null} onClick={() => onSelect(null)}>
        {t('discover.all_tags')}
      </button>
      {shown.map((tag) => (
        <button key={tag} type="button" className="chip" aria-pressed={selected === tag} onClick={() => onSelect(selected === tag ? null : tag)}>
          #<bdi>{tag}</bdi>
        </button>
      ))}
    </div>
  );
}

function Section({ title, label, children }: { title: string; label: string; children: ReactNode }) {
  return (
    <section aria-labelledby={label} className="home-section">
      <h2 id={label} className="section-title">
        {title}
      </h2>
      {children}
    </section>
  );
}

function RoomGrid({ rooms, label }: { rooms: Parameters<typeof RoomCard>[0]['room'][]; label: string }) {
  return (
    <ul className="room-grid" aria-label={label}>
      {rooms.map((room) => (
        <li key={room.room_id}>
          <RoomCard room={room} headingLevel={3} />
        </li>
      ))}
    </ul>
  );
}

function Skeleton() {
  return (
    <div className="room-grid" aria-busy="true">
      {[0, 1, 2, 3].map((i) => (
        <div key={i} className="room-card skeleton" />
      ))}
    </div>
  );
}

/** The followed rooms that are live now; absent for guests and when none is. */
function FollowingLiveSection({ tag }: { tag: string | null }) {
  const { t } = useI18n();
  const { loggedIn } = useSession();
  const { data } = useFollowedLives();
  const live = data?.filter((room) => room.live_status && (tag === null || room.tags.includes(tag))) ?? [];
  if (!loggedIn || live.length === 0) return null;
  return (
    <Section title={t('discover.following_live')} label="section-following">
      <RoomGrid rooms={live} label={t('discover.following_live')} />
    </Section>
  );
}

function LiveSection({ sort, tag, title }: { sort: LiveSort; tag: string | null; title: string }) {
  const { t } = useI18n();
  const { data: rooms, error, refetch } = useLiveSection(sort, tag);
  const label = `section-${sort}`;
  return (
    <Section title={title} label={label}>
      {error && !rooms && (
        <div className="panel center">
          <ErrorText error={error} />
          <button type="button" className="btn" onClick={() => void refetch()}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {!rooms && !error && <Skeleton />}
      {rooms?.length === 0 &&
        (tag === null ? (
          <div className="empty">
            <div className="empty-art" aria-hidden="true">
              <BroadcastIcon width={40} height={40} />
            </div>
            <h3>{t('home.empty_title')}</h3>
            <p className="muted">{t('home.empty_body')}</p>
          </div>
        ) : (
          <p className="muted">{t('discover.no_live_with_tag', { tag })}</p>
        ))}
      {rooms && rooms.length > 0 && <RoomGrid rooms={rooms} label={title} />}
    </Section>
  );
}

function SearchResults({ query, tag }: { query: string; tag: string | null }) {
  const { t } = useI18n();
  const { data: rooms, error, isFetching } = useRoomSearch(query, tag);
  const title = t('discover.results_for', { query });
  return (
    <Section title={title} label="section-search">
      <ErrorText error={error} />
      {!rooms && !error && <Skeleton />}
      <p className="visually-hidden" role="status">
        {rooms && !isFetching ? t('discover.result_count', { count: rooms.length }) : ''}
      </p>
      {rooms?.length === 0 && <p className="muted">{t('discover.no_results')}</p>}
      {rooms && rooms.length > 0 && <RoomGrid rooms={rooms} label={title} />}
    </Section>
  );
}
