// A small protocol client around `ws`: records every frame, lets a test await the next
// message matching a predicate, sends requests with unique rids, exposes the close code.
import WebSocket from 'ws';

export const DEFAULT_TIMEOUT = 2000;
const open = new Set();
let ridCounter = 0;
let roomCounter = 0;

/** A room id unique to this test process. */
export function uniqueRoom(prefix = 'room') {
  roomCounter += 1;
  return `${prefix}-${process.pid.toString(36)}-${Date.now().toString(36)}-${roomCounter}`;
}

export function describeMsg(m) {
  const s = JSON.stringify(m);
  return s.length > 600 ? `${s.slice(0, 600)}...` : s;
}

export class Client {
  /** Connect and wait for the socket to be open. */
  static connect(url, { timeoutMs = 3000, wsOptions = {}, label } = {}) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false, ...wsOptions });
      const c = new Client(ws, label);
      const timer = setTimeout(() => { ws.terminate(); reject(new Error(`connect to ${url} timed out`)); }, timeoutMs);
      ws.once('open', () => { clearTimeout(timer); resolve(c); });
      ws.once('error', (e) => { clearTimeout(timer); reject(e); });
      ws.once('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        reject(new Error(`upgrade refused: HTTP ${res.statusCode}`));
      });
    });
  }

  constructor(ws, label) {
    this.ws = ws;
    this.label = label || 'client';
    this.frames = []; // raw text of every received frame, in order
    this.messages = []; // {msg, consumed}
    this.waiters = [];
    this.sentRids = [];
    this.pings = 0;
    this.closeCode = null;
    this.closeReason = null;
    this.participantId = null;
    this.resumeToken = null;
    open.add(this);
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        open.delete(this);
        for (const w of this.waiters.splice(0)) w.onClose();
        resolve({ code, reason: this.closeReason });
      });
    });
    ws.on('ping', () => { this.pings += 1; });
    ws.on('error', () => { /* surfaced through close */ });
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? `<binary ${data.length} bytes>` : data.toString('utf8');
      this.frames.push(text);
      let msg;
      try { msg = JSON.parse(text); } catch { msg = { type: '<unparseable>', text }; }
      const entry = { msg, consumed: false };
      this.messages.push(entry);
      for (const w of [...this.waiters]) {
        if (!entry.consumed && w.pred(msg)) {
          entry.consumed = true;
          w.resolve(msg);
        }
      }
    });
  }

  get isOpen() { return this.ws.readyState === WebSocket.OPEN; }

  /** Every received message (parsed), consumed or not. */
  all() { return this.messages.map((e) => e.msg); }

  /** All `state` messages received so far. */
  states() { return this.all().filter((m) => m.type === 'state'); }

  /** The room of the highest-version state or welcome received so far. */
  latestRoom() {
    let best = null;
    for (const m of this.all()) {
      const room = (m.type === 'state' || m.type === 'welcome') ? m.room : null;
      if (room && (!best || room.version > best.version)) best = room;
    }
    return best;
  }

  /** Mark everything received so far as consumed. */
  skipAll() { for (const e of this.messages) e.consumed = true; }

  /**
   * The first not yet consumed message matching pred (already received or future).
   * Rejects after timeoutMs, or when the socket closes first.
   */
  next(pred = () => true, timeoutMs = DEFAULT_TIMEOUT, what = '') {
    for (const e of this.messages) {
      if (!e.consumed && pred(e.msg)) { e.consumed = true; return Promise.resolve(e.msg); }
    }
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve: (m) => { clearTimeout(w.timer); this.waiters.splice(this.waiters.indexOf(w), 1); resolve(m); },
        onClose: () => {
          clearTimeout(w.timer);
          reject(new Error(`${this.label}: socket closed (${this.closeCode} ${this.closeReason}) while waiting for ${what || pred.toString()}; `
            + `last messages: ${this.all().slice(-5).map(describeMsg).join(' | ')}`));
        },
      };
      if (this.closeCode !== null) { w.onClose(); return; }
      w.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`${this.label}: no message matching ${what || pred.toString()} within ${timeoutMs} ms; `
          + `last messages: ${this.all().slice(-5).map(describeMsg).join(' | ')}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Next `state` message whose cause has this type (and `by`, if given). */
  nextState(causeType, by, timeoutMs = DEFAULT_TIMEOUT) {
    return this.next((m) => m.type === 'state' && m.cause && m.cause.type === causeType
      && (by === undefined || m.cause.by === by), timeoutMs, `state caused by ${causeType}${by !== undefined ? ` of ${by}` : ''}`);
  }

  /** Next state matching a predicate on the room. */
  nextRoom(pred, timeoutMs = DEFAULT_TIMEOUT, what = 'state matching room predicate') {
    return this.next((m) => m.type === 'state' && m.room && pred(m.room, m), timeoutMs, what);
  }

  /** Wait until nothing matching pred arrives for ms; returns what did arrive (consumed). */
  async expectNone(pred, ms = 300) {
    await new Promise((r) => setTimeout(r, ms));
    const got = this.messages.filter((e) => !e.consumed && pred(e.msg));
    return got.map((e) => e.msg);
  }

  send(obj) { this.ws.send(JSON.stringify(obj)); }

  sendRaw(data, opts = {}) { this.ws.send(data, opts); }

  newRid() { ridCounter += 1; return `rid-${ridCounter}`; }

  /** Send obj with a unique rid; resolves with the ack or error carrying that rid. */
  request(obj, timeoutMs = DEFAULT_TIMEOUT) {
    const rid = obj.rid ?? this.newRid();
    this.sentRids.push(rid);
    this.send({ ...obj, rid });
    return this.next((m) => (m.type === 'ack' || m.type === 'error') && m.rid === rid, timeoutMs,
      `ack/error for ${obj.type} rid ${rid}`);
  }

  /** Like request, but throws unless the answer is an ack. */
  async ok(obj, timeoutMs = DEFAULT_TIMEOUT) {
    const r = await this.request(obj, timeoutMs);
    if (r.type !== 'ack') throw new Error(`${this.label}: ${obj.type} ${describeMsg(obj).slice(0, 200)} failed: ${describeMsg(r)}`);
    return r;
  }

  /** Expect an error with this code for obj. Returns the error. */
  async fails(obj, code, timeoutMs = DEFAULT_TIMEOUT) {
    const r = await this.request(obj, timeoutMs);
    if (r.type !== 'error' || r.code !== code) {
      throw new Error(`${this.label}: expected error ${code} for ${describeMsg(obj).slice(0, 300)}, got ${describeMsg(r)}`);
    }
    return r;
  }

  /**
   * join with a rid: resolves {welcome, ack} (both required), or throws with the error.
   * Remembers participantId and resumeToken.
   */
  async join(room, name, extra = {}, timeoutMs = DEFAULT_TIMEOUT) {
    const rid = this.newRid();
    this.sentRids.push(rid);
    this.send({ type: 'join', room, name, ...extra, rid });
    const reply = await this.next((m) => (m.type === 'ack' || m.type === 'error') && m.rid === rid, timeoutMs,
      `ack/error for join rid ${rid}`);
    if (reply.type === 'error') {
      const e = new Error(`${this.label}: join ${room} as ${name} failed: ${describeMsg(reply)}`);
      e.reply = reply;
      throw e;
    }
    const welcome = await this.next((m) => m.type === 'welcome', timeoutMs, 'welcome');
    this.participantId = welcome.participantId;
    this.resumeToken = welcome.resumeToken;
    return { welcome, ack: reply };
  }

  /** Answers (ack/error) per rid sent; used to check "exactly one answer per rid". */
  answersPerRid() {
    const counts = new Map(this.sentRids.map((r) => [JSON.stringify(r), 0]));
    for (const m of this.all()) {
      if ((m.type === 'ack' || m.type === 'error') && m.rid !== undefined) {
        const k = JSON.stringify(m.rid);
        counts.set(k, (counts.get(k) || 0) + 1);
      }
    }
    return counts;
  }

  waitClose(timeoutMs = DEFAULT_TIMEOUT) {
    if (this.closeCode !== null) return Promise.resolve({ code: this.closeCode, reason: this.closeReason });
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${this.label}: socket not closed within ${timeoutMs} ms`)), timeoutMs);
      this.closed.then((r) => { clearTimeout(t); resolve(r); });
    });
  }

  /** Close politely and wait for the close to complete (terminate after 1 s). */
  async close() {
    if (this.closeCode !== null) return;
    try { this.ws.close(1000, 'bye'); } catch { /* not open */ }
    const t = setTimeout(() => this.ws.terminate(), 1000);
    await this.closed;
    clearTimeout(t);
  }

  terminate() { this.ws.terminate(); }
}

/** Connect and join in one step. */
export async function joined(url, room, name, extra = {}, label = name) {
  const c = await Client.connect(url, { label });
  const { welcome } = await c.join(room, name, extra);
  c.welcome = welcome;
  return c;
}

/** Close (terminate) every client still open; use in afterEach/after. */
export async function closeAllClients() {
  const list = [...open];
  for (const c of list) c.ws.terminate();
  await Promise.all(list.map((c) => c.closed));
}

export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/;
export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function participant(room, id) {
  return room.participants.find((p) => p.id === id);
}
