// Keep-alive: server pings, idle timeout (1001), and many simultaneous connections.
import { describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, testWithLogs, sleep } from './lib/server.mjs';
import { Client, joined, closeAllClients, uniqueRoom, participant } from './lib/client.mjs';

let srv;
const it = testWithLogs(() => srv);

describe('keep-alive (pingIntervalSeconds 1, idleTimeoutSeconds 3)', () => {
  before(async () => {
    srv = await startServer({ config: { transport: { options: { pingIntervalSeconds: 1, idleTimeoutSeconds: 3 } } } });
  });
  after(async () => { await closeAllClients(); if (srv) await srv.stop(); });
  afterEach(async () => { await closeAllClients(); });

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
});
