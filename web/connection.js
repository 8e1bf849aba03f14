// connection.js: one WebSocket to the server, reconnected automatically with
// exponential backoff and jitter (capped at 30 s), plus rid-numbered requests
// that resolve on `ack` and reject on `error`, and an application-level keepalive.

const BASE_DELAY = 500;
const MAX_DELAY = 30000;
const KEEPALIVE_MS = 25000;
const KEEPALIVE_TIMEOUT_MS = 10000;

export class RequestError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(MAX_DELAY, BASE_DELAY * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2)); // "equal jitter"
}

export function createConnection({ url, onOpen, onMessage, onStatus, onClose }) {
  let ws = null;
  let attempt = 0;
  let retryTimer = null;
  let keepaliveTimer = null;
  let stopped = true;
  let seq = 0;
  const pending = new Map();

  const status = (state, extra = {}) => onStatus?.({ state, attempt, ...extra });

  function connect() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (stopped) return;
    status(attempt ? 'reconnecting' : 'connecting', { retryAt: null });
    let sock;
    try {
      sock = new WebSocket(url);
    } catch {
      scheduleRetry({});
      return;
    }
    ws = sock;
    sock.onopen = () => {
      if (ws !== sock) return;
      status('open');
      keepaliveTimer = setInterval(keepalive, KEEPALIVE_MS);
      onOpen?.();
    };
    sock.onmessage = (ev) => {
      if (ws !== sock) return;
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      if (!msg || typeof msg !== 'object') return;
      if (msg.rid !== undefined && msg.rid !== null && ['ack', 'error', 'pong'].includes(msg.type)) {
        const p = pending.get(String(msg.rid));
        if (p) {
          pending.delete(String(msg.rid));
          clearTimeout(p.timer);
          if (msg.type === 'error') p.reject(new RequestError(msg.code, msg.message));
          else p.resolve(msg);
          return;
        }
      }
      onMessage?.(msg);
    };
    sock.onclose = (ev) => lost(sock, { code: ev.code, reason: ev.reason });
    sock.onerror = () => { /* a close event follows */ };
  }

  // The socket is gone (closed, or judged dead): fail what waits, then retry.
  function lost(sock, info) {
    if (ws !== sock) return;
    ws = null;
    clearInterval(keepaliveTimer);
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(new RequestError('disconnected', 'Connection lost before the server answered'));
    }
    pending.clear();
    try { sock.close(); } catch { /* already closing */ }
    const again = onClose?.(info);
    if (again === false) stop();
    else scheduleRetry(info);
  }

  function scheduleRetry(info) {
    if (stopped) return;
    const delay = backoffDelay(attempt);
    attempt++;
    status('reconnecting', { retryAt: Date.now() + delay, code: info.code });
    retryTimer = setTimeout(connect, delay);
  }

  function keepalive() {
    const sock = ws;
    request({ type: 'ping' }, { timeout: KEEPALIVE_TIMEOUT_MS }).catch((e) => {
      if (e.code === 'timeout') lost(sock, { code: 0, reason: 'keepalive timeout' });
    });
  }

  function request(msg, { timeout = 10000 } = {}) {
    return new Promise((resolve, reject) => {
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        reject(new RequestError('offline', 'Not connected to the server'));
        return;
      }
      const rid = 'c' + (++seq);
      const timer = setTimeout(() => {
        pending.delete(rid);
        reject(new RequestError('timeout', 'The server did not answer'));
      }, timeout);
      pending.set(rid, { resolve, reject, timer });
      try {
        ws.send(JSON.stringify({ ...msg, rid }));
      } catch {
        clearTimeout(timer);
        pending.delete(rid);
        reject(new RequestError('offline', 'Not connected to the server'));
      }
    });
  }

  function start() {
    stopped = false;
    attempt = 0;
    connect();
  }

  function stop() {
    stopped = true;
    clearTimeout(retryTimer);
    clearInterval(keepaliveTimer);
    const sock = ws;
    ws = null;
    if (sock) try { sock.close(1000); } catch { /* ignore */ }
    status('stopped');
  }

  // Skip the remaining backoff (the browser came back online, or the user asked).
  function retryNow() {
    if (!stopped && !ws) connect();
  }

  return {
    start,
    stop,
    request,
    retryNow,
    markStable() { attempt = 0; },
    get isOpen() { return !!ws && ws.readyState === WebSocket.OPEN; },
  };
}
