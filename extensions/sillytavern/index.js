/**
 * Pecktra Live for SillyTavern: streams the open chat to a Pecktra Live room. This file is the
 * panel in SillyTavern's Extensions drawer; the rules live in ./lib (tested without a browser).
 * Uses only SillyTavern.getContext() and its events; never patches SillyTavern.
 */
import { PecktraApi } from './lib/api.js';
import { Bridge } from './lib/bridge.js';
import { pickLanguage, translator } from './lib/i18n.js';

const SETTINGS_KEY = 'pecktra_live';
const DEFAULT_SERVER = 'http://127.0.0.1:3000';

const context = SillyTavern.getContext();
const settings = (context.extensionSettings[SETTINGS_KEY] ??= { serverUrl: DEFAULT_SERVER, token: null, username: null, chats: {} });
settings.chats ??= {};
const t = translator(pickLanguage(localStorage.getItem('language'), navigator.language));

const bridge = new Bridge({
  getContext: () => SillyTavern.getContext(),
  settings,
  saveSettings: () => SillyTavern.getContext().saveSettingsDebounced(),
  createApi: (serverUrl, token) => new PecktraApi(serverUrl, token),
  storage: window.localStorage,
  onChange: () => render(),
});

const panel = document.createElement('div');
panel.className = 'pecktra-live-settings';
panel.innerHTML = `
  <div class="inline-drawer">
    <div class="inline-drawer-toggle inline-drawer-header">
      <b>${t('title')}</b>
      <span class="pecktra-live-badge" data-ref="badge"></span>
      <div class="inline-drawer-icon fa-solid fa-circle-chevron-down down"></div>
    </div>
    <div class="inline-drawer-content">
      <label>${t('server_url')}<input class="text_pole" data-ref="serverUrl" type="url" placeholder="${DEFAULT_SERVER}"></label>
      <div data-ref="signedOut">
        <label>${t('username')}<input class="text_pole" data-ref="username" autocomplete="username"></label>
        <label>${t('password')}<input class="text_pole" data-ref="password" type="password" autocomplete="current-password"></label>
        <div class="menu_button" data-ref="signIn" role="button" tabindex="0">${t('sign_in')}</div>
        <label>${t('or_token')}<input class="text_pole" data-ref="token" type="password" autocomplete="off"></label>
        <div class="menu_button" data-ref="useToken" role="button" tabindex="0">${t('use_token')}</div>
      </div>
      <div data-ref="signedIn" class="pecktra-live-row">
        <span data-ref="who"></span>
        <div class="menu_button" data-ref="signOut" role="button" tabindex="0">${t('sign_out')}</div>
      </div>
      <div class="pecktra-live-row"><span>${t('connection')}:</span> <b data-ref="connection" data-testid="pecktra-connection"></b></div>
      <div class="pecktra-live-error" data-ref="error" role="alert"></div>
      <hr>
      <h4>${t('current_chat')}: <span data-ref="chatName"></span></h4>
      <p data-ref="noChat">${t('no_chat')}</p>
      <div data-ref="chatControls">
        <label>${t('room_title')}<input class="text_pole" data-ref="roomTitle" maxlength="100"></label>
        <label>${t('room_describe')}<textarea class="text_pole" data-ref="roomDescribe" rows="2" maxlength="500"></textarea></label>
        <label>${t('room_type')}
          <select class="text_pole" data-ref="roomType">
            <option value="0">${t('type_free')}</option>
            <option value="1">${t('type_vip')}</option>
            <option value="2">${t('type_private')}</option>
          </select>
        </label>
        <label data-ref="priceRow">${t('price')}<input class="text_pole" data-ref="price" type="number" min="0" step="1"></label>
        <div class="pecktra-live-row">
          <div class="menu_button" data-ref="goLive" role="button" tabindex="0">${t('go_live')}</div>
          <div class="menu_button" data-ref="stop" role="button" tabindex="0">${t('stop')}</div>
          <div class="menu_button" data-ref="saveRoom" role="button" tabindex="0">${t('save_room')}</div>
        </div>
        <div class="pecktra-live-row">
          <b data-ref="liveState"></b>
          <span data-ref="viewers"></span>
          <a data-ref="roomLink" target="_blank" rel="noopener">${t('open_room')}</a>
        </div>
      </div>
    </div>
  </div>`;

/** @type {Record<string, any>} */
const ref = {};
for (const element of panel.querySelectorAll('[data-ref]')) ref[element.getAttribute('data-ref')] = element;
(document.getElementById('extensions_settings2') ?? document.getElementById('extensions_settings'))?.append(panel);

let formChatKey = null;
let actionError = null;

function show(element, visible) {
  element.style.display = visible ? '' : 'none';
}

/** The room fields as the anchor API takes them. */
function roomFields() {
  const roomType = Number(ref.roomType.value) || 0;
  return {
    title: ref.roomTitle.value.trim(),
    describe: ref.roomDescribe.value.trim(),
    room_type: roomType,
    coin_num: roomType === 0 ? 0 : Math.max(0, Math.floor(Number(ref.price.value) || 0)),
  };
}

function render() {
  if (document.activeElement !== ref.serverUrl) ref.serverUrl.value = settings.serverUrl ?? '';
  const signedIn = Boolean(settings.token);
  show(ref.signedOut, !signedIn);
  show(ref.signedIn, signedIn);
  ref.who.textContent = settings.username ? t('signed_in_as', { name: settings.username }) : t('signed_in');
  ref.connection.textContent = t(`state_${bridge.state}`, { count: bridge.outbox.size });
  ref.connection.dataset.state = bridge.state;
  ref.error.textContent = actionError ?? bridge.lastError ?? '';

  const current = bridge.currentChat();
  show(ref.noChat, !current);
  show(ref.chatControls, Boolean(current));
  ref.chatName.textContent = current ? `${current.identity.character_name} · ${current.identity.character_date}` : '';
  const room = current?.room ?? null;
  if (current && formChatKey !== current.identity.key) {
    // Another chat: its own room settings fill the form.
    formChatKey = current.identity.key;
    ref.roomTitle.value = room?.title ?? '';
    ref.roomDescribe.value = room?.describe ?? '';
    ref.roomType.value = String(room?.room_type ?? 0);
    ref.price.value = String(room?.coin_num ?? 0);
  }
  show(ref.priceRow, ref.roomType.value !== '0');
  const live = Boolean(room?.live && signedIn);
  show(ref.goLive, !live);
  show(ref.stop, live);
  ref.goLive.classList.toggle('disabled', !signedIn);
  ref.liveState.textContent = live ? t('live_now') : t('not_live');
  ref.badge.textContent = live ? '● LIVE' : '';
  ref.viewers.textContent = live && bridge.viewerCount !== null ? t('viewers', { count: bridge.viewerCount }) : '';
  const url = room ? bridge.roomUrl() : null;
  show(ref.roomLink, Boolean(url));
  if (url) ref.roomLink.href = url;
}

/** Runs a panel action; its failure shows in the panel and as a toast, never as an exception. */
async function act(action) {
  actionError = null;
  try {
    await action();
  } catch (err) {
    actionError = err instanceof Error ? err.message : String(err);
    if (typeof toastr !== 'undefined') toastr.error(actionError, t('title'));
  }
  render();
}

function onActivate(element, handler) {
  element.addEventListener('click', handler);
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      handler();
    }
  });
}

ref.serverUrl.addEventListener('change', () => {
  settings.serverUrl = ref.serverUrl.value.trim() || DEFAULT_SERVER;
  SillyTavern.getContext().saveSettingsDebounced();
});
ref.roomType.addEventListener('change', render);
onActivate(ref.signIn, () =>
  act(async () => {
    await bridge.signIn(ref.serverUrl.value.trim() || DEFAULT_SERVER, ref.username.value.trim(), ref.password.value);
    ref.password.value = '';
  }),
);
onActivate(ref.useToken, () =>
  act(async () => {
    const token = ref.token.value.trim();
    if (!token) return;
    bridge.useToken(ref.serverUrl.value.trim() || DEFAULT_SERVER, token);
    ref.token.value = '';
  }),
);
onActivate(ref.signOut, () => act(async () => bridge.signOut()));
onActivate(ref.goLive, () => act(async () => bridge.goLive(roomFields())));
onActivate(ref.stop, () => act(async () => bridge.stop()));
onActivate(ref.saveRoom, () => act(async () => bridge.updateRoom(roomFields())));

bridge.attach();
render();
