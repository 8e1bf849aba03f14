// Redis over TLS with the real fire-poker binary: storage-redis and bus-redis on a
// redis-server that serves TLS only (--port 0 --tls-port), with a throwaway CA made by the
// openssl command. Two instances with an ACL user work; a certificate that fails
// verification leaves the server up, answering `unavailable` with /readyz 503 saying why;
// TLS connections dropped midway (and Redis killed under pending votes) lose nothing;
// --check-config reports TLS configuration problems with exit code 2.
import { after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, joined, closeAllClients, uniqueRoom, participant } from './lib/client.mjs';
import { testWithLogs, startServer, runCli, makeConfig, sleep, SOURCE_DIR } from './lib/server.mjs';
import { redisConfig, until } from './lib/instances.mjs';
import { makeCertificates, startTlsRedis } from './lib/redis_tls.mjs';

const certificates = makeCertificates();
const sharedDir = mkdtempSync(join(tmpdir(), 'fp-tls-'));
const servers = [];
const redises = [];
const test = testWithLogs(() => servers);
const ACL_PASSWORD = 'Tls-Acl-Pw-42';

afterEach(closeAllClients);
after(async () => {
  await closeAllClients();
  await Promise.all(servers.map((s) => s.stop(3000)));
  for (const r of redises) await r.cleanup();
  certificates.cleanup();
  if (!process.env.FP_KEEP_TMP) rmSync(sharedDir, { recursive: true, force: true });
});

/** One fire-poker instance on `redis` with storage-redis and bus-redis given `tlsOptions`. */
async function startOn(redis, name, { prefix, tlsOptions = {}, env = {} }) {
  const config = redisConfig(redis, {
    sharedDir, instanceId: name, prefix,
    overrides: { storage: { options: tlsOptions }, bus: { options: tlsOptions } },
  });
  const srv = await startServer({ config, env });
  srv.name = name;
  servers.push(srv);
  return srv;
}

/** The records sink-jsonl wrote, of every instance of this file. */
function results() {
  const path = join(sharedDir, 'results.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** Repeats obj until acked; every answer before must be `unavailable`. */
async function okEventually(client, obj, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  const answers = [];
  while (Date.now() < deadline) {
    const r = await client.request(obj, 5000);
    if (r.type === 'ack') return answers;
    answers.push(r.code);
    assert.equal(r.code, 'unavailable', `${client.label}: ${obj.type} answered ${JSON.stringify(r)}`);
    await sleep(200);
  }
  throw new Error(`${client.label}: ${obj.type} not acked within ${timeoutMs} ms; answers: ${answers.join(', ')}`);
}

async function ready(srv, timeoutMs = 10000) {
  await until(async () => (await srv.http('/readyz')).status === 200, timeoutMs, `${srv.name} ready`);
}

test('two instances over TLS with an ACL user whose password comes from the environment', { timeout: 60000 }, async () => {
  const redis = await startTlsRedis(certificates);
  redises.push(redis);
  await redis.command('ACL', 'SETUSER', 'poker', 'on', `>${ACL_PASSWORD}`, '~*', '&*', '+@all');
  const tlsOptions = { url: `rediss://poker:@localhost:${redis.port}/0`, tlsCaFile: certificates.caFile };
  const env = { FP_STORAGE_OPTIONS_PASSWORD: ACL_PASSWORD, FP_BUS_OPTIONS_PASSWORD: ACL_PASSWORD };
  const [a, b] = await Promise.all([
    startOn(redis, 'tls-a', { prefix: 'tlsacl', tlsOptions, env }),
    startOn(redis, 'tls-b', { prefix: 'tlsacl', tlsOptions, env }),
  ]);
  await ready(a);
  await ready(b);
  const room = uniqueRoom('tlsacl');
  const x = await joined(a.wsUrl, room, 'Xena', {}, 'x@a');
  const y = await joined(b.wsUrl, room, 'Yuri', {}, 'y@b');
  await x.ok({ type: 'story', title: 'Encrypt the sidecar' });
  await x.ok({ type: 'vote', card: '5' });
  await y.nextRoom((r) => participant(r, x.participantId).voted, 3000, 'the vote from the other instance');
  await y.ok({ type: 'vote', card: '8' });
  await y.ok({ type: 'reveal' });
  const { room: revealed } = await x.nextRoom((r) => r.stage === 'revealed', 3000, 'the reveal');
  assert.deepEqual(revealed.result.distribution, { 5: 1, 8: 1 });
  await x.ok({ type: 'finalize', estimate: '8' });
  const { room: done } = await y.nextRoom((r) => r.history.length === 1, 3000, 'the result');
  const { resultId } = done.history[0];
  await until(() => results().some((r) => r.resultId === resultId), 10000, 'the result delivered');

  // Every connection of both instances is the ACL user's, and the password is in no log.
  const clients = String(await redis.command('CLIENT', 'LIST')).split('\n').filter((l) => l.trim());
  const poker = clients.filter((l) => / user=poker /.test(l));
  assert.ok(poker.length >= 6, `connections of user poker: ${poker.length}\n${clients.join('\n')}`);
  assert.ok(poker.some((l) => / cmd=subscribe /.test(l) || / sub=[1-9]/.test(l)), 'the subscription is the ACL user\'s too');
  for (const srv of [a, b]) assert.ok(!srv.output().includes(ACL_PASSWORD), `${srv.name} logged the password`);
});

test('a certificate that fails verification: the server stays up, joins get unavailable, /readyz 503 says why', { timeout: 60000 }, async () => {
  const redis = await startTlsRedis(certificates);
  redises.push(redis);
  const host = `localhost:${redis.port}`;
  const cases = [
    { name: 'wrong CA', options: { tlsCaFile: certificates.otherCaFile },
      why: /certificate verification failed: the server's certificate is not signed by a trusted CA/ },
    { name: 'wrong name', options: { tlsCaFile: certificates.caFile, tlsServerName: 'redis.internal' },
      why: /certificate verification failed: name mismatch: the server's certificate is not for 'redis\.internal'/ },
  ];
  for (const { name, options, why } of cases) {
    const srv = await startOn(redis, `tls-${name.replace(' ', '-')}`, { prefix: 'tlsbad', tlsOptions: options });
    const notReady = await until(async () => {
      const r = await srv.http('/readyz');
      return r.status === 503 && r.json.reasons.some((s) => s.startsWith('storage:'))
        && r.json.reasons.some((s) => s.startsWith('bus:')) ? r : null;
    }, 5000, `${name}: /readyz 503 for storage and bus`);
    for (const kind of ['storage:', 'bus:']) {
      const reason = notReady.json.reasons.find((s) => s.startsWith(kind));
      assert.ok(reason.includes(host), `${name}: ${kind} reason does not name ${host}: ${reason}`);
      assert.match(reason, why, `${name}: ${kind} reason`);
    }
    assert.match(srv.output(), why, `${name}: the log says why too`);
    const client = await Client.connect(srv.wsUrl, { label: `joiner (${name})` });
    await assert.rejects(client.join(uniqueRoom('tlsbad'), 'Late', {}, 5000),
      (e) => e.reply?.code === 'unavailable', `${name}: join answered unavailable`);
    assert.equal((await srv.http('/healthz')).status, 200, `${name}: the process stays alive`);
    await srv.stop(3000);
  }
});

test('TLS connections dropped midway come back; votes pending when Redis dies are committed or answered unavailable; nothing is lost', { timeout: 90000 }, async () => {
  const redis = await startTlsRedis(certificates, { appendOnly: true });
  redises.push(redis);
  const tlsOptions = { tlsCaFile: certificates.caFile };
  const [a, b] = await Promise.all([
    startOn(redis, 'drop-a', { prefix: 'tlsdrop', tlsOptions }),
    startOn(redis, 'drop-b', { prefix: 'tlsdrop', tlsOptions }),
  ]);
  await ready(a);
  await ready(b);
  const room = uniqueRoom('tlsdrop');
  const x = await joined(a.wsUrl, room, 'Xena', {}, 'x@a');
  const y = await joined(a.wsUrl, room, 'Yuri', {}, 'y@a');
  const z = await joined(b.wsUrl, room, 'Zoe', {}, 'z@b');
  await x.ok({ type: 'story', title: 'Survive a dropped TLS connection' });

  // Redis drops every client connection: the storage's, the health checks', the buses'.
  await redis.command('CLIENT', 'KILL', 'TYPE', 'pubsub');
  await redis.command('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
  await okEventually(x, { type: 'vote', card: '1' });
  // The vote reaches the other instance: its subscription reconnected and resynced.
  await z.nextRoom((r) => participant(r, x.participantId).voted, 8000, 'the vote after the drop, on b');

  // Redis killed while three votes are pending, then started again with its data.
  const cards = { x: '3', y: '5', z: '8' };
  const pending = [x, y, z].map((c, i) => c.request({ type: 'vote', card: Object.values(cards)[i] }, 8000));
  await redis.kill();
  const answers = await Promise.all(pending);
  for (const [i, answer] of answers.entries()) {
    assert.ok(answer.type === 'ack' || answer.code === 'unavailable',
      `pending vote ${i} answered neither ack nor unavailable: ${JSON.stringify(answer)}`);
  }
  await sleep(300);
  await redis.start();
  await ready(a, 15000);
  await ready(b, 15000);
  const afterRestart = (await a.http(`/api/rooms/${room}`)).json;
  for (const [i, c] of [x, y, z].entries()) {
    // Acknowledged means stored: an appendfsync-always Redis has it after the restart.
    if (answers[i].type === 'ack') assert.equal(participant(afterRestart, c.participantId).voted, true, `${c.label}'s acked vote`);
  }
  // The clients repeat what was answered unavailable (the same card: idempotent).
  for (const [i, c] of [x, y, z].entries()) {
    if (answers[i].type !== 'ack') await okEventually(c, { type: 'vote', card: Object.values(cards)[i] });
  }
  await okEventually(x, { type: 'reveal' });
  const { room: revealed } = await z.nextRoom((r) => r.stage === 'revealed', 8000, 'the reveal on b');
  assert.deepEqual(revealed.result.distribution, { 3: 1, 5: 1, 8: 1 });
  await okEventually(x, { type: 'finalize', estimate: '5' });
  const { room: done } = await z.nextRoom((r) => r.history.length === 1, 8000, 'the result on b');
  const { resultId } = done.history[0];
  await until(() => results().some((r) => r.resultId === resultId), 15000, 'the result delivered');
  await sleep(500);
  assert.equal(results().filter((r) => r.resultId === resultId).length, 1, 'delivered once');
  process.stderr.write(`# pending votes when Redis was killed: ${answers.map((r) => r.type === 'ack' ? 'ack' : r.code).join(', ')}\n`);
});

test('--check-config reports TLS problems (CA file, rediss:// url, tls options on redis://) with exit code 2', { timeout: 30000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'fp-tls-cli-'));
  try {
    const write = (name, options) => {
      const path = join(dir, name);
      const config = makeConfig(8080, dir, {
        storage: { plugin: 'storage-redis', options },
        bus: { plugin: 'bus-redis', options },
      });
      writeFileSync(path, JSON.stringify(config, null, 2));
      return path;
    };
    const missing = join(dir, 'no-such-ca.pem');
    const good = write('good.json', { url: 'rediss://redis.internal:6380/0', tlsCaFile: certificates.caFile });
    const ok = runCli(['--check-config', good]);
    assert.equal(ok.code, 0, ok.output);
    const example = runCli(['--check-config', 'configs/redis-tls.json'], { cwd: SOURCE_DIR });
    assert.equal(example.code, 0, example.output);

    const problems = [
      ['missing-ca.json', { url: 'rediss://redis.internal:6380/0', tlsCaFile: missing },
        new RegExp(`storage\\.options: .*tlsCaFile: cannot read ${missing}: No such file or directory`)],
      ['bad-url.json', { url: 'rediss://:Hidden-Pw-7@redis.internal:99999/0' }, /storage\.options: .*port 99999 is out of range/],
      ['plain-with-tls.json', { url: 'redis://redis.internal:6379/0', tlsCaFile: certificates.caFile }, /storage\.options: .*use rediss:\/\//],
    ];
    for (const [name, options, expected] of problems) {
      const path = write(name, options);
      for (const args of [['--check-config', path], ['--config', path]]) {
        const r = runCli(args, { timeout: 10000 });
        assert.equal(r.signal, null, r.output);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.output}`);
        assert.ok(r.output.includes(name), `file not named:\n${r.output}`);
        assert.match(r.output, expected);
        assert.match(r.output, /bus\.options: /, `the bus's problem is reported too:\n${r.output}`);
        assert.ok(!r.output.includes('Hidden-Pw-7'), `password printed:\n${r.output}`);
        assert.doesNotMatch(r.output, /listening on/);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
