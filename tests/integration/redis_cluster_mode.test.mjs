// Two instances on a redis-server in cluster mode (one node holding all 16384 slots): Redis
// then refuses any command or script whose keys span two hash slots (CROSSSLOT), as a real
// Redis Cluster does. Rounds finalized across both instances must be committed, published
// and delivered, and the outbox must drain: the key layout keeps each script in one slot.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { joined, closeAllClients, uniqueRoom } from './lib/client.mjs';
import { testWithLogs } from './lib/server.mjs';
import { startRedis } from './lib/redis.mjs';
import { Instances, until } from './lib/instances.mjs';
import { metric } from './lib/sinks.mjs';

let redis;
let cluster;
const test = testWithLogs(() => cluster?.list);

after(async () => {
  await closeAllClients();
  await cluster?.stopAll();
  await redis?.cleanup();
});

test('rounds finalized across two instances on a cluster-mode Redis are delivered once', { timeout: 60000 }, async () => {
  redis = await startRedis({ clusterMode: true });
  assert.match(await redis.command('CLUSTER', 'INFO'), /cluster_state:ok/);
  cluster = new Instances(redis, { prefix: 'clm' });
  const [a, b] = await Promise.all([cluster.add('clm-a'), cluster.add('clm-b')]);
  for (const srv of [a, b]) assert.equal((await srv.http('/readyz')).status, 200);

  const rooms = [uniqueRoom('slot'), uniqueRoom('slot')];
  const resultIds = [];
  for (const room of rooms) {
    const onA = await joined(a.wsUrl, room, 'On A', {}, `a@${room}`);
    const onB = await joined(b.wsUrl, room, 'On B', {}, `b@${room}`);
    for (const estimate of ['3', '8']) {
      await onA.ok({ type: 'story', title: `Story ${estimate}` });
      await onA.ok({ type: 'vote', card: estimate });
      await onB.ok({ type: 'vote', card: estimate });
      await onB.ok({ type: 'reveal' });
      await onB.ok({ type: 'finalize', estimate });
    }
    // Both instances' clients see the whole history (the commit published it).
    for (const client of [onA, onB]) {
      const { room: done } = await client.nextRoom((r) => r.history.length === 2, 5000, `${client.label}: both results`);
      resultIds.push(...(client === onA ? done.history.map((h) => h.resultId) : []));
    }
    // The room's document and its outbox share the room's slot.
    assert.equal(await redis.command('CLUSTER', 'KEYSLOT', `clm:{room:${room}}:doc`),
      await redis.command('CLUSTER', 'KEYSLOT', `clm:{room:${room}}:outbox:rec`));
  }
  assert.equal(resultIds.length, 4);

  const delivered = await until(() => {
    const got = cluster.results();
    return resultIds.every((id) => got.some((r) => r.resultId === id)) ? got : null;
  }, 15000, 'every result in the shared results file');
  for (const id of resultIds) {
    assert.equal(delivered.filter((r) => r.resultId === id).length, 1, `result ${id} delivered once`);
  }
  for (const srv of [a, b]) {
    await until(async () => (await metric(srv, 'fp_outbox_depth ')) === 0, 5000, `${srv.name}: an empty outbox`);
    assert.equal(await metric(srv, 'fp_outbox_failed '), 0);
  }
  for (const room of rooms) assert.equal(await redis.command('ZCARD', `clm:{room:${room}}:outbox:due`), 0);
  // Nothing in either instance's log about a Redis error.
  for (const srv of cluster.list) assert.doesNotMatch(srv.output(), /CROSSSLOT|answered: ERR/);
});
