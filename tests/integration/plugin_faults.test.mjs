// Exceptions never cross the plugin boundary (issue 7): test plugins that throw from a chosen
// entry point (tests/plugins/faulty_*_plugin.cpp, option throwFrom; throwTimes = only the first
// N calls) never take the server down. A throw while the plugin is made or started stops the
// start-up with a message naming the plugin and the call; a throw from any other call is
// reported (plugin and call named in the log) and the server carries on: a storage answers
// `unavailable`, a sink pauses, readiness reports the reason.
import { describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  BUILD_DIR, startServer, runToExit, testWithLogs, sleep,
} from './lib/server.mjs';
import { Client, closeAllClients, joined, uniqueRoom } from './lib/client.mjs';
import { ADMIN_TOKEN, admin, finalizeStories, waitFor } from './lib/sinks.mjs';

const TEST_PLUGINS = join(BUILD_DIR, 'test-plugins');
const LABEL = {
  storage: 'storage (plugin test-faulty-storage)',
  bus: 'bus (plugin test-faulty-bus)',
  sink: 'sink pages (plugin test-faulty-sink)',
};

/** Config overrides that put the faulty plugin of `kind` in place, throwing from `throwFrom`. */
function faulty(kind, throwFrom, throwTimes = 0) {
  const options = { throwFrom, throwTimes };
  const config = { server: { pluginPath: TEST_PLUGINS }, delivery: { initialBackoffMs: 100, maxBackoffMs: 400 } };
  if (kind === 'sink') config.sinks = [{ name: 'pages', plugin: 'test-faulty-sink', options }];
  else config[kind] = { plugin: `test-faulty-${kind}`, options };
  return config;
}

// Tests of a describe block run concurrently: each stops its own server (see `it`).
const servers = new Set();
const logged = testWithLogs(() => [...servers]);
async function start(overrides) {
  const server = await startServer({ config: overrides, env: { FP_ADMIN_TOKEN: ADMIN_TOKEN } });
  servers.add(server);
  return server;
}
const owned = new Map(); // test name -> its servers
function it(name, fn) {
  return logged(name, async (t) => {
    const mine = [];
    owned.set(name, mine);
    try {
      await fn(async (overrides) => { const s = await start(overrides); mine.push(s); return s; });
    } finally {
      for (const s of mine) { await s.stop(); servers.delete(s); }
    }
  });
}
after(closeAllClients);

/** Everything a session does that reaches storage, bus and sinks: join, finalize, leave, ops. */
async function exercise(server) {
  try {
    await finalizeStories(server, uniqueRoom('faults'), ['one story']);
  } catch { /* a refused join is an expected answer here */ }
  await server.http('/metrics');
  await server.http('/readyz');
  await admin(server, '/api/admin/outbox/failed');
  await admin(server, '/api/admin/outbox/failed/requeue', 'POST');
  await sleep(300); // the delivery worker's turn
}

async function assertAlive(server) {
  const health = await server.http('/healthz');
  assert.equal(health.status, 200, 'the server must still answer');
  assert.equal(server.exit, null, 'the server must not have exited');
}

describe('a plugin that throws while it is made or started stops start-up cleanly', () => {
  for (const kind of ['storage', 'bus', 'sink']) {
    it(`${kind}: a throwing constructor exits 2 naming the plugin and the reason`, () => {
      const r = runToExit(faulty(kind, 'constructor'));
      assert.equal(r.signal, null, r.output);
      assert.equal(r.code, 2, r.output);
      assert.match(r.output, new RegExp(`plugin test-faulty-${kind} .*failed to create instance`));
      assert.match(r.output, /test fault injected in constructor/);
    });
    it(`${kind}: a throwing start() exits 1 naming the plugin and the call`, () => {
      const r = runToExit(faulty(kind, 'start'));
      assert.equal(r.signal, null, r.output);
      assert.equal(r.code, 1, r.output);
      assert.ok(r.output.includes(`${LABEL[kind]} threw from start: test fault injected in start`), r.output);
    });
  }
});

describe('a failed start-up stops what had started, in reverse order', () => {
  // Every plugin below throws from stop(), so the log shows each stop() call, named.
  const stopsLogged = (output) => [...output.matchAll(/(\w+(?: \w+)?) \(plugin test-faulty-\w+\) threw from stop/g)]
    .map((m) => m[1]);
  const everyoneThrowsFromStop = {
    storage: { plugin: 'test-faulty-storage', options: { throwFrom: 'stop' } },
    bus: { plugin: 'test-faulty-bus', options: { throwFrom: 'stop' } },
  };
  it('a sink whose start() fails: the earlier sink, the bus and the storage are stopped', () => {
    const r = runToExit({
      ...faulty('sink', 'start'),
      ...everyoneThrowsFromStop,
      sinks: [
        { name: 'first', plugin: 'test-faulty-sink', options: { throwFrom: 'stop' } },
        { name: 'pages', plugin: 'test-faulty-sink', options: { throwFrom: 'start' } },
        { name: 'never', plugin: 'test-faulty-sink', options: { throwFrom: 'stop' } },
      ],
    });
    assert.equal(r.signal, null, r.output);
    assert.equal(r.code, 1, r.output);
    assert.ok(r.output.includes('sink pages (plugin test-faulty-sink) threw from start'), r.output);
    // Not the one that failed, nor the one never started.
    assert.deepEqual(stopsLogged(r.output), ['sink first', 'bus', 'storage'], r.output);
  });
  it('a transport that cannot listen: every sink, the bus and the storage are stopped', async () => {
    const taken = createServer();
    await new Promise((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const r = runToExit({
        ...everyoneThrowsFromStop,
        server: { pluginPath: TEST_PLUGINS, listen: `127.0.0.1:${taken.address().port}` },
        sinks: [
          { name: 'first', plugin: 'test-faulty-sink', options: { throwFrom: 'stop' } },
          { name: 'second', plugin: 'test-faulty-sink', options: { throwFrom: 'stop' } },
        ],
      });
      assert.equal(r.signal, null, r.output);
      assert.equal(r.code, 1, r.output);
      assert.match(r.output, /transport transport-websocket failed to start/);
      assert.deepEqual(stopsLogged(r.output), ['sink second', 'sink first', 'bus', 'storage'], r.output);
    } finally {
      taken.close();
    }
  });
  it('a storage whose start() fails: nothing else was started, nothing is stopped', () => {
    const r = runToExit({ ...everyoneThrowsFromStop, ...faulty('storage', 'start') });
    assert.equal(r.code, 1, r.output);
    assert.deepEqual(stopsLogged(r.output), [], r.output);
  });
});

describe('a storage that throws answers unavailable and the server carries on', { concurrency: 3 }, () => {
  // Each is called by the session above (or at start-up); the log must name plugin and call.
  for (const call of ['publishesOnCommit', 'heartbeat', 'load', 'compareAndSwap', 'claimOutbox',
    'ackOutbox', 'outboxStats', 'listFailedOutbox', 'readiness', 'liveInstances', 'releaseOutbox',
    'failOutbox', 'requeueFailedOutbox', 'remove']) {
    it(`storage throwing from ${call}`, async (start) => {
      const server = await start(faulty('storage', call));
      await exercise(server);
      await assertAlive(server);
      const reached = ['publishesOnCommit', 'heartbeat', 'load', 'outboxStats', 'listFailedOutbox', 'readiness'];
      if (reached.includes(call)) {
        await waitFor(() => server.output().includes(`${LABEL.storage} threw from ${call}: test fault injected`),
          { what: `the log line for ${call}`, timeoutMs: 3000 });
      }
      const stopped = await server.stop();
      assert.deepEqual(stopped, { code: 0, signal: null }, 'a clean shutdown all the same');
    });
  }

  it('a join meeting a throwing compare-and-swap is told unavailable, and the next one works', async (start) => {
    const server = await start(faulty('storage', 'compareAndSwap', 1));
    const room = uniqueRoom('cas');
    const c = await Client.connect(server.wsUrl);
    await assert.rejects(c.join(room, 'Aiko'), (e) => e.reply?.code === 'unavailable');
    const again = await joined(server.wsUrl, room, 'Bo');
    assert.equal(again.welcome.type, 'welcome');
    // The log line and the reply travel different pipes: wait for the line.
    await waitFor(() => /storage \(plugin test-faulty-storage\) threw from compareAndSwap/.test(server.output()),
      { what: 'the log line of the throwing compareAndSwap' });
  });

  it('a throwing readiness makes /readyz say which plugin and call; /healthz stays up', async (start) => {
    const server = await start(faulty('storage', 'readiness'));
    const ready = await server.http('/readyz');
    assert.equal(ready.status, 503);
    assert.ok(ready.text.includes(`${LABEL.storage} threw from readiness`), ready.text);
    await assertAlive(server);
  });
});

describe('a bus that throws is reported and the server carries on', { concurrency: 3 }, () => {
  for (const call of ['setListener', 'subscribe', 'publish', 'unsubscribe', 'readiness', 'stop']) {
    it(`bus throwing from ${call}`, async (start) => {
      const server = await start(faulty('bus', call));
      await exercise(server);
      await assertAlive(server);
      if (call !== 'stop' && call !== 'readiness') {
        await waitFor(() => server.output().includes(`${LABEL.bus} threw from ${call}: test fault injected`),
          { what: `the log line for ${call}`, timeoutMs: 3000 });
      }
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
      if (call === 'stop') assert.ok(server.output().includes(`${LABEL.bus} threw from stop`), server.output());
    });
  }
});

describe('a sink that throws is paused, and loses nothing', () => {
  it('deliver throwing pauses the sink (readyz says why), then the result arrives', async (start) => {
    const server = await start(faulty('sink', 'deliver', 3));
    const room = uniqueRoom('sink');
    const [resultId] = await finalizeStories(server, room, ['paused, not lost']);
    await waitFor(() => server.output().includes(`${LABEL.sink} threw from deliver: test fault injected in deliver`),
      { what: 'the log line of the throwing deliver' });
    // The outbox worker logs the pause just after the guard's line: wait for it too.
    await waitFor(() => /sink pages paused/.test(server.output()), { what: 'the sink paused' });
    await waitFor(() => server.sinkRecords().some((r) => r.resultId === resultId),
      { what: 'the result delivered once the sink stops throwing' });
    assert.equal(server.sinkRecords().filter((r) => r.resultId === resultId).length, 1);
    await assertAlive(server);
  });

  it('deliver throwing every time keeps the sink paused and reported on /readyz', async (start) => {
    const server = await start(faulty('sink', 'deliver'));
    await finalizeStories(server, uniqueRoom('sink'), ['stays paused']);
    const ready = await waitFor(async () => {
      const r = await server.http('/readyz');
      return r.status === 503 && r.text.includes('threw from deliver') ? r : null;
    }, { what: '/readyz reporting the paused sink' });
    assert.ok(ready.text.includes('sink pages is paused'), ready.text);
    await assertAlive(server);
  });

  for (const call of ['canReadHistory', 'readHistory', 'readiness', 'stop']) {
    it(`sink throwing from ${call}`, async (start) => {
      const server = await start(faulty('sink', call));
      await exercise(server);
      await assertAlive(server);
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    });
  }
});
