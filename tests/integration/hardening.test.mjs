// Abuse the server meets on the open internet: pages of other sites opening sockets
// (cross-site WebSocket hijacking) and clients that send faster than their message rate.
import { describe, before, after, afterEach, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sleep } from './lib/server.mjs';
import { Client, closeAllClients, uniqueRoom, joined } from './lib/client.mjs';

describe('origins', () => {
  let srv;
  let listed;
  before(async () => {
    srv = await startServer();
    listed = await startServer({ config: { server: { allowedOrigins: 'https://poker.example.com' } } });
  });
  after(async () => { await srv?.stop(); await listed?.stop(); });
  afterEach(closeAllClients);

  it('refuses a page of another site by default (403) and accepts the same host', async () => {
    await assert.rejects(
      Client.connect(srv.wsUrl, { wsOptions: { origin: 'https://evil.example' } }),
      /HTTP 403/);
    const same = await Client.connect(srv.wsUrl, { wsOptions: { origin: `http://127.0.0.1:${srv.port}` } });
    same.send({ type: 'ping', rid: 'same-host' });
    await same.next((m) => m.type === 'pong' && m.rid === 'same-host');
    assert.match(srv.output(), /origin 'https:\/\/evil\.example' is not allowed/);
  });

  it('with a configured list, allows exactly the listed origins', async () => {
    await Client.connect(listed.wsUrl, { wsOptions: { origin: 'https://poker.example.com' } });
    await assert.rejects(
      Client.connect(listed.wsUrl, { wsOptions: { origin: `http://127.0.0.1:${listed.port}` } }),
      /HTTP 403/);
  });
});

describe('message rate', () => {
  let srv;
  before(async () => {
    srv = await startServer({
      config: { server: { messagesPerSecond: 5, messageBurst: 5, rateLimitCloseSeconds: 2 } },
    });
  });
  after(async () => { await srv?.stop(); });
  afterEach(closeAllClients);

  it('answers rate_limited with the rid, then serves the client once it slows down', async () => {
    const a = await joined(srv.wsUrl, uniqueRoom('rate'), 'Aiko');
    for (let i = 0; i < 20; i += 1) a.send({ type: 'ping', rid: `p${i}` });
    const limited = await a.next((m) => m.type === 'error' && m.code === 'rate_limited');
    assert.match(String(limited.rid), /^p\d+$/);
    await sleep(1200);
    a.send({ type: 'ping', rid: 'after' });
    await a.next((m) => m.type === 'pong' && m.rid === 'after');
    assert.equal(a.closeCode, null);
  });

  it('closes a client that stays over its rate with 1008', async () => {
    const a = await joined(srv.wsUrl, uniqueRoom('rate'), 'Ben');
    const deadline = Date.now() + 6000;
    while (a.closeCode === null && Date.now() < deadline) {
      for (let i = 0; i < 10 && a.isOpen; i += 1) a.send({ type: 'ping' });
      await sleep(50);
    }
    const { code } = await a.closed;
    assert.equal(code, 1008);
    assert.match(srv.output(), /over its message rate/);
  });
});

describe('a full disk under sink-jsonl', () => {
  let srv;
  before(async () => {
    // /dev/full answers every write with ENOSPC, like a full disk.
    srv = await startServer({
      config: {
        sinks: [{ name: 'results-file', plugin: 'sink-jsonl', options: { path: '/dev/full' } }],
        delivery: { initialBackoffMs: 200, maxBackoffMs: 400 },
      },
    });
  });
  after(async () => { await srv?.stop(); });
  afterEach(closeAllClients);

  it('keeps the result in the outbox and retries; /readyz says why; nothing is dropped', async () => {
    const a = await joined(srv.wsUrl, uniqueRoom('full'), 'Aiko');
    await a.request({ type: 'story', title: 'Disk full' });
    await a.request({ type: 'vote', card: '5' });
    await a.request({ type: 'reveal' });
    const ack = await a.request({ type: 'finalize', estimate: '5' });
    assert.equal(ack.type, 'ack');
    let metrics = '';
    const deadline = Date.now() + 6000;
    while (Date.now() < deadline) {
      metrics = await (await fetch(`${srv.base}/metrics`)).text();
      const retried = metrics.match(/fp_sink_deliveries_total\{sink="results-file",outcome="retried"\} (\d+)/);
      if (retried && Number(retried[1]) >= 2) break;
      await sleep(200);
    }
    assert.match(metrics, /fp_sink_deliveries_total\{sink="results-file",outcome="retried"\} ([2-9]|\d{2,})/);
    assert.match(metrics, /^fp_outbox_depth 1$/m);
    assert.match(metrics, /^fp_outbox_failed 0$/m);
    const ready = await fetch(`${srv.base}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(JSON.stringify(await ready.json()), /No space left on device/);
  });
});
