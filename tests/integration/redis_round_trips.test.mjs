// Issue 8's Redis target, end to end: a vote on the common path (one instance, the room's
// latest state already back over the bus) costs one storage round trip, the compare-and-swap
// script that also publishes; no load before it. Counted by redis-server itself
// (INFO commandstats), so heartbeats and sweeps running meanwhile can only add, never hide.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { joined, closeAllClients, uniqueRoom } from './lib/client.mjs';
import { testWithLogs, sleep } from './lib/server.mjs';
import { startRedis } from './lib/redis.mjs';
import { Instances, until } from './lib/instances.mjs';

let redis;
let cluster;
const test = testWithLogs(() => cluster?.list);

before(async () => {
  redis = await startRedis();
  cluster = new Instances(redis, { prefix: 'trips' });
  // Slow background work, so it adds little to what is counted.
  await cluster.add('trips-a', { server: { heartbeatSeconds: 5, instanceTtlSeconds: 15, sweepIntervalSeconds: 30 } });
});
after(async () => {
  await closeAllClients();
  await cluster?.stopAll();
  await redis?.cleanup();
});

async function callsByCommand() {
  const text = String(await redis.command('INFO', 'commandstats'));
  const calls = {};
  for (const line of text.split('\n')) {
    const m = /^cmdstat_([a-z|]+):calls=(\d+)/.exec(line.trim());
    if (m) calls[m[1]] = Number(m[2]);
  }
  return calls;
}

test('a vote costs one Redis round trip once the room is settled on its instance', async () => {
  const srv = cluster.list[0];
  const room = uniqueRoom('trips');
  const voter = await joined(srv.wsUrl, room, 'Voter');
  const watcher = await joined(srv.wsUrl, room, 'Watcher');
  const votes = 20;
  let version = watcher.latestRoom().version;
  await until(() => voter.latestRoom().version >= version, 2000, 'the voter settled');
  const before = await callsByCommand();
  for (let i = 0; i < votes; i++) {
    await voter.ok({ type: 'vote', card: i % 2 ? '5' : '8' });
    version += 1;
    // The state back over the bus first: then the instance's copy is known current.
    await until(() => watcher.latestRoom().version >= version, 2000, `state version ${version}`);
  }
  await sleep(50);
  const after = await callsByCommand();
  const delta = (name) => (after[name] ?? 0) - (before[name] ?? 0);
  const scripts = delta('evalsha') + delta('eval');
  const loads = delta('hmget') + delta('hgetall') + delta('get');
  assert.equal(scripts >= votes, true, `at least one script per vote (${scripts} for ${votes})`);
  // Background heartbeats and sweeps may add a few calls, never one per vote.
  assert.ok(loads <= 3, `loads before a vote on the common path: ${loads} for ${votes} votes (${JSON.stringify(after)})`);
  assert.ok(scripts <= votes + 3, `scripts: ${scripts} for ${votes} votes`);
});

test('a room changed by another writer is loaded again, and the vote still lands once', async () => {
  const srv = cluster.list[0];
  const room = uniqueRoom('trips-stale');
  const a = await joined(srv.wsUrl, room, 'A');
  await a.ok({ type: 'vote', card: '3' });
  // A second instance changes the room; the first learns it over the bus or by a conflict.
  const other = await cluster.add('trips-b', { server: { heartbeatSeconds: 5, instanceTtlSeconds: 15, sweepIntervalSeconds: 30 } });
  const b = await joined(other.wsUrl, room, 'B');
  await b.ok({ type: 'vote', card: '8' });
  await a.ok({ type: 'vote', card: '5' });
  await a.ok({ type: 'reveal' });
  const { room: revealed } = await b.nextRoom((r) => r.stage === 'revealed', 3000, 'the reveal');
  assert.deepEqual(revealed.result.distribution, { 5: 1, 8: 1 });
  assert.equal(revealed.result.votes, 2);
});
