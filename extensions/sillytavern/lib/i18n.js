/** The panel's labels in English and Chinese, following SillyTavern's own language setting. */

const EN = {
  title: 'Pecktra Live',
  server_url: 'Server URL',
  username: 'Anchor username',
  password: 'Password',
  sign_in: 'Sign in',
  or_token: 'or paste an anchor token',
  use_token: 'Use token',
  sign_out: 'Sign out',
  signed_in_as: 'Signed in as {name}',
  signed_in: 'Signed in with a token',
  connection: 'Connection',
  state_signed_out: 'Not signed in',
  state_idle: 'Ready',
  state_sending: 'Sending…',
  state_synced: 'In sync',
  state_retrying: 'Server unreachable, retrying ({count} waiting)',
  state_error: 'Error',
  current_chat: 'This chat',
  no_chat: 'Open a character chat to go live with it.',
  room_title: 'Room title',
  room_describe: 'Description',
  room_type: 'Room type',
  type_free: 'Free',
  type_vip: 'VIP (paid)',
  type_private: 'Private (paid)',
  price: 'Price (diamonds)',
  go_live: 'Go live',
  stop: 'Stop',
  save_room: 'Save room settings',
  live_now: 'Live',
  not_live: 'Not live',
  viewers: '{count} watching',
  open_room: 'Open the room page',
};

/** @type {typeof EN} */
const ZH = {
  title: 'Pecktra Live 直播',
  server_url: '服务器地址',
  username: '主播用户名',
  password: '密码',
  sign_in: '登录',
  or_token: '或粘贴主播令牌',
  use_token: '使用令牌',
  sign_out: '退出登录',
  signed_in_as: '已登录：{name}',
  signed_in: '已通过令牌登录',
  connection: '连接状态',
  state_signed_out: '未登录',
  state_idle: '就绪',
  state_sending: '正在发送…',
  state_synced: '已同步',
  state_retrying: '无法连接服务器，正在重试（{count} 条待发送）',
  state_error: '出错',
  current_chat: '当前聊天',
  no_chat: '打开一个角色聊天后即可开播。',
  room_title: '直播间标题',
  room_describe: '简介',
  room_type: '房间类型',
  type_free: '免费',
  type_vip: 'VIP（付费）',
  type_private: '私密（付费）',
  price: '价格（钻石）',
  go_live: '开始直播',
  stop: '停止直播',
  save_room: '保存房间设置',
  live_now: '直播中',
  not_live: '未开播',
  viewers: '{count} 人观看',
  open_room: '打开直播间页面',
};

/** SillyTavern keeps its UI language in localStorage under "language" (e.g. "zh-cn"). */
export function pickLanguage(stLanguage, browserLanguage) {
  const language = String(stLanguage || browserLanguage || 'en').toLowerCase();
  return language.startsWith('zh') ? 'zh' : 'en';
}

/** @returns {(key: keyof typeof EN, values?: Record<string, string | number>) => string} */
export function translator(language) {
  const dictionary = language === 'zh' ? ZH : EN;
  return (key, values = {}) => dictionary[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}
