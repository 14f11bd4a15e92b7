/**
 * Where the reader is in a room's transcript: the floor of the first line in view, kept in the
 * page's own history entry (history.state), so a reload or Back brings them to the same line
 * while the URL stays the room's plain, shareable address. No floor means "at the live edge".
 */
const KEY = 'readingFloor';

export function savedReadingFloor(): number | null {
  const state: unknown = history.state;
  const floor = state && typeof state === 'object' ? (state as Record<string, unknown>)[KEY] : undefined;
  return typeof floor === 'number' && Number.isInteger(floor) && floor >= 0 ? floor : null;
}

export function saveReadingFloor(floor: number | null): void {
  if (floor === savedReadingFloor()) return;
  const state: unknown = history.state;
  const rest = state && typeof state === 'object' ? { ...(state as Record<string, unknown>) } : {};
  if (floor === null) delete rest[KEY];
  else rest[KEY] = floor;
  history.replaceState(rest, '');
}
