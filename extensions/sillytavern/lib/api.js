/**
 * The Pecktra Live anchor API, as the bridge calls it: Bearer token, no cookies (the server allows
 * any origin for /api/anchor/* and nothing else), JSON or a whole chat as x-ndjson. Every failure
 * becomes an ApiError saying whether trying again later can help.
 */

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the server could not be reached
   * @param {string} error the server's machine code, or `network`
   * @param {string} message
   */
  constructor(status, error, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.error = error;
  }

  /** Unreachable, overloaded, rate-limited or failing server: the same call may work later. */
  get retryable() {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }

  /** The token is missing, wrong or revoked: nothing works until the anchor signs in again. */
  get signedOut() {
    return this.status === 401;
  }
}

export class PecktraApi {
  /**
   * @param {string} serverUrl e.g. https://live.example.com
   * @param {string | null} token
   * @param {typeof fetch} [fetchImpl]
   */
  constructor(serverUrl, token, fetchImpl = globalThis.fetch.bind(globalThis)) {
    this.baseUrl = String(serverUrl).trim().replace(/\/+$/, '');
    this.token = token;
    this.fetch = fetchImpl;
  }

  async request(method, path, body, contentType = 'application/json') {
    /** @type {Record<string, string>} */
    const headers = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = contentType;
    let response;
    try {
      response = await this.fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        credentials: 'omit',
        mode: 'cors',
      });
    } catch (err) {
      throw new ApiError(0, 'network', `Cannot reach ${this.baseUrl}: ${err instanceof Error ? err.message : String(err)}`);
    }
    let json = null;
    try {
      json = await response.json();
    } catch {
      // not JSON: reported below by status
    }
    if (!response.ok || !json || json.code !== 0) {
      throw new ApiError(response.status, json?.error ?? 'http_error', json?.message ?? `HTTP ${response.status}`);
    }
    return json.data;
  }

  /** Signs in as an anchor; the token is all the bridge keeps. */
  async login(username, password) {
    const data = await this.request('POST', '/api/anchor/login', { username, password });
    return { token: data.token, username: data.username };
  }

  /** Opens (or finds: same character_name + character_date) the chat's room and applies its settings. */
  openRoom(fields) {
    return this.request('POST', '/api/anchor/rooms', fields).then((data) => data.room);
  }

  setLive(roomId, live) {
    return this.request('POST', `/api/anchor/rooms/${encodeURIComponent(roomId)}/live`, { live_status: live ? 'start' : 'stop' }).then((data) => data.room);
  }

  postMessage(roomId, message) {
    return this.request('POST', `/api/anchor/rooms/${encodeURIComponent(roomId)}/messages`, message);
  }

  postChatFile(roomId, jsonl) {
    return this.request('POST', `/api/anchor/rooms/${encodeURIComponent(roomId)}/messages`, jsonl, 'application/x-ndjson');
  }

  typing(roomId, floor, text, done = false) {
    return this.request('POST', `/api/anchor/rooms/${encodeURIComponent(roomId)}/typing`, { floor, text, ...(done ? { done: true } : {}) });
  }

  listRooms() {
    return this.request('GET', '/api/anchor/rooms').then((data) => data.rooms);
  }

  roomUrl(roomId) {
    return `${this.baseUrl}/live/${encodeURIComponent(roomId)}`;
  }
}
