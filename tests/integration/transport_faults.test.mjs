// Exceptions never cross the plugin boundary, transport edition: test-faulty-transport
// (tests/plugins/faulty_transport_plugin.cpp) is transport-websocket that throws from the entry
// point named by `throwFrom` (only the first `throwTimes` calls; 0 = every call), before the call
// reaches the real transport. The core's guard (core/src/plugins/guarded_transport.cpp) must
// turn every such throw into a log line naming the plugin and the call:
//  - made or started: the start-up stops cleanly (exit 2, exit 1) with that message;
//  - a wiring call (setHost, setListenAddress, setWebRoot) is logged and fails the start-up
//    (exit 1): a transport that missed its address would otherwise listen on its default;
//  - while serving (send, close, readiness...): that one message, close or answer is lost, and
//    the server keeps serving everyone; a failed prepare still sends the message (the guard
//    keeps its text and the transport encodes it when it is sent);
//  - while shutting down (stopAccepting, closeAll, stop): SIGTERM still ends it with code 0.
import { describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  BUILD_DIR, startServer, runToExit, freePort, testWithLogs, sleep,
} from './lib/server.mjs';
import { Client, closeAllClients, joined, participant, uniqueRoom } from './lib/client.mjs';
import { waitFor } from './lib/sinks.mjs';

const TEST_PLUGINS = join(BUILD_DIR, 'test-plugins');
const LABEL = 'transport (plugin test-faulty-transport)';
const threw = (call) => `${LABEL} threw from ${call}: test fault injected in ${call}`;

/** Config overrides that put the faulty transport in place, throwing from `throwFrom`. */
function faulty(throwFrom, throwTimes = 0, extra = {}) {
  return {
    server: { pluginPath: TEST_PLUGINS, shutdownTimeoutSeconds: 3, ...extra },
    transport: { plugin: 'test-faulty-transport', options: { throwFrom, throwTimes } },
  };
}

// Tests of a describe block run concurrently: each stops its own servers.
const servers = new Set();
const logged = testWithLogs(() => [...servers]);
function it(name, fn) {
  return logged(name, async () => {
    const mine = [];
    try {
      await fn(async (overrides) => {
        const s = await startServer({ config: overrides });
        servers.add(s);
        mine.push(s);
        return s;
      });
    } finally {
      for (const s of mine) { await s.stop(); servers.delete(s); }
    }
  });
}
after(closeAllClients);

async function assertAlive(server) {
  assert.equal((await server.http('/healthz')).status, 200, 'the server must still answer');
  assert.equal(server.exit, null, 'the server must not have exited');
}

/** Two people join a fresh room and vote: each sees the other's vote. */
async function assertRoomsWork(server) {
  const room = uniqueRoom('tf');
  const a = await joined(server.wsUrl, room, 'Aiko', {}, 'A');
  const b = await joined(server.wsUrl, room, 'Bo', {}, 'B');
  await a.ok({ type: 'vote', card: '5' });
  const seen = await b.nextState('vote', a.participantId);
  assert.equal(participant(seen.room, a.participantId).voted, true);
  await b.ok({ type: 'vote', card: '8' });
  const back = await a.nextState('vote', b.participantId);
  assert.equal(participant(back.room, b.participantId).voted, true);
  await Promise.all([a.close(), b.close()]);
}

/** Waits for the guard's log line for `call`; fails at once if the server went down. */
const logLine = (server, call) => waitFor(() => {
  if (server.exit) throw new Error(`fire-poker exited (${JSON.stringify(server.exit)})\n${server.output()}`);
  return server.output().includes(threw(call));
}, { what: `the log line for ${call}`, timeoutMs: 3000 });

describe('a transport that throws while it is made, wired or started', () => {
  it('constructor: exit 2, naming the plugin and its message', () => {
    const r = runToExit(faulty('constructor'));
    assert.equal(r.signal, null, r.output);
    assert.equal(r.code, 2, r.output);
    assert.match(r.output, /plugin test-faulty-transport .*failed to create instance/);
    assert.match(r.output, /test fault injected in constructor/);
  });

  it('start: exit 1, naming the plugin and the call', () => {
    const r = runToExit(faulty('start'));
    assert.equal(r.signal, null, r.output);
    assert.equal(r.code, 1, r.output);
    assert.ok(r.output.includes(threw('start')), r.output);
    assert.match(r.output, /transport test-faulty-transport failed to start/);
  });

  // A wiring call that threw fails the start-up: without it the transport would start on its
  // own defaults (transport-websocket: 0.0.0.0:8080, every interface; no web client).
  for (const call of ['setHost', 'setListenAddress', 'setWebRoot']) {
    it(`${call}: logged, and the start-up stops (exit 1) without listening anywhere`, async () => {
      const port = await freePort();
      const r = runToExit({ ...faulty(call), server: { ...faulty(call).server, listen: `127.0.0.1:${port}` } });
      assert.equal(r.signal, null, r.output);
      assert.equal(r.code, 1, r.output);
      assert.ok(r.output.includes(threw(call)), r.output);
      assert.ok(r.output.includes(`transport test-faulty-transport failed to start: not started: ${threw(call)}`), r.output);
      assert.doesNotMatch(r.output, /listening on http/);
    });
  }
});

describe('a transport that throws while serving is reported and the server carries on', { concurrency: 4 }, () => {
  it('boundAddress: logged; the start-up line shows no address and the server serves', async (start) => {
    const server = await start(faulty('boundAddress'));
    assert.ok(server.output().includes(threw('boundAddress')), server.output());
    assert.match(server.output(), /listening on http:\/\/ \(storage/);
    await assertRoomsWork(server);
  });

  it('send throwing once: that one message is lost, the next ones and other rooms go through', async (start) => {
    const server = await start(faulty('send', 1));
    const c = await Client.connect(server.wsUrl, { label: 'pinger' });
    c.send({ type: 'ping', rid: 'lost' });
    await logLine(server, 'send');
    assert.deepEqual(await c.expectNone((m) => m.rid === 'lost', 300), [], 'the first pong was never sent');
    assert.equal(c.frames.length, 0, `nothing reached the client: ${c.frames}`);
    c.send({ type: 'ping', rid: 'second' });
    await c.next((m) => m.type === 'pong' && m.rid === 'second', 2000, 'the second pong');
    await assertRoomsWork(server);
    assert.equal((await server.http('/readyz')).status, 200);
    await assertAlive(server);
  });

  it('prepare throwing once: logged, and that message still reaches the client, whole', async (start) => {
    const server = await start(faulty('prepare', 1));
    const c = await Client.connect(server.wsUrl, { label: 'pinger' });
    c.send({ type: 'ping', rid: 'first' });
    await logLine(server, 'prepare');
    // The guard keeps the text of a message whose prepare threw; send() encodes it.
    await c.next((m) => m.type === 'pong' && m.rid === 'first', 2000, 'the first pong');
    assert.ok(!c.frames.includes(''), `never an empty frame: ${JSON.stringify(c.frames)}`);
    c.send({ type: 'ping', rid: 'second' });
    await c.next((m) => m.type === 'pong' && m.rid === 'second', 2000, 'the second pong');
    await assertRoomsWork(server);
    await assertAlive(server);
  });

  it('close throwing once: the kicked socket stays open, the next kick closes with 4001', async (start) => {
    const server = await start(faulty('close', 1));
    const room = uniqueRoom('kick');
    const a = await joined(server.wsUrl, room, 'Aiko', {}, 'A');
    const k1 = await joined(server.wsUrl, room, 'Karl', {}, 'K1');
    await a.ok({ type: 'kick', participantId: k1.participantId });
    await k1.next((m) => m.type === 'kicked', 2000, 'kicked');
    await logLine(server, 'close');
    await sleep(300);
    assert.equal(k1.isOpen, true, 'the close that threw never reached the socket');
    const k2 = await joined(server.wsUrl, room, 'Kim', {}, 'K2');
    await a.ok({ type: 'kick', participantId: k2.participantId });
    assert.equal((await k2.waitClose(3000)).code, 4001);
    const seen = await a.nextState('kick', a.participantId);
    assert.equal(participant(seen.room, k1.participantId), undefined, 'K1 is out of the room all the same');
    await assertRoomsWork(server);
    await assertAlive(server);
  });

  it('readiness throwing: /readyz answers 503 naming the plugin and the call; the server serves', async (start) => {
    const server = await start(faulty('readiness'));
    const ready = await server.http('/readyz');
    assert.equal(ready.status, 503);
    assert.equal(ready.json.ready, false);
    assert.ok(ready.json.reasons.includes(`transport: ${threw('readiness')}`), ready.text);
    await assertRoomsWork(server);
    await assertAlive(server);
  });

  // Shutdown: SIGTERM still ends the server with code 0, and a connected client is closed 1001.
  for (const call of ['stopAccepting', 'closeAll', 'stop']) {
    it(`${call} throwing at SIGTERM: logged, the client is closed 1001, exit code 0`, async (start) => {
      const server = await start(faulty(call));
      const a = await joined(server.wsUrl, uniqueRoom('bye'), 'Aiko', {}, 'A');
      const [stopped, closed] = await Promise.all([server.stop(), a.waitClose(5000)]);
      assert.deepEqual(stopped, { code: 0, signal: null }, server.output());
      assert.equal(closed.code, 1001);
      assert.ok(server.output().includes(threw(call)), server.output());
      assert.match(server.output(), /shutdown complete/);
    });
  }
});
