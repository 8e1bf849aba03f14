// An instance killed with SIGKILL: its participants go offline on the others, and the
// results it had claimed from the outbox are delivered by another instance.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { joined, closeAllClients, uniqueRoom, participant } from './lib/client.mjs';
import { testWithLogs } from './lib/server.mjs';
import { startRedis } from './lib/redis.mjs';
import { Instances, until } from './lib/instances.mjs';

let redis;
let cluster;
const test = testWithLogs(() => cluster?.list);

after(async () => {
  await closeAllClients();
  await cluster?.stopAll();
  await redis?.cleanup();
});

test('a killed instance: its participants go offline and its claimed results are delivered elsewhere', { timeout: 60000 }, async () => {
  redis = await startRedis();
  cluster = new Instances(redis, { prefix: 'kill' });
  // The victim starts alone and delivers slowly (one result at once, then one per 10 s), so it
  // is the one holding the claims when it dies.
  const victim = await cluster.add('victim', { delivery: { requestsPerSecond: 0.1 } });
  const room = uniqueRoom('kill');
  const doomed = await joined(victim.wsUrl, room, 'On the victim', {}, 'doomed');
  const estimates = ['1', '2', '3', '5'];
  for (const estimate of estimates) {
    await doomed.ok({ type: 'story', title: `Story ${estimate}` });
    await doomed.ok({ type: 'vote', card: estimate });
    await doomed.ok({ type: 'reveal' });
    await doomed.ok({ type: 'finalize', estimate });
  }
  // The ack may come before the state of the last finalize.
  const { room: finalized } = await doomed.nextRoom((r) => r.history.length === estimates.length, 3000, 'every result');
  const resultIds = finalized.history.map((h) => h.resultId);
  assert.equal(resultIds.length, estimates.length);
  // Every result is either delivered (at most one so far) or claimed by the victim.
  const claimed = await until(async () => {
    const delivered = new Set(cluster.results().map((r) => r.resultId));
    const pending = resultIds.filter((id) => !delivered.has(id));
    const owners = await Promise.all(pending.map((id) => redis.command('HGET', `kill:{room:${room}}:outbox:rec`, `claimedBy:results-file/${id}`)));
    return owners.every((o) => o === 'victim') ? pending : null;
  }, 5000, 'the victim to claim every result');
  const deliveredByVictim = resultIds.length - claimed.length;
  assert.ok(deliveredByVictim <= 1, `the victim delivered ${deliveredByVictim} results already`);
  assert.ok(claimed.length >= 3);

  const [a, b] = await Promise.all([cluster.add('survivor-a'), cluster.add('survivor-b')]);
  const onA = await joined(a.wsUrl, room, 'On A', {}, 'onA');
  const onB = await joined(b.wsUrl, room, 'On B', {}, 'onB');
  assert.equal(participant(onA.welcome.room, doomed.participantId).online, true);

  const killedAt = Date.now();
  victim.proc.kill('SIGKILL');
  await victim.exited;
  // instanceTtlSeconds 3 + sweepIntervalSeconds 1 in this test (PROTOCOL.md allows 60 s).
  for (const client of [onA, onB]) {
    await client.nextRoom((r) => participant(r, doomed.participantId)?.online === false, 15000,
      `${client.label} to see the victim's participant offline`);
  }
  const offlineMs = Date.now() - killedAt;
  assert.equal(participant(onA.latestRoom(), onA.participantId).online, true);
  assert.equal(participant(onB.latestRoom(), onB.participantId).online, true);

  // The victim's claims expire (claimVisibilitySeconds 5) and a survivor delivers them.
  const records = await until(() => {
    const got = cluster.results();
    return resultIds.every((id) => got.some((r) => r.resultId === id)) ? got : null;
  }, 15000, 'every result in the shared results file');
  const deliveredMs = Date.now() - killedAt;
  for (const id of resultIds) {
    assert.equal(records.filter((r) => r.resultId === id).length, 1, `result ${id} delivered once`);
  }
  const stats = await until(async () => ((await redis.command('ZCARD', `kill:{room:${room}}:outbox:due`)) === 0 ? true : null),
    5000, 'an empty outbox');
  assert.ok(stats);
  process.stderr.write(`# victim's participant offline after ${offlineMs} ms; its ${resultIds.length - deliveredByVictim} `
    + `claimed results delivered by survivors after ${deliveredMs} ms\n`);
});
