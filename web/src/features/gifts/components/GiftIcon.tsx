import { Emoji } from '../../../shared/emoji/Emoji.tsx';
import { EMOJI } from '../../../shared/emoji/emoji-set.ts';

/** A gift's picture: an emoji of the app's own set, named by the catalogue's `icon`. */
export function GiftIcon({ icon }: { icon: string }) {
  const emoji = EMOJI.find((entry) => entry.code === icon) ?? EMOJI.find((entry) => entry.code === 'tada')!;
  return <Emoji emoji={emoji} decorative />;
}
