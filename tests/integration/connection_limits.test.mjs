// Limits that bound what one client, or one instance, can hold: WebSocket connections per
// client address (with X-Forwarded-For believed only from trusted proxies) and rooms served per
// instance, with storage-memory and with storage-redis.
import { describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, testWithLogs } from './lib/server.mjs';
import { Client, closeAllClients, uniqueRoom, joined } from './lib/client.mjs';
import { startRedis } from './lib/redis.mjs';
import { Instances, until } from './lib/instances.mjs';

const servers = [];
const test = testWithLogs(() => servers);
after(async () => {
  await closeAllClients();
  for (const s of servers.splice(0)) await s.stop();
});
afterEach(closeAllClients);

async function server(options) {
  const srv = await startServer(options);
  servers.push(srv);
  return srv;
}

const from = (address) => ({ wsOptions: { headers: { 'X-Forwarded-For': address } } });

/** An upgrade request expected to be refused: its status and body. */
function refusedUpgrade(srv, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: srv.port, path: '/ws',
      headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers,
      },
    });
    req.on('upgrade', (_res, socket) => { socket.destroy(); reject(new Error('the upgrade was accepted')); });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The server's log eventually matches `pattern` (it is written asynchronously). */
const logged = (srv, pattern) => until(() => pattern.test(srv.output()), 3000, `a log line like ${pattern}`);

describe('connections per client address', () => {
  test('the connection over the limit gets HTTP 429; closing one frees its slot', async () => {
    const srv = await server({ config: { transport: { options: { maxConnectionsPerAddress: 2 } } } });
    const a = await Client.connect(srv.wsUrl);
    await Client.connect(srv.wsUrl);
    await assert.rejects(Client.connect(srv.wsUrl), /HTTP 429/);
    const refused = await refusedUpgrade(srv);
    assert.equal(refused.status, 429);
    assert.match(refused.body, /too many connections from 127\.0\.0\.1 \(at most 2 per client address\)/);
    await logged(srv, /refused a WebSocket upgrade: too many connections from 127\.0\.0\.1/);
    // The page itself still loads: plain HTTP is not counted.
    assert.equal((await srv.http('/healthz')).status, 200);
    await a.close();
    const again = await until(async () => {
      try { return await Client.connect(srv.wsUrl); } catch { return null; }
    }, 3000, 'a connection once one was closed');
    again.send({ type: 'ping', rid: 'after' });
    await again.next((m) => m.type === 'pong' && m.rid === 'after');
  });

  test('the limit can come from the environment (FP_TRANSPORT_OPTIONS_MAXCONNECTIONSPERADDRESS)', async () => {
    const srv = await server({ env: { FP_TRANSPORT_OPTIONS_MAXCONNECTIONSPERADDRESS: '1' } });
    await Client.connect(srv.wsUrl);
    await assert.rejects(Client.connect(srv.wsUrl), /HTTP 429/);
  });

  test('X-Forwarded-For from a peer that is not a trusted proxy changes nothing (spoofing)', async () => {
    const srv = await server({ config: { transport: { options: { maxConnectionsPerAddress: 1 } } } });
    await Client.connect(srv.wsUrl, from('203.0.113.9'));
    await assert.rejects(Client.connect(srv.wsUrl, from('198.51.100.1')), /HTTP 429/);
    const refused = await refusedUpgrade(srv, { 'X-Forwarded-For': '198.51.100.2' });
    assert.match(refused.body, /too many connections from 127\.0\.0\.1 .*X-Forwarded-For was ignored: the peer is not in trustedProxies/);
  });

  test('behind a trusted proxy, each forwarded client address has its own limit', async () => {
    const srv = await server({
      config: { transport: { options: { maxConnectionsPerAddress: 1, trustedProxies: '127.0.0.1/32, 10.0.0.0/8' } } },
    });
    const alice = await joined(srv.wsUrl, uniqueRoom('proxied'), 'Alice');
    assert.ok(alice);
    // The proxy's own connection (no header) counts as 127.0.0.1: its slot is now taken.
    await assert.rejects(Client.connect(srv.wsUrl), /HTTP 429/);
    await Client.connect(srv.wsUrl, from('203.0.113.9'));
    await assert.rejects(Client.connect(srv.wsUrl, from('203.0.113.9')), /HTTP 429/);
    // What the client wrote itself (left) is not believed; what the proxy appended is.
    await assert.rejects(Client.connect(srv.wsUrl, from('192.0.2.1, 203.0.113.9')), /HTTP 429/);
    await Client.connect(srv.wsUrl, from('198.51.100.4, 10.1.2.3'));
    const refused = await refusedUpgrade(srv, { 'X-Forwarded-For': '203.0.113.9' });
    assert.match(refused.body, /too many connections from 203\.0\.113\.9 \(at most 1 per client address\)$/m);
    assert.match(srv.output(), /X-Forwarded-For believed from 127\.0\.0\.1\/32, 10\.0\.0\.0\/8/);
  });

  test('a trustedProxies entry that is not an address stops the server with a clear message', async () => {
    await assert.rejects(
      server({ config: { transport: { options: { trustedProxies: '10.0.0.0/8, lb.internal' } } } }),
      /trustedProxies: 'lb\.internal' is not an IP address or CIDR block/);
  });
});

/** Fills the instance's quota of two rooms, then checks the third is refused, then freed. */
async function roomsPerInstance(srv) {
  const [r1, r2, r3] = [uniqueRoom('quota'), uniqueRoom('quota'), uniqueRoom('quota')];
  await joined(srv.wsUrl, r1, 'One');
  const two = await joined(srv.wsUrl, r2, 'Two');
  const late = await Client.connect(srv.wsUrl);
  await assert.rejects(late.join(r3, 'Three'), (e) => {
    assert.equal(e.reply.code, 'unavailable');
    assert.match(e.reply.message, /maximum of 2 rooms/);
    return true;
  });
  assert.equal((await srv.http(`/api/rooms/${r3}`)).status, 404, 'nothing was created');
  assert.ok(late.isOpen, 'the refused client stays connected');
  // More people in a room already served are welcome.
  await joined(srv.wsUrl, r1, 'OneMore');
  // The last connection of a room leaving frees the room's place for another.
  await two.close();
  await until(async () => {
    try { await late.join(r3, 'Three'); return true; } catch (e) {
      if (e.reply?.code !== 'unavailable') throw e;
      return null;
    }
  }, 3000, 'the third room once the second was left');
  assert.equal((await srv.http(`/api/rooms/${r3}`)).status, 200);
}

describe('rooms per instance', () => {
  test('storage-memory: one room more than maxRoomsPerInstance gets unavailable, nothing is created', async () => {
    const srv = await server({ config: { server: { maxRoomsPerInstance: 2 } } });
    await roomsPerInstance(srv);
    assert.match(srv.output(), /serves its maximum of 2 rooms/);
  });

  test('storage-redis: the same limit bounds an instance of a distributed storage', { timeout: 30000 }, async () => {
    const redis = await startRedis();
    const cluster = new Instances(redis, { prefix: 'quota' });
    try {
      const a = await cluster.add('quota-a', { server: { maxRoomsPerInstance: 2 } });
      servers.push(a);
      await roomsPerInstance(a);
    } finally {
      servers.splice(servers.length - 1, 1);
      await cluster.stopAll();
      await redis.cleanup();
    }
  });
});
