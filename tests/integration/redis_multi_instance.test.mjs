// Three fire-poker instances on one Redis: one consistent room whichever instance a client
// is connected to.
import { before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Client, joined, closeAllClients, uniqueRoom, participant } from './lib/client.mjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testWithLogs, runCli, makeConfig } from './lib/server.mjs';
import { startRedis } from './lib/redis.mjs';
import { Instances, until, assertIncreasingVersions } from './lib/instances.mjs';

let redis;
let cluster;
const test = testWithLogs(() => cluster?.list);

before(async () => {
  redis = await startRedis();
  cluster = new Instances(redis, { prefix: 'multi' });
  await Promise.all(['inst-a', 'inst-b', 'inst-c'].map((name) => cluster.add(name)));
});
after(async () => {
  await closeAllClients();
  await cluster?.stopAll();
  await redis?.cleanup();
});
afterEach(closeAllClients);

const at = (i) => cluster.list[i % cluster.list.length];

test('clients spread across three instances see every change of one room', async () => {
  const room = uniqueRoom('spread');
  const clients = [];
  for (let i = 0; i < 3; i++) clients.push(await joined(at(i).wsUrl, room, `Player ${i}`, {}, `c${i}@${at(i).name}`));
  const [a, b, c] = clients;
  await a.ok({ type: 'story', title: 'Login page' });
  await b.ok({ type: 'vote', card: '5' });
  await c.ok({ type: 'vote', card: '8' });
  await a.ok({ type: 'vote', card: '5' });
  await b.ok({ type: 'reveal' });
  // Acked means committed: storage has the final version already.
  const finalVersion = (await at(0).http(`/api/rooms/${room}`)).json.version;
  assert.equal(finalVersion, clients[2].welcome.room.version + 5);
  for (const client of clients) {
    const { room: revealed } = await client.nextRoom((r) => r.stage === 'revealed', 3000, 'the reveal');
    assert.equal(revealed.result.votes, 3);
    assert.deepEqual(revealed.result.distribution, { 5: 2, 8: 1 });
    assert.equal(revealed.story.title, 'Login page');
    await until(() => client.latestRoom().version >= finalVersion, 3000, `${client.label} at version ${finalVersion}`);
  }
  // Every change reached every client, and versions only went up, by one per change.
  const sequences = clients.map((client) => {
    assertIncreasingVersions(client);
    return client.states().map((m) => m.room.version).filter((v) => v > clients[2].welcome.room.version);
  });
  const expected = [];
  for (let v = clients[2].welcome.room.version + 1; v <= finalVersion; v++) expected.push(v);
  for (const seq of sequences) assert.deepEqual(seq, expected);
  // The HTTP view of every instance agrees.
  for (const srv of cluster.list) {
    const r = await srv.http(`/api/rooms/${room}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.version, finalVersion);
  }
});

test('50 clients voting at the same moment across instances all end up in the final state', { timeout: 45000 }, async () => {
  const room = uniqueRoom('fifty');
  const clients = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    joined(at(i).wsUrl, room, `Voter ${i}`, {}, `v${i}@${at(i).name}`)));
  const cards = ['1', '2', '3', '5', '8'];
  const started = Date.now();
  await Promise.all(clients.map((c, i) => c.ok({ type: 'vote', card: cards[i % cards.length] }, 15000)));
  const votingMs = Date.now() - started;
  const allVoted = (r) => r.participants.length === 50 && r.participants.every((p) => p.voted);
  const finals = await Promise.all(clients.map((c) => until(() => {
    const r = c.latestRoom();
    return r && allVoted(r) ? r : null;
  }, 10000, `${c.label} to see 50 votes`)));
  const version = finals[0].version;
  for (const [i, r] of finals.entries()) {
    assert.equal(r.version, version, `${clients[i].label} ends at version ${r.version}, not ${version}`);
    assertIncreasingVersions(clients[i]);
  }
  // 50 joins and 50 votes: version grew by exactly 100 over the room's life.
  const causes = {};
  for (const m of clients[0].states()) causes[m.cause.type] = (causes[m.cause.type] || 0) + 1;
  assert.equal(version, 100, `causes seen by the first client: ${JSON.stringify(causes)}`);
  const stored = await at(1).http(`/api/rooms/${room}`);
  assert.equal(stored.json.version, version);
  assert.equal(stored.json.participants.filter((p) => p.voted && p.online).length, 50);
  process.stderr.write(`# 50 simultaneous votes over 3 instances acknowledged in ${votingMs} ms\n`);
});

test('a participant resumes its seat on another instance', async () => {
  const room = uniqueRoom('resume');
  const host = await joined(at(0).wsUrl, room, 'Host', {}, 'host@a');
  const mover = await joined(at(0).wsUrl, room, 'Mover', {}, 'mover@a');
  await mover.ok({ type: 'vote', card: '13' });
  const { participantId, resumeToken } = mover;
  await mover.close();
  await host.nextRoom((r) => participant(r, participantId)?.online === false, 3000, 'mover offline');

  const back = await Client.connect(at(1).wsUrl, { label: 'mover@b' });
  const { welcome } = await back.join(room, 'Mover', { participantId, resumeToken });
  assert.equal(welcome.participantId, participantId);
  assert.equal(welcome.you.card, '13');
  assert.equal(participant(welcome.room, participantId).voted, true);
  await host.nextRoom((r) => participant(r, participantId)?.online === true, 3000, 'mover online again');
  assert.equal(host.latestRoom().participants.length, 2);
  // The seat keeps its rights on the new instance.
  await back.ok({ type: 'vote', card: '21' });
  await host.nextRoom((r) => r.version === welcome.room.version + 1, 3000, 'the new vote');
});

test('storage-redis publishing on commit with bus-local is refused at start, with the fix', async () => {
  const path = join(cluster.sharedDir, 'bus-local.json');
  writeFileSync(path, JSON.stringify(makeConfig(1, cluster.sharedDir, {
    storage: { plugin: 'storage-redis', options: { url: redis.url } },
  })));
  const r = runCli(['--config', path]);
  assert.equal(r.code, 2, r.output);
  assert.match(r.output, /bus-local never receives/);
  assert.match(r.output, /publishOnCommit to false/);
});
