// Two instances with storage-redis and bus-redis `cluster: true` on a three-node Redis
// Cluster (no replicas; the others keep serving their slots without full coverage), both
// given the first node's url. That node is killed: /readyz names its slot range, and a change
// on one instance still reaches the other, whose bus moved to another node and resynced.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { joined, closeAllClients, uniqueRoom } from './lib/client.mjs';
import { testWithLogs } from './lib/server.mjs';
import { startRedisCluster } from './lib/redis.mjs';
import { Instances, until } from './lib/instances.mjs';

let redis;
let cluster;
const test = testWithLogs(() => cluster?.list);

after(async () => {
  await closeAllClients();
  await cluster?.stopAll();
  await redis?.cleanup();
});

test('the url\'s node of a cluster dies: /readyz names its slots, the bus moves on', { timeout: 60000 }, async () => {
  redis = await startRedisCluster(3, { fullCoverage: false });
  const [first, second] = redis.nodes;
  cluster = new Instances(redis, { prefix: 'failover' });
  const clusterOn = { storage: { options: { cluster: true } }, bus: { options: { cluster: true } } };
  const [a, b] = await Promise.all([cluster.add('failover-a', clusterOn), cluster.add('failover-b', clusterOn)]);
  for (const srv of [a, b]) assert.equal((await srv.http('/readyz')).status, 200);

  // A room kept by a node that survives (the first node has slots 0-5460).
  let room;
  do {
    room = uniqueRoom('fo');
  } while (await second.command('CLUSTER', 'KEYSLOT', `failover:{room:${room}}:doc`) <= 5460);
  const onA = await joined(a.wsUrl, room, 'On A', {}, 'onA');
  const onB = await joined(b.wsUrl, room, 'On B', {}, 'onB');
  await onA.ok({ type: 'story', title: 'Before' });
  await onB.nextRoom((r) => r.story?.title === 'Before', 5000, 'the story on B');

  await first.kill();
  for (const srv of [a, b]) {
    const ready = await until(async () => {
      const r = await srv.http('/readyz');
      return r.status === 503 && r.json.reasons.some((why) => why.includes(`slots 0-5460 on 127.0.0.1:${first.port}`)) ? r : null;
    }, 8000, `${srv.name}: /readyz naming the dead node's slots`);
    assert.equal(ready.json.ready, false);
  }
  await until(() => /subscription connection moved to redis/.test(b.output()), 8000, 'B\'s bus on another node');
  await onA.ok({ type: 'story', title: 'After' });
  await onB.nextRoom((r) => r.story?.title === 'After', 8000, 'the new story on B');
});
