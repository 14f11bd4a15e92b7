/**
 * The emoji the chat draws itself (Twemoji art, CC-BY 4.0, from the @twemoji/svg package), so they
 * show on systems without an emoji font. The picker inserts the short code, which any keyboard and
 * font can show in the input; messages draw both the short codes and the emoji characters of this
 * set as pictures. `scripts/emoji-sprite.ts` builds `twemoji-sprite.svg` from this list.
 */
export interface EmojiEntry {
  /** Twemoji file name: the code points in hex, without variation selectors. */
  file: string;
  /** The emoji character. */
  char: string;
  /** Typed in messages as `:code:`. */
  code: string;
  en: string;
  zh: string;
}

export const EMOJI: readonly EmojiEntry[] = [
  { file: '1f600', char: '😀', code: 'grin', en: 'grinning face', zh: '笑脸' },
  { file: '1f604', char: '😄', code: 'smile', en: 'smiling face', zh: '开心' },
  { file: '1f602', char: '😂', code: 'joy', en: 'tears of joy', zh: '笑哭' },
  { file: '1f923', char: '🤣', code: 'rofl', en: 'rolling on the floor laughing', zh: '笑翻' },
  { file: '1f60a', char: '😊', code: 'blush', en: 'smiling eyes', zh: '微笑' },
  { file: '1f60d', char: '😍', code: 'heart_eyes', en: 'heart eyes', zh: '花痴' },
  { file: '1f970', char: '🥰', code: 'in_love', en: 'smiling with hearts', zh: '喜爱' },
  { file: '1f618', char: '😘', code: 'kiss', en: 'blowing a kiss', zh: '飞吻' },
  { file: '1f60e', char: '😎', code: 'cool', en: 'sunglasses', zh: '酷' },
  { file: '1f973', char: '🥳', code: 'party', en: 'partying face', zh: '庆祝' },
  { file: '1f914', char: '🤔', code: 'thinking', en: 'thinking', zh: '思考' },
  { file: '1f60f', char: '😏', code: 'smirk', en: 'smirk', zh: '得意' },
  { file: '1f644', char: '🙄', code: 'eye_roll', en: 'rolling eyes', zh: '白眼' },
  { file: '1f62e', char: '😮', code: 'wow', en: 'open mouth', zh: '惊讶' },
  { file: '1f631', char: '😱', code: 'scream', en: 'screaming in fear', zh: '惊恐' },
  { file: '1f92f', char: '🤯', code: 'mind_blown', en: 'mind blown', zh: '震惊' },
  { file: '1f622', char: '😢', code: 'cry', en: 'crying', zh: '流泪' },
  { file: '1f62d', char: '😭', code: 'sob', en: 'sobbing', zh: '大哭' },
  { file: '1f97a', char: '🥺', code: 'pleading', en: 'pleading', zh: '可怜' },
  { file: '1f621', char: '😡', code: 'angry', en: 'angry', zh: '生气' },
  { file: '1f634', char: '😴', code: 'sleepy', en: 'sleeping', zh: '睡觉' },
  { file: '1f917', char: '🤗', code: 'hug', en: 'hugging', zh: '抱抱' },
  { file: '1f440', char: '👀', code: 'eyes', en: 'eyes', zh: '围观' },
  { file: '1f480', char: '💀', code: 'skull', en: 'skull', zh: '骷髅' },
  { file: '1f44b', char: '👋', code: 'wave', en: 'waving hand', zh: '挥手' },
  { file: '1f44d', char: '👍', code: 'thumbs_up', en: 'thumbs up', zh: '赞' },
  { file: '1f44e', char: '👎', code: 'thumbs_down', en: 'thumbs down', zh: '踩' },
  { file: '1f44f', char: '👏', code: 'clap', en: 'clapping', zh: '鼓掌' },
  { file: '1f64f', char: '🙏', code: 'pray', en: 'folded hands', zh: '拜托' },
  { file: '1f4aa', char: '💪', code: 'muscle', en: 'flexed biceps', zh: '加油' },
  { file: '1f91d', char: '🤝', code: 'handshake', en: 'handshake', zh: '握手' },
  { file: '2764', char: '❤️', code: 'heart', en: 'red heart', zh: '爱心' },
  { file: '1f494', char: '💔', code: 'broken_heart', en: 'broken heart', zh: '心碎' },
  { file: '1f525', char: '🔥', code: 'fire', en: 'fire', zh: '火' },
  { file: '2728', char: '✨', code: 'sparkles', en: 'sparkles', zh: '闪光' },
  { file: '1f4af', char: '💯', code: '100', en: 'hundred points', zh: '满分' },
  { file: '1f389', char: '🎉', code: 'tada', en: 'party popper', zh: '撒花' },
  { file: '1f339', char: '🌹', code: 'rose', en: 'rose', zh: '玫瑰' },
  { file: '1f338', char: '🌸', code: 'blossom', en: 'cherry blossom', zh: '樱花' },
  { file: '1f319', char: '🌙', code: 'moon', en: 'crescent moon', zh: '月亮' },
  { file: '2b50', char: '⭐', code: 'star', en: 'star', zh: '星星' },
  { file: '2615', char: '☕', code: 'coffee', en: 'hot beverage', zh: '咖啡' },
  { file: '1f375', char: '🍵', code: 'tea', en: 'teacup', zh: '茶' },
  { file: '1f36d', char: '🍭', code: 'lollipop', en: 'lollipop', zh: '棒棒糖' },
  { file: '1f3b5', char: '🎵', code: 'music', en: 'musical note', zh: '音符' },
  { file: '1f4a4', char: '💤', code: 'zzz', en: 'zzz', zh: '困' },
  { file: '1f431', char: '🐱', code: 'cat', en: 'cat face', zh: '猫' },
  { file: '1f436', char: '🐶', code: 'dog', en: 'dog face', zh: '狗' },
];
