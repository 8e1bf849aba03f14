// A raw TCP WebSocket client for frames `ws` will not send: partial frames, unmasked frames...
import net from 'node:net';
import crypto from 'node:crypto';

/** Open a TCP connection and complete the WebSocket handshake on /ws. */
export function rawConnect(port, { timeoutMs = 3000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const key = crypto.randomBytes(16).toString('base64');
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { sock.destroy(); reject(new Error('raw handshake timed out')); }, timeoutMs);
    const onData = (d) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      sock.off('data', onData);
      const head = buf.subarray(0, end).toString();
      if (!/^HTTP\/1\.1 101/.test(head)) { sock.destroy(); reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`)); return; }
      const rest = buf.subarray(end + 4);
      const conn = { sock, received: rest, closed: false };
      sock.on('data', (x) => { conn.received = Buffer.concat([conn.received, x]); });
      sock.on('close', () => { conn.closed = true; });
      sock.on('error', () => {});
      resolve(conn);
    };
    sock.on('data', onData);
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('connect', () => {
      sock.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
        + `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
  });
}

/** Encode one frame. */
export function frame(opcode, payload, { fin = true, mask = true } = {}) {
  const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const len = data.length;
  let header;
  if (len < 126) { header = Buffer.alloc(2); header[1] = len; } else if (len < 65536) {
    header = Buffer.alloc(4); header[1] = 126; header.writeUInt16BE(len, 2);
  } else { header = Buffer.alloc(10); header[1] = 127; header.writeBigUInt64BE(BigInt(len), 2); }
  header[0] = (fin ? 0x80 : 0) | opcode;
  if (!mask) return Buffer.concat([header, data]);
  header[1] |= 0x80;
  const key = crypto.randomBytes(4);
  const masked = Buffer.alloc(len);
  for (let i = 0; i < len; i++) masked[i] = data[i] ^ key[i % 4];
  return Buffer.concat([header, key, masked]);
}

/** The close code of the first close frame the server sent, or null. */
export function closeCodeOf(conn) {
  const b = conn.received;
  let i = 0;
  while (i + 2 <= b.length) {
    const op = b[i] & 0x0f;
    let len = b[i + 1] & 0x7f;
    let off = i + 2;
    if (len === 126) { len = b.readUInt16BE(off); off += 2; } else if (len === 127) { len = Number(b.readBigUInt64BE(off)); off += 8; }
    if (op === 0x8) return len >= 2 ? b.readUInt16BE(off) : 1005;
    i = off + len;
  }
  return null;
}

export function waitFor(cond, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const end = Date.now() + timeoutMs;
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() > end) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

/** Every complete frame the server sent so far: [{op, fin, payload}]. */
export function framesOf(conn) {
  const b = conn.received;
  const out = [];
  let i = 0;
  while (i + 2 <= b.length) {
    const fin = (b[i] & 0x80) !== 0;
    const op = b[i] & 0x0f;
    let len = b[i + 1] & 0x7f;
    let off = i + 2;
    if (len === 126) { if (off + 2 > b.length) break; len = b.readUInt16BE(off); off += 2; } else if (len === 127) {
      if (off + 8 > b.length) break; len = Number(b.readBigUInt64BE(off)); off += 8;
    }
    if (off + len > b.length) break;
    out.push({ op, fin, payload: b.subarray(off, off + len) });
    i = off + len;
  }
  return out;
}
