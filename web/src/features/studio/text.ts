/**
 * The console's words in English and Simplified Chinese. They live with the console, in its own
 * chunk, so viewers never download them; English defines the keys, Chinese must have every one.
 */
import type { Language } from '../../shared/i18n/language.ts';

const en = {
  'studio.title': 'Studio',
  'studio.subtitle': 'Your rooms, going live and your API tokens.',
  'studio.nav': 'Console sections',
  'studio.rooms': 'Rooms',
  'studio.devices': 'Tokens & devices',
  'studio.to_watching': 'Watch live rooms',
  'studio.signed_in_as': 'Signed in as {name}',

  'auth.sign_in': 'Anchor sign-in',
  'auth.sign_up': 'Become an anchor',
  'auth.sign_in_intro': 'Sign in with your anchor account to manage your rooms.',
  'auth.sign_up_intro': 'Create an anchor account: you can stream rooms and still watch as a viewer with it.',
  'auth.submit_sign_in': 'Sign in',
  'auth.submit_sign_up': 'Create anchor account',
  'auth.to_sign_up': 'No anchor account yet? Create one',
  'auth.to_sign_in': 'Already an anchor? Sign in',
  'auth.upgrade_title': 'Make this account an anchor account',
  'auth.upgrade_intro': 'You are signed in as the viewer {name}. Confirm your password to stream with this account too.',
  'auth.upgrade_submit': 'Become an anchor',

  'rooms.new': 'New room',
  'rooms.empty': 'No rooms yet. Create one, then go live.',
  'rooms.load_failed': 'Could not load your rooms.',
  'rooms.live': 'LIVE',
  'rooms.stopped': 'Stopped',
  'rooms.viewers': '{count} watching',
  'rooms.lines': '{count} lines',
  'rooms.chats': '{count} chat messages',
  'rooms.created': 'Created {time}',
  'rooms.go_live': 'Go live',
  'rooms.stop': 'Stop',
  'rooms.edit': 'Edit',
  'rooms.open_public': 'Public page',
  'rooms.free': 'Free',
  'rooms.vip': 'VIP · {price} diamonds',
  'rooms.private': 'Private · {price} diamonds',

  'form.create_title': 'New room',
  'form.edit_title': 'Edit “{name}”',
  'form.character_name': 'Character name',
  'form.character_hint': 'The AI character of this chat, as in SillyTavern.',
  'form.room_name': 'Room name',
  'form.room_name_hint': 'Shown on the home page; the character name if empty.',
  'form.title': 'Title',
  'form.describe': 'Description',
  'form.type': 'Who can watch',
  'form.type_free': 'Free: everyone',
  'form.type_vip': 'VIP: a one-off payment',
  'form.type_private': 'Private: paid, not listed',
  'form.price': 'Price (diamonds)',
  'form.price_hint': 'What a viewer pays once to unlock the room.',
  'form.save': 'Save',
  'form.create': 'Create room',
  'form.saved': 'Saved.',

  'tokens.intro': 'Tokens let the SillyTavern bridge or a script act as you. Each login of the API also makes one. Revoke any you do not recognise.',
  'tokens.name': 'Name',
  'tokens.created': 'Created',
  'tokens.last_used': 'Last used',
  'tokens.never': 'Never',
  'tokens.revoke': 'Revoke',
  'tokens.revoke_all': 'Revoke all',
  'tokens.revoke_all_confirm': 'Revoke all {count} tokens? Every bridge and script using them stops working at once.',
  'tokens.revoke_confirm': 'Revoke “{name}”? Whatever uses it stops working at once.',
  'tokens.empty': 'No tokens. Create one for the SillyTavern bridge.',
  'tokens.new_name': 'New token name',
  'tokens.new_placeholder': 'e.g. SillyTavern on my laptop',
  'tokens.create': 'Create token',
  'tokens.secret_title': 'Your new token “{name}”',
  'tokens.secret_hint': 'Copy it now: it is shown only this once. Paste it into the bridge settings.',
  'tokens.done': 'Done',

  'error.not_an_anchor': 'This account is not an anchor account yet: create one, or sign in below to make it one.',
  'error.token_not_found': 'That token is already gone (revoked elsewhere). The list is refreshed.',
  'error.too_many_tokens': 'You have 100 tokens: revoke unused ones first.',
  'error.coin_num_required': 'VIP and private rooms need a price above 0 diamonds.',
  'error.room_not_found': 'This room no longer exists. The list is refreshed.',
  'error.invalid_request': 'Check the fields: something is missing or not allowed.',
  'error.anchor_token_required': 'Your session is not an anchor session: sign in again.',
};

export type StudioKey = keyof typeof en;

const zhCN: Record<StudioKey, string> = {
  'studio.title': '主播中心',
  'studio.subtitle': '管理你的直播间、开播和 API 令牌。',
  'studio.nav': '主播中心栏目',
  'studio.rooms': '直播间',
  'studio.devices': '令牌与设备',
  'studio.to_watching': '去看直播',
  'studio.signed_in_as': '当前主播：{name}',

  'auth.sign_in': '主播登录',
  'auth.sign_up': '成为主播',
  'auth.sign_in_intro': '用主播账号登录，管理你的直播间。',
  'auth.sign_up_intro': '创建主播账号：可以开播，也能用它以观众身份观看。',
  'auth.submit_sign_in': '登录',
  'auth.submit_sign_up': '创建主播账号',
  'auth.to_sign_up': '还没有主播账号？立即创建',
  'auth.to_sign_in': '已经是主播？去登录',
  'auth.upgrade_title': '把此账号升级为主播账号',
  'auth.upgrade_intro': '你已以观众 {name} 登录。确认密码后即可用此账号开播。',
  'auth.upgrade_submit': '成为主播',

  'rooms.new': '新建直播间',
  'rooms.empty': '还没有直播间。先创建一个，再开播。',
  'rooms.load_failed': '无法加载你的直播间。',
  'rooms.live': '直播中',
  'rooms.stopped': '未开播',
  'rooms.viewers': '{count} 人在看',
  'rooms.lines': '{count} 条剧情',
  'rooms.chats': '{count} 条弹幕',
  'rooms.created': '创建于 {time}',
  'rooms.go_live': '开播',
  'rooms.stop': '下播',
  'rooms.edit': '编辑',
  'rooms.open_public': '观众页面',
  'rooms.free': '免费',
  'rooms.vip': 'VIP · {price} 钻石',
  'rooms.private': '私密 · {price} 钻石',

  'form.create_title': '新建直播间',
  'form.edit_title': '编辑“{name}”',
  'form.character_name': '角色名',
  'form.character_hint': '本场聊天的 AI 角色，与 SillyTavern 中一致。',
  'form.room_name': '直播间名称',
  'form.room_name_hint': '显示在首页；留空则使用角色名。',
  'form.title': '标题',
  'form.describe': '简介',
  'form.type': '观看权限',
  'form.type_free': '免费：所有人',
  'form.type_vip': 'VIP：一次性付费',
  'form.type_private': '私密：付费且不在首页展示',
  'form.price': '价格（钻石）',
  'form.price_hint': '观众一次性支付后解锁。',
  'form.save': '保存',
  'form.create': '创建直播间',
  'form.saved': '已保存。',

  'tokens.intro': '令牌让 SillyTavern 桥接插件或脚本以你的身份操作。每次通过 API 登录也会生成一个。不认识的令牌请撤销。',
  'tokens.name': '名称',
  'tokens.created': '创建时间',
  'tokens.last_used': '最近使用',
  'tokens.never': '从未使用',
  'tokens.revoke': '撤销',
  'tokens.revoke_all': '全部撤销',
  'tokens.revoke_all_confirm': '撤销全部 {count} 个令牌？使用它们的桥接和脚本会立即失效。',
  'tokens.revoke_confirm': '撤销“{name}”？使用它的程序会立即失效。',
  'tokens.empty': '没有令牌。为 SillyTavern 桥接创建一个吧。',
  'tokens.new_name': '新令牌名称',
  'tokens.new_placeholder': '例如：我笔记本上的 SillyTavern',
  'tokens.create': '创建令牌',
  'tokens.secret_title': '新令牌“{name}”',
  'tokens.secret_hint': '请立即复制：它只显示这一次。粘贴到桥接插件的设置中。',
  'tokens.done': '完成',

  'error.not_an_anchor': '此账号还不是主播账号：请创建主播账号，或在下方登录后升级。',
  'error.token_not_found': '该令牌已不存在（可能已在别处撤销），列表已刷新。',
  'error.too_many_tokens': '你已有 100 个令牌，请先撤销不用的。',
  'error.coin_num_required': 'VIP 和私密直播间需要设置大于 0 的钻石价格。',
  'error.room_not_found': '该直播间已不存在，列表已刷新。',
  'error.invalid_request': '请检查填写内容：有缺失或不允许的值。',
  'error.anchor_token_required': '当前登录不是主播身份，请重新登录。',
};

const tables: Record<Language, Record<StudioKey, string>> = { en, 'zh-CN': zhCN };

export function studioText(language: Language, key: StudioKey, params?: Record<string, string | number>): string {
  const template = tables[language][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/** Whether a machine error code has console words of its own. */
export function studioErrorKey(code: string): StudioKey | undefined {
  const key = `error.${code}`;
  return key in en ? (key as StudioKey) : undefined;
}
