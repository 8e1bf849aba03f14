// Two instances with storage-redis `cluster: true` on a real Redis Cluster of three nodes
// (started here): rooms land on every node, clients on both instances see one room, and the
// finalized results are delivered once. bus-redis subscribes on the url's node; cluster
// pub/sub carries every node's PUBLISH to it.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { joined, closeAllClients, uniqueRoom } from './lib/client.mjs';
import { testWithLogs } from './lib/server.mjs';
import { startRedisCluster } from './lib/redis.mjs';
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

test('two instances on a three-node Redis Cluster serve rooms on every node', { timeout: 60000 }, async () => {
  redis = await startRedisCluster(3);
  cluster = new Instances(redis, { prefix: 'nodes' });
  const clusterOn = { storage: { options: { cluster: true } } };
  const [a, b] = await Promise.all([cluster.add('nodes-a', clusterOn), cluster.add('nodes-b', clusterOn)]);
  for (const srv of [a, b]) assert.equal((await srv.http('/readyz')).status, 200);

  // Enough rooms that every node holds some.
  const rooms = Array.from({ length: 6 }, () => uniqueRoom('node'));
  const resultIds = [];
  for (const room of rooms) {
    const onA = await joined(a.wsUrl, room, 'On A', {}, `a@${room}`);
    const onB = await joined(b.wsUrl, room, 'On B', {}, `b@${room}`);
    await onA.ok({ type: 'story', title: `Story in ${room}` });
    await onA.ok({ type: 'vote', card: '5' });
    await onB.ok({ type: 'vote', card: '8' });
    await onB.ok({ type: 'reveal' });
    await onA.ok({ type: 'finalize', estimate: '8' });
    const { room: done } = await onB.nextRoom((r) => r.history.length === 1, 5000, `${room}: the result on B`);
    resultIds.push(done.history[0].resultId);
    await onA.close();
    await onB.close();
  }
  const owners = await Promise.all(redis.nodes.map(async (node) => Number(await node.command('DBSIZE'))));
  assert.ok(owners.every((keys) => keys > 0), `keys on every node: ${owners.join(', ')}`);

  const delivered = await until(() => {
    const got = cluster.results();
    return resultIds.every((id) => got.some((r) => r.resultId === id)) ? got : null;
  }, 15000, 'every result in the shared results file');
  for (const id of resultIds) {
    assert.equal(delivered.filter((r) => r.resultId === id).length, 1, `result ${id} delivered once`);
  }
  for (const srv of [a, b]) {
    await until(async () => (await metric(srv, 'fp_outbox_depth ')) === 0, 5000, `${srv.name}: an empty outbox`);
    assert.doesNotMatch(srv.output(), /MOVED|CROSSSLOT/);
  }
});
