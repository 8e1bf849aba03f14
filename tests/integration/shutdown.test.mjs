// Graceful shutdown: SIGTERM closes every socket with 1001 after flushing what was queued.
import { describe, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, testWithLogs } from './lib/server.mjs';
import { Client, joined, closeAllClients, uniqueRoom } from './lib/client.mjs';

let srv;
const it = testWithLogs(() => srv);

describe('graceful shutdown', () => {
  after(async () => { await closeAllClients(); if (srv) await srv.stop(); });
  afterEach(async () => { await closeAllClients(); if (srv) await srv.stop(); });

  it('SIGTERM: queued states are delivered, every socket closes with 1001, exit code 0', async () => {
    srv = await startServer({ config: { server: { shutdownTimeoutSeconds: 5 } } });
    const room = uniqueRoom('bye');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(srv.wsUrl, room, 'Ben', {}, 'B');
    const idle = await Client.connect(srv.wsUrl, { label: 'idle' }); // connected, never joined
    // a burst of changes; once A has seen the last one, all of them were queued for B as well
    for (let i = 0; i < 15; i++) a.send({ type: 'rename', name: `Aiko ${i}` });
    const lastA = await a.next((m) => m.type === 'state' && m.room.participants.some((p) => p.name === 'Aiko 14'), 5000, 'last rename');
    const t0 = Date.now();
    srv.proc.kill('SIGTERM');
    const [ca, cb, ci] = await Promise.all([a.waitClose(5000), b.waitClose(5000), idle.waitClose(5000)]);
    assert.equal(ca.code, 1001, 'A close code');
    assert.equal(cb.code, 1001, 'B close code');
    assert.equal(ci.code, 1001, 'close code of a connection that never joined');
    const bVersions = b.states().map((s) => s.room.version);
    assert.ok(bVersions.includes(lastA.room.version),
      `B lost queued states: had up to v${Math.max(...bVersions)}, A saw v${lastA.room.version}`);
    const renames = b.states().filter((s) => s.cause?.type === 'rename').length;
    assert.equal(renames, 15, 'all 15 rename states delivered to B before the close');
    let killed = false;
    const timer = setTimeout(() => { killed = true; srv.proc.kill('SIGKILL'); }, 8000);
    const exit = await srv.exited;
    clearTimeout(timer);
    assert.equal(killed, false, 'process did not exit within 8 s of SIGTERM');
    assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}`);
    assert.ok(Date.now() - t0 < 8000);
    // and it no longer serves
    await assert.rejects(fetch(`${srv.base}/healthz`, { signal: AbortSignal.timeout(1000) }));
  });

  it('SIGINT is handled the same way (exit code 0, close 1001)', async () => {
    srv = await startServer();
    const a = await joined(srv.wsUrl, uniqueRoom('int'), 'Aiko', {}, 'A');
    srv.proc.kill('SIGINT');
    assert.equal((await a.waitClose(5000)).code, 1001);
    const timer = setTimeout(() => srv.proc.kill('SIGKILL'), 8000);
    const exit = await srv.exited;
    clearTimeout(timer);
    assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}`);
  });
});
