// Redis stops and starts again (same port) under running instances: clients get
// `unavailable` meanwhile, nothing is half-written, and everything works afterwards without
// restarting any instance. Then the same with a Redis that comes back empty.
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

async function setUp(appendOnly, prefix) {
  const redis = await startRedis({ appendOnly });
  redises.push(redis);
  const cluster = new Instances(redis, { prefix });
  clusters.push(cluster);
  const [a, b] = await Promise.all([cluster.add(`${prefix}-a`), cluster.add(`${prefix}-b`)]);
  return { redis, cluster, a, b };
}

/** Repeats obj until it is acked (Redis just came back: the first tries may still fail). */
async function okEventually(client, obj, timeoutMs = 8000) {
  const answers = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await client.request(obj, 3000);
    if (r.type === 'ack') return r;
    answers.push(r.code);
    if (r.code !== 'unavailable') break;
    await sleep(200);
  }
  throw new Error(`${client.label}: ${obj.type} not acked; answers: ${answers.join(', ')}`);
}

test('while Redis is down clients get unavailable, nothing is half-written, and it all comes back', { timeout: 60000 }, async () => {
  const { redis, cluster, a, b } = await setUp(true, 'restart');
  const room = uniqueRoom('restart');
  const x = await joined(a.wsUrl, room, 'Xena', {}, 'x@a');
  const y = await joined(b.wsUrl, room, 'Yuri', {}, 'y@b');
  await x.ok({ type: 'story', title: 'Survive a Redis restart' });
  await x.ok({ type: 'vote', card: '3' });
  await y.nextRoom((r) => participant(r, x.participantId).voted, 3000, 'the vote');
  const before = (await a.http(`/api/rooms/${room}`)).json;

  await redis.stop();
  const down = Date.now();
  const refused = await x.request({ type: 'vote', card: '5' }, 5000);
  assert.equal(refused.type, 'error');
  assert.equal(refused.code, 'unavailable');
  const refusedMs = Date.now() - down;
  assert.equal((await y.request({ type: 'reveal' }, 5000)).code, 'unavailable');
  const newcomer = await Client.connect(b.wsUrl, { label: 'newcomer@b' });
  await assert.rejects(newcomer.join(room, 'Late', {}, 5000), (e) => e.reply?.code === 'unavailable');
  for (const srv of [a, b]) {
    const ready = await until(async () => {
      const r = await srv.http('/readyz');
      return r.status === 503 && r.json.reasons.some((s) => s.startsWith('storage:'))
        && r.json.reasons.some((s) => s.startsWith('bus:')) ? r : null;
    }, 5000, `${srv.name} /readyz to say why it is not ready`);
    assert.match(ready.json.reasons.join(' '), new RegExp(`127\\.0\\.0\\.1:${redis.port}`));
    assert.equal((await srv.http(`/api/rooms/${room}`)).status, 503);
  }
  assert.ok(x.isOpen && y.isOpen, 'clients stay connected while Redis is down');
  // Down longer than instanceTtlSeconds (3): when Redis is back, each instance's heartbeat
  // has expired and the first sweep may take the other for dead until it heartbeats again.
  await sleep(Math.max(0, 3500 - (Date.now() - down)));

  await redis.start();
  for (const srv of [a, b]) {
    await until(async () => (await srv.http('/readyz')).status === 200, 10000, `${srv.name} ready again`);
  }
  const recoveredMs = Date.now() - down;
  // Nothing that was refused got in: the same round, the same votes; the only changes since
  // are presence (an instance taken for dead after the outage, then repaired).
  const afterRestart = (await b.http(`/api/rooms/${room}`)).json;
  assert.equal(afterRestart.stage, 'voting');
  assert.equal(afterRestart.story.title, 'Survive a Redis restart');
  assert.equal(participant(afterRestart, x.participantId).voted, true);
  assert.equal(participant(afterRestart, y.participantId).voted, false);
  assert.equal(afterRestart.participants.length, 2);
  await until(() => y.latestRoom().version >= afterRestart.version, 5000, 'y to catch up');
  const since = y.states().filter((m) => m.room.version > before.version && m.room.version <= afterRestart.version);
  assert.deepEqual([...new Set(since.map((m) => m.cause.type))].filter((t) => t !== 'presence' && t !== 'resync'), []);

  await okEventually(x, { type: 'vote', card: '5' });
  await okEventually(y, { type: 'vote', card: '8' });
  await okEventually(y, { type: 'reveal' });
  const { room: revealed } = await x.nextRoom((r) => r.stage === 'revealed', 5000, 'the reveal on x');
  assert.deepEqual(revealed.result.distribution, { 5: 1, 8: 1 });
  assert.ok(revealed.version >= before.version + 3);
  await okEventually(x, { type: 'finalize', estimate: '8' });
  const resultId = (await y.nextRoom((r) => r.history.length === 1, 5000, 'the result')).room.history[0].resultId;
  await until(() => cluster.results().some((r) => r.resultId === resultId), 10000, 'the result delivered');
  // Both still shown online (an instance taken for dead while Redis was away repairs itself).
  await until(() => {
    const r = x.latestRoom();
    return participant(r, x.participantId).online && participant(r, y.participantId).online;
  }, 8000, 'both participants online');
  process.stderr.write(`# unavailable after ${refusedMs} ms of Redis down; ready again ${recoveredMs} ms after the stop\n`);
});

test('a Redis that comes back empty: clients are told to rejoin and get their seats back', { timeout: 60000 }, async () => {
  const { redis, a, b } = await setUp(false, 'empty');
  const room = uniqueRoom('empty');
  const x = await joined(a.wsUrl, room, 'Xena', {}, 'x@a');
  const y = await joined(b.wsUrl, room, 'Yuri', {}, 'y@b');
  await x.ok({ type: 'vote', card: '3' });

  await redis.stop();
  await sleep(300);
  await redis.start();
  // After resubscribing, each instance reloads its rooms, finds this one gone and closes its
  // connections with 1012 (service restart) so the clients come back.
  for (const c of [x, y]) {
    const { code } = await c.waitClose(10000);
    assert.equal(code, 1012, `${c.label} closed with ${code}`);
  }
  // Each resumes its seat, on the other instance this time.
  const x2 = await Client.connect(b.wsUrl, { label: 'x@b' });
  const { welcome: wx } = await x2.join(room, 'Xena', { participantId: x.participantId, resumeToken: x.resumeToken }, 5000);
  const y2 = await Client.connect(a.wsUrl, { label: 'y@a' });
  const { welcome: wy } = await y2.join(room, 'Yuri', { participantId: y.participantId, resumeToken: y.resumeToken }, 5000);
  assert.equal(wx.participantId, x.participantId);
  assert.equal(wy.participantId, y.participantId);
  assert.equal(wx.room.version, 1, 'the room starts again');
  await x2.ok({ type: 'vote', card: '5' });
  const { room: seen } = await y2.nextRoom((r) => participant(r, x.participantId)?.voted, 5000, 'the new vote');
  assert.equal(participant(seen, x.participantId).online, true);
  assert.equal(participant(seen, y.participantId).online, true);
});
