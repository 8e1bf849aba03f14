// A connection that closes while Redis is down: its disconnect cannot be stored then. It is
// kept and retried from room maintenance, so the participant goes offline once Redis is back
// instead of staying online for good (its instance is alive, so nothing else would fix it).
import { after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Client, joined, closeAllClients, uniqueRoom, participant } from './lib/client.mjs';
import { testWithLogs, sleep } from './lib/server.mjs';
import { startRedis } from './lib/redis.mjs';
import { Instances, until } from './lib/instances.mjs';

const clusters = [];
const redises = [];
const test = testWithLogs(() => clusters.flatMap((c) => c.list));

afterEach(closeAllClients);
after(async () => {
  await closeAllClients();
  for (const c of clusters) await c.stopAll();
  for (const r of redises) await r.cleanup();
});

async function setUp(appendOnly, prefix, server = {}, more = {}) {
  const redis = await startRedis({ appendOnly });
  redises.push(redis);
  const cluster = new Instances(redis, { prefix });
  clusters.push(cluster);
  // A long instance TTL: nobody is taken for dead during the short outage, so only the retried
  // disconnect can take the participant offline.
  const overrides = { server: { instanceTtlSeconds: 20, ...server }, ...more };
  const [a, b] = await Promise.all([cluster.add(`${prefix}-a`, overrides), cluster.add(`${prefix}-b`, overrides)]);
  return { redis, a, b };
}

async function pendingDisconnects(srv) {
  const text = await (await fetch(`${srv.base}/metrics`)).text();
  const m = text.match(/^fp_pending_disconnects (\d+)$/m);
  assert.ok(m, 'fp_pending_disconnects is exported');
  return Number(m[1]);
}

test('a disconnect while Redis is down is retried until Redis takes it', { timeout: 40000 }, async () => {
  const { redis, a, b } = await setUp(true, 'lostdc');
  const room = uniqueRoom('lostdc');
  const x = await joined(a.wsUrl, room, 'Xena', {}, 'x@a');
  const y = await joined(b.wsUrl, room, 'Yuri', {}, 'y@b');
  await until(() => participant(y.latestRoom(), x.participantId)?.online, 3000, 'y to see x online');

  await redis.stop();
  await x.close();
  await until(() => a.output().includes(`storage refused the disconnect of ${x.participantId}`), 5000,
    'the refused disconnect to be kept');
  assert.equal(await pendingDisconnects(a), 1);
  await sleep(1200); // a retry or two while Redis is still down: kept, not lost
  assert.equal(await pendingDisconnects(a), 1);

  await redis.start();
  const seen = await until(() => {
    const r = y.latestRoom();
    return participant(r, x.participantId)?.online === false ? r : null;
  }, 10000, 'x shown offline once Redis is back');
  assert.equal(participant(seen, y.participantId).online, true);
  await until(async () => (await pendingDisconnects(a)) === 0, 5000, 'no disconnect left to retry');
  assert.match(a.output(), new RegExp(`the disconnect of ${x.participantId} went through \\d+ ms after`));
  // Stored, not just sent: a fresh read says offline too.
  const stored = (await b.http(`/api/rooms/${room}`)).json;
  assert.equal(participant(stored, x.participantId).online, false);
});

test('a retried disconnect never takes down a seat that was resumed meanwhile', { timeout: 50000 }, async () => {
  // Redis comes back empty: the room is gone and its clients rejoin. Xena had two tabs; one closed
  // while Redis was down. The retry must not count that lost close against the new room, where
  // Xena is connected again.
  const { redis, a, b } = await setUp(false, 'resumed', { sweepIntervalSeconds: 5 }, { log: { level: 'debug' } });
  const room = uniqueRoom('resumed');
  const tab1 = await joined(a.wsUrl, room, 'Xena', {}, 'x1@a');
  const seat = { participantId: tab1.participantId, resumeToken: tab1.resumeToken };
  const tab2 = await Client.connect(a.wsUrl, { label: 'x2@a' });
  await tab2.join(room, 'Xena', seat);

  await redis.stop();
  await tab1.close();
  await until(() => a.output().includes(`storage refused the disconnect of ${seat.participantId}`), 5000,
    'the refused disconnect to be kept');
  // Redis comes back just after a retry found it still down, so that the next retry (a sweep
  // interval later) comes after Xena is back in her seat: the case this test is about.
  const retries = () => a.output().split('retrying 1 disconnect(s) storage refused').length - 1;
  const seen = retries();
  await until(() => retries() > seen, 8000, 'a retry while Redis is down');
  await sleep(500); // that retry's read fails (Redis still down) and keeps the disconnect
  await redis.start();
  await tab2.waitClose(10000); // the room is gone: told to come back (1012)
  const back = await Client.connect(a.wsUrl, { label: 'x3@a' });
  await until(async () => {
    try { await back.join(room, 'Xena', seat, 3000); return true; } catch (e) {
      if (e.reply?.code === 'unavailable') return null;
      throw e;
    }
  }, 8000, 'Xena back in her seat');
  const rejoinedAfterRetries = retries();
  await until(async () => (await pendingDisconnects(a)) === 0, 12000, 'the kept disconnect to be settled');
  if (retries() === rejoinedAfterRetries) {
    // The retry came before the rejoin (a slow reconnect) and found no room: nothing to check.
    process.stderr.write('# the retry came before the rejoin this time; the case was not exercised\n');
  }
  await sleep(500);
  const stored = (await b.http(`/api/rooms/${room}`)).json;
  assert.equal(participant(stored, seat.participantId).online, true, 'Xena, connected, is online');
  // Not even for a moment: the periodic sweep would repair a count taken too low, but only after
  // every client had been shown Xena offline.
  const blips = back.states().filter((m) => participant(m.room, seat.participantId)?.online === false);
  assert.deepEqual(blips.map((m) => m.room.version), [], 'states showing the connected Xena offline');
  assert.ok(back.isOpen);
});
