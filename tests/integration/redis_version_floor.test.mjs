// Issue 18: with several instances, a connection never receives a `state` whose version is not
// greater than the last version it was sent, its `welcome` included. The race: a join commits
// on the joining instance, which sends the welcome at once, while the join's own state comes
// back over the bus a moment later. Two instances on one Redis; a run joins through one and
// watches from the other, with exact version sequences, many times (FP_RACE_RUNS, default 100).
import { before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Client, joined, closeAllClients, uniqueRoom } from './lib/client.mjs';
import { testWithLogs } from './lib/server.mjs';
import { startRedis } from './lib/redis.mjs';
import { Instances } from './lib/instances.mjs';

const RUNS = Number(process.env.FP_RACE_RUNS || 100);

let redis;
let cluster;
const test = testWithLogs(() => cluster?.list);

before(async () => {
  redis = await startRedis();
  cluster = new Instances(redis, { prefix: 'floor' });
  await Promise.all(['floor-1', 'floor-2'].map((name) => cluster.add(name)));
});
after(async () => {
  await closeAllClients();
  await cluster?.stopAll();
  await redis?.cleanup();
});
afterEach(closeAllClients);

/** The versions a client was sent, welcome first, in the order they arrived. */
function versionsSent(client) {
  return client.all().filter((m) => m.type === 'welcome' || m.type === 'state').map((m) => m.room.version);
}

/** Waits until the client was sent `version`, then returns every version it was sent. */
async function sentUpTo(client, version) {
  await client.next((m) => m.type === 'state' && m.room.version >= version, 3000, `state ${version}`);
  return versionsSent(client);
}

test(`a join through one instance, watched from the other: exact versions, ${RUNS} runs`, { timeout: 120000 }, async () => {
  const [one, two] = cluster.list;
  for (let run = 0; run < RUNS; run++) {
    const room = uniqueRoom(`floor${run}`);
    const actor = await joined(one.wsUrl, room, 'Actor', {}, `actor#${run}`);
    const observer = await joined(two.wsUrl, room, 'Observer', { role: 'observer' }, `observer#${run}`);
    const welcome = observer.welcome.room.version;
    assert.equal(welcome, 2, `run ${run}: the observer's join is the room's second change`);
    await actor.ok({ type: 'vote', card: '5' });
    // The bus keeps one room's states in order: the join's own state, if it were sent again,
    // would come before the vote's.
    assert.deepEqual(await sentUpTo(observer, 3), [2, 3], `run ${run}: the observer was sent ${versionsSent(observer)}`);
    assert.deepEqual(await sentUpTo(actor, 3), [1, 2, 3], `run ${run}: the actor was sent ${versionsSent(actor)}`);
    await Promise.all([actor.close(), observer.close()]);
  }
});

test(`a resume on the other instance: exact versions, ${RUNS} runs`, { timeout: 120000 }, async () => {
  const [one, two] = cluster.list;
  for (let run = 0; run < RUNS; run++) {
    const room = uniqueRoom(`resume${run}`);
    const actor = await joined(one.wsUrl, room, 'Actor', {}, `actor#${run}`);
    const first = await joined(one.wsUrl, room, 'Mover', {}, `mover-first#${run}`);
    const seat = { participantId: first.participantId, resumeToken: first.resumeToken };
    // A second tab on the other instance takes the same seat back: version 3 (connection
    // counted there), while the first tab stays.
    const back = await Client.connect(two.wsUrl, { label: `mover-back#${run}` });
    const { welcome } = await back.join(room, 'Mover', seat);
    assert.equal(welcome.participantId, seat.participantId);
    assert.equal(welcome.room.version, 3, `run ${run}: the resume is the room's third change`);
    await actor.ok({ type: 'vote', card: '8' });
    assert.deepEqual(await sentUpTo(back, 4), [3, 4], `run ${run}: the resumed tab was sent ${versionsSent(back)}`);
    assert.deepEqual(await sentUpTo(first, 4), [2, 3, 4], `run ${run}: the first tab was sent ${versionsSent(first)}`);
    await Promise.all([actor, first, back].map((c) => c.close()));
  }
});
