/**
 * SillyTavern chat → Pecktra Live anchor API: which room a chat is, and its lines in the wire
 * format. Pure functions over a SillyTavern context (`SillyTavern.getContext()`).
 */

/** SillyTavern writes this into the reply's line while it is still streaming. */
export const STREAMING_PLACEHOLDER = '...';

/**
 * The chat's identity: one SillyTavern chat (character + chat file) = one room. The chat file is
 * named "<character> - <date>"; its date part is the room's `character_date`. Null when no
 * character chat is open (the welcome screen, or a group chat, which the bridge does not stream).
 * @param {any} context
 * @returns {{ character_name: string, character_date: string, key: string } | null}
 */
export function chatIdentity(context) {
  if (context.groupId) return null;
  const character = context.characterId === undefined || context.characterId === null ? undefined : context.characters?.[context.characterId];
  const chatId = typeof context.getCurrentChatId === 'function' ? context.getCurrentChatId() : character?.chat;
  if (!character || typeof chatId !== 'string' || chatId === '') return null;
  const characterName = String(character.name);
  const prefix = `${characterName} - `;
  const characterDate = chatId.startsWith(prefix) ? chatId.slice(prefix.length) : chatId;
  return { character_name: characterName, character_date: characterDate, key: `${characterName}\u0000${characterDate}` };
}

/**
 * One chat line as the anchor API takes it; `floor` is its index in the chat. The shown swipe is
 * the line's text (`mes`). SillyTavern's hidden lines are system lines, which viewers do not see.
 * @param {any} message
 * @param {number} [floor]
 */
export function wireMessage(message, floor) {
  /** @type {Record<string, unknown>} */
  const wire = {
    name: String(message.name ?? ''),
    is_user: Boolean(message.is_user),
    is_system: Boolean(message.is_system),
    mes: typeof message.mes === 'string' ? message.mes : '',
  };
  if (typeof message.send_date === 'string' || typeof message.send_date === 'number') wire.send_date = message.send_date;
  if (floor !== undefined) wire.floor = floor;
  return wire;
}

/**
 * The whole chat as a SillyTavern `.jsonl` file (header line, then one line per message), the
 * form the anchor API takes for a full sync: floors past its end are removed.
 * @param {any} context
 * @param {{ character_name: string, character_date: string }} identity
 */
export function chatFile(context, identity) {
  const header = { user_name: String(context.name1 ?? ''), character_name: identity.character_name, create_date: identity.character_date, chat_metadata: {} };
  const lines = [JSON.stringify(header)];
  for (const message of context.chat ?? []) lines.push(JSON.stringify(wireMessage(message)));
  return lines.join('\n');
}

/** Whether a line holds text viewers could see yet (not the streaming placeholder nor empty). */
export function hasFinalText(message) {
  if (!message || typeof message.mes !== 'string') return false;
  const text = message.mes.trim();
  return text !== '' && text !== STREAMING_PLACEHOLDER;
}
