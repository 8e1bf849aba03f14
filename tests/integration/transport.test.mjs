// Transport: keep-alive pings, idle timeout (1001), many connections, control and fragmented
// frames, slow or malformed clients that must not disturb the others, maxMessageBytes.
import { describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, testWithLogs, sleep } from './lib/server.mjs';
import net from 'node:net';
import { Client, joined, closeAllClients, uniqueRoom, participant } from './lib/client.mjs';
import { rawConnect, frame, closeCodeOf, framesOf, waitFor } from './lib/raw.mjs';

let srv;
let smallSrv;
const raws = [];
const it = testWithLogs(() => [srv, smallSrv]);
function destroyRaws() { for (const r of raws.splice(0)) r.destroy(); }

describe('keep-alive (pingIntervalSeconds 1, idleTimeoutSeconds 3)', () => {
  before(async () => {
    srv = await startServer({ config: { transport: { options: { pingIntervalSeconds: 1, idleTimeoutSeconds: 3 } } } });
  });
  after(async () => { destroyRaws(); await closeAllClients(); if (srv) await srv.stop(); });
  afterEach(async () => { destroyRaws(); await closeAllClients(); });

  it('the server sends WebSocket pings; a client that answers them stays connected past the idle timeout', async () => {
    const c = await joined(srv.wsUrl, uniqueRoom('alive'), 'Aiko', {}, 'A');
    await sleep(4500);
    assert.ok(c.pings >= 2, `expected >= 2 server pings in 4.5 s, got ${c.pings}`);
    assert.ok(c.isOpen, `closed (${c.closeCode}) although it answered every ping`);
    c.send({ type: 'ping', rid: 'still' });
    await c.next((m) => m.type === 'pong' && m.rid === 'still');
  });

  it('a silent client (no pongs, no messages) is closed with 1001 and shown offline', async () => {
    const room = uniqueRoom('silent');
    const watcher = await joined(srv.wsUrl, room, 'Watcher', {}, 'W');
    const s = await Client.connect(srv.wsUrl, { label: 'silent', wsOptions: { autoPong: false } });
    await s.join(room, 'Silent');
    const t0 = Date.now();
    const closed = await s.waitClose(8000);
    const took = Date.now() - t0;
    assert.equal(closed.code, 1001);
    assert.ok(took >= 2000, `closed after ${took} ms, before the idle timeout`);
    const off = await watcher.nextRoom((r) => participant(r, s.participantId)?.online === false, 3000, 'silent offline');
    assert.ok(off);
    assert.ok(watcher.isOpen, 'the watcher answers pings and stays');
  });

  it('a client ping frame gets a pong frame', async () => {
    const c = await Client.connect(srv.wsUrl, { label: 'P' });
    const got = new Promise((resolve) => c.ws.once('pong', (d) => resolve(d.toString())));
    c.ws.ping('hello');
    const data = await Promise.race([got, sleep(2000).then(() => 'timeout')]);
    assert.equal(data, 'hello');
  });

  it('200 simultaneous connections are all served (not bounded by threads)', async () => {
    const clients = await Promise.all(Array.from({ length: 200 }, (_, i) => Client.connect(srv.wsUrl, { label: `c${i}`, timeoutMs: 8000 })));
    const pongs = await Promise.all(clients.map((c, i) => {
      c.send({ type: 'ping', rid: i });
      return c.next((m) => m.type === 'pong', 8000, `pong ${i}`);
    }));
    assert.equal(pongs.length, 200);
    pongs.forEach((p, i) => assert.equal(p.rid, i));
    // all held open at once, in one room, each sees the others join
    const room = uniqueRoom('many');
    const first = clients[0];
    await first.join(room, 'C0');
    await Promise.all(clients.slice(1, 100).map((c, i) => c.join(room, `C${i + 1}`, {}, 8000)));
    const full = await first.nextRoom((r) => r.participants.length === 100, 8000, '100 participants');
    assert.equal(full.room.participants.length, 100);
    const e = await clients[100].request({ type: 'join', room, name: 'One too many' }, 4000);
    assert.equal(e.code, 'room_full', 'default maxParticipantsPerRoom is 100');
  });

  it('a client close frame is answered with a close frame (clean close, code 1000)', async () => {
    const c = await Client.connect(srv.wsUrl, { label: 'C' });
    c.ws.close(1000, 'done');
    const t = setTimeout(() => c.ws.terminate(), 3000);
    const closed = await c.closed;
    clearTimeout(t);
    assert.equal(closed.code, 1000, 'server did not echo the close frame (1006 = dropped)');
  });

  it('control frames between fragments are answered and the message is reassembled', async () => {
    const r = await rawConnect(srv.port);
    raws.push(r.sock);
    r.sock.write(frame(0x1, '{"type":"pi', { fin: false }));
    r.sock.write(frame(0x9, 'mid'));
    r.sock.write(frame(0x0, 'ng","rid":"interleaved"}', { fin: true }));
    await waitFor(() => framesOf(r).some((f) => f.op === 0x1 && f.payload.toString().includes('interleaved')), 3000, 'pong message');
    const fr = framesOf(r);
    assert.ok(fr.some((f) => f.op === 0xA && f.payload.toString() === 'mid'), 'ping between fragments not answered with pong');
    const msg = JSON.parse(fr.find((f) => f.op === 0x1).payload.toString());
    assert.equal(msg.type, 'pong');
    assert.equal(msg.rid, 'interleaved');
  });

  it('an unmasked client frame fails the connection (RFC 6455: close 1002)', async () => {
    const r = await rawConnect(srv.port);
    raws.push(r.sock);
    r.sock.write(frame(0x1, JSON.stringify({ type: 'ping', rid: 'unmasked' }), { mask: false }));
    await waitFor(() => r.closed || closeCodeOf(r) !== null, 3000, 'close after an unmasked frame');
    assert.ok(!framesOf(r).some((f) => f.op === 0x1 && f.payload.toString().includes('unmasked')), 'unmasked frame was processed');
    const code = closeCodeOf(r);
    assert.ok(code === 1002 || code === null, `close code ${code}`);
  });

  it('invalid UTF-8 in a text frame: an error or close 1007, never a crash', async () => {
    const c = await Client.connect(srv.wsUrl, { label: 'utf8' });
    c.ws.send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { binary: false });
    const got = await Promise.race([
      c.next((m) => m.type === 'error', 3000, 'error for invalid UTF-8').then((m) => ({ error: m.code }), () => new Promise(() => {})),
      c.closed.then((x) => ({ close: x.code })),
      sleep(3500).then(() => ({ nothing: true })),
    ]);
    assert.ok(!got.nothing, 'neither an error nor a close');
    if (got.close !== undefined) assert.equal(got.close, 1007);
    else assert.ok(['bad_json', 'bad_message'].includes(got.error), `code ${got.error}`);
    const d = await Client.connect(srv.wsUrl, { label: 'after' });
    d.send({ type: 'ping', rid: 'ok' });
    await d.next((m) => m.type === 'pong');
  });

  it('a client stuck in the middle of a frame does not stall anyone else', async () => {
    const room = uniqueRoom('stall');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(srv.wsUrl, room, 'Ben', {}, 'B');
    const r = await rawConnect(srv.port);
    raws.push(r.sock);
    const whole = frame(0x1, JSON.stringify({ type: 'ping', pad: 'x'.repeat(9000) }));
    r.sock.write(whole.subarray(0, 200)); // header says ~9 KB, only 200 bytes come
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      await a.ok({ type: 'rename', name: `Aiko ${i}` }, 1000);
      await b.nextState('rename', a.participantId, 1000);
      assert.ok(Date.now() - t0 < 1000);
      await sleep(100);
    }
    const c = await Client.connect(srv.wsUrl, { label: 'new', timeoutMs: 1500 });
    c.send({ type: 'ping', rid: 'fresh' });
    await c.next((m) => m.type === 'pong', 1000);
  });

  it('20 idle TCP connections (no handshake) do not keep a new client from connecting', async () => {
    const socks = await Promise.all(Array.from({ length: 20 }, () => new Promise((resolve, reject) => {
      const s = net.connect(srv.port, '127.0.0.1', () => resolve(s));
      s.on('error', reject);
    })));
    raws.push(...socks);
    const t0 = Date.now();
    const c = await Client.connect(srv.wsUrl, { label: 'late', timeoutMs: 3000 });
    c.send({ type: 'ping', rid: 'late' });
    await c.next((m) => m.type === 'pong', 2000);
    assert.ok(Date.now() - t0 < 3000);
    const h = await srv.http('/healthz');
    assert.equal(h.status, 200);
  });
});

describe('transport option maxMessageBytes 1024', () => {
  before(async () => { smallSrv = await startServer({ config: { transport: { options: { maxMessageBytes: 1024 } } } }); });
  after(async () => { await closeAllClients(); if (smallSrv) await smallSrv.stop(); });
  afterEach(async () => { await closeAllClients(); });

  it('1,024 bytes are accepted, 1,025 close with 1009', async () => {
    const make = (n) => {
      const head = '{"type":"ping","rid":"m","pad":"';
      return `${head}${'x'.repeat(n - head.length - 2)}"}`;
    };
    const c = await Client.connect(smallSrv.wsUrl, { label: 'ok' });
    c.sendRaw(make(1024));
    await c.next((m) => m.rid === 'm', 2000, 'answer to 1024 bytes');
    const d = await Client.connect(smallSrv.wsUrl, { label: 'over' });
    d.sendRaw(make(1025));
    assert.equal((await d.waitClose(3000)).code, 1009);
  });
});
