// The container-like smoke test's client side (run by scripts/container-smoke.sh): starts the
// installed server as a non-root user with the given read-only config, the way the image's
// entrypoint and the ECS task do (environment overrides, secrets from a file), against local
// stand-ins for what the task talks to (Redis, Notion, an OpenTelemetry collector), and checks
// /healthz, /readyz, the container health check command, a full vote round, delivery of the
// result, /metrics, the OTLP export, JSON logs with connection ids and a graceful SIGTERM.
//
//   node smoke-round.mjs --exe STAGE/bin/fire-poker --config FILE --redis-port N
//        --user 65534 --secret-file FILE [--notion-double tests/notion-double/notion-double.mjs]
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WebSocket = createRequire(path.join(root, 'tests/package.json'))('ws');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const exe = arg('exe');
const config = arg('config');
const redisPort = arg('redis-port', '');
const uid = arg('user', '65534');
const secretFile = arg('secret-file');
const notionDoublePath = arg('notion-double', '');
const started = Date.now();
let passed = 0;
let failed = 0;

function ok(what) { passed += 1; console.log(`  ok   ${what}`); }
function fail(what) { failed += 1; console.log(`  FAIL ${what}`); }
function check(cond, what) { if (cond) ok(what); else fail(what); return cond; }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

function get(port, p) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

async function waitFor(what, fn, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

// An OpenTelemetry collector stand-in: records the OTLP/HTTP JSON bodies it receives.
function startCollector() {
  const bodies = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      bodies.push({ path: req.url, type: req.headers['content-type'], body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, bodies, port: server.address().port })));
}

class Client {
  constructor(url) {
    this.messages = [];
    this.waiters = [];
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      this.messages.push(msg);
      for (const w of [...this.waiters]) if (w.pred(msg)) { this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(msg); }
    });
    this.open = new Promise((resolve, reject) => { this.ws.once('open', resolve); this.ws.once('error', reject); });
    this.rid = 0;
  }
  next(pred, what, timeoutMs = 5000) {
    const found = this.messages.find(pred);
    if (found) { this.messages.splice(this.messages.indexOf(found), 1); return Promise.resolve(found); }
    return new Promise((resolve, reject) => {
      const w = { pred, resolve: (m) => { clearTimeout(timer); this.messages.splice(this.messages.indexOf(m), 1); resolve(m); } };
      const timer = setTimeout(() => { this.waiters.splice(this.waiters.indexOf(w), 1); reject(new Error(`no ${what} within ${timeoutMs} ms`)); }, timeoutMs);
      this.waiters.push(w);
    });
  }
  async request(msg) {
    this.rid += 1;
    const rid = `r${this.rid}`;
    this.ws.send(JSON.stringify({ ...msg, rid }));
    const reply = await this.next((m) => (m.type === 'ack' || m.type === 'error') && m.rid === rid, `answer to ${msg.type}`);
    if (reply.type !== 'ack') throw new Error(`${msg.type} failed: ${JSON.stringify(reply)}`);
    return reply;
  }
}

async function main() {
  const port = await freePort();
  const collector = await startCollector();
  const env = {
    PATH: '/usr/bin:/bin',
    HOME: '/nonexistent',
    FP_SERVER_LISTEN: `127.0.0.1:${port}`,
    FP_RESUME_SECRET_FILE: secretFile,
    FP_LOG_LEVEL: 'debug',
    FP_TELEMETRY_OTLPENDPOINT: `http://127.0.0.1:${collector.port}/v1/metrics`,
    FP_TELEMETRY_EXPORTINTERVALSECONDS: '1',
  };
  if (redisPort) {
    env.FP_STORAGE_OPTIONS_URL = `redis://127.0.0.1:${redisPort}/0`;
    env.FP_BUS_OPTIONS_URL = `redis://127.0.0.1:${redisPort}/0`;
  }
  let notion = null;
  if (notionDoublePath) {
    const { startNotionDouble } = await import(pathToFileURL(path.resolve(notionDoublePath)).href);
    notion = await startNotionDouble({ token: 'secret_smoke_token' });
    env.FP_SINKS_0_OPTIONS_TOKEN = 'secret_smoke_token';
    env.FP_SINKS_0_OPTIONS_DATABASEID = notion.databaseId;
    env.FP_SINKS_0_OPTIONS_BASEURL = notion.url;
  }

  console.log(`container-smoke: ${exe} --config ${config} as uid ${uid} on port ${port}`
    + `${redisPort ? `, Redis on ${redisPort}` : ''}${notion ? `, Notion double at ${notion.url}` : ''}`);
  const asUser = ['--reuid', uid, '--regid', uid, '--clear-groups', '--no-new-privs', '--'];
  const server = spawn('setpriv', [...asUser, exe, '--config', config], { env, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout.on('data', (c) => { log += c; });
  server.stderr.on('data', (c) => { log += c; });
  const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
  let exit = null;
  exited.then((e) => { exit = e; });

  const clients = [];
  try {
    await waitFor('/healthz', async () => { if (exit) throw new Error(`server exited ${JSON.stringify(exit)}`); return (await get(port, '/healthz')).status === 200; });
    ok('/healthz answers 200');
    const status = execFileSync('cat', [`/proc/${server.pid}/status`]).toString();
    // setpriv execs the server in place, so the pid is the server's own.
    const uidLine = status.split('\n').find((l) => l.startsWith('Uid:')) || '';
    check(uidLine.split(/\s+/).slice(1).every((u) => u === uid), `runs as non-root uid ${uid} (${uidLine.trim()})`);
    try {
      execFileSync('setpriv', [...asUser, exe, '--healthcheck', `http://127.0.0.1:${port}/healthz`], { env, stdio: 'pipe' });
      ok('the image HEALTHCHECK command (fire-poker --healthcheck) exits 0');
    } catch (e) { fail(`fire-poker --healthcheck: ${e.message}`); }
    const ready = await waitFor('/readyz 200', async () => { const r = await get(port, '/readyz'); return r.status === 200 ? r : null; });
    ok(`/readyz answers 200 ${ready.body.slice(0, 80)}`);

    const page = await get(port, '/');
    check(page.status === 200 && /<html/i.test(page.body), 'the web client is served from the installed share/fire-poker/web');

    const url = `ws://127.0.0.1:${port}/ws`;
    const room = `smoke-${Date.now().toString(36)}`;
    const a = new Client(url); const b = new Client(url);
    clients.push(a, b);
    await Promise.all([a.open, b.open]);
    await a.request({ type: 'join', room, name: 'Aiko' });
    await a.next((m) => m.type === 'welcome', 'welcome');
    await b.request({ type: 'join', room, name: 'Ben' });
    await b.next((m) => m.type === 'welcome', 'welcome');
    await a.request({ type: 'story', title: 'Smoke test story', ref: 'FP-1' });
    await a.request({ type: 'vote', card: '5' });
    await b.request({ type: 'vote', card: '8' });
    const hidden = await b.next((m) => m.type === 'state' && m.room.participants.filter((p) => p.voted).length === 2, 'state with two votes');
    check(hidden.room.participants.every((p) => p.card === null), 'votes stay hidden before reveal');
    await a.request({ type: 'reveal' });
    const revealed = await b.next((m) => m.type === 'state' && m.room.stage === 'revealed', 'revealed state');
    check(revealed.room.result && revealed.room.participants.filter((p) => p.card !== null).length === 2,
      `reveal shows both votes (average ${revealed.room.result && revealed.room.result.average})`);
    await a.request({ type: 'finalize', estimate: '8' });
    const done = await b.next((m) => m.type === 'state' && m.room.history.length === 1, 'state with history');
    check(done.room.history[0].estimate === '8', 'finalize records the estimate in the history');
    ok('a full vote round: join x2, story, vote x2, reveal, finalize');

    if (redisPort) {
      const keys = Number(execFileSync('redis-cli', ['-p', redisPort, 'dbsize']).toString().trim());
      check(keys > 0, `the room lives in Redis (storage-redis): ${keys} keys`);
    }
    if (notion) {
      const page = await waitFor('the result in Notion', async () => (notion.pages.size >= 1 ? [...notion.pages.values()][0] : null), 15000);
      check(JSON.stringify(page).includes('Smoke test story'), 'the result is delivered to the Notion sink');
    }
    const metrics = await get(port, '/metrics');
    check(metrics.status === 200 && /^fp_connections 2$/m.test(metrics.body), '/metrics reports fp_connections 2');
    const otlp = await waitFor('an OTLP export', async () => collector.bodies.find((x) => x.body.includes('fp_connections')), 10000);
    let shape = false;
    try {
      const parsed = JSON.parse(otlp.body);
      shape = parsed.resourceMetrics[0].scopeMetrics[0].metrics.some((m) => m.name === 'fp_connections' && m.gauge);
    } catch { shape = false; }
    check(otlp.path === '/v1/metrics' && otlp.type === 'application/json' && shape, 'metrics are exported as OTLP/HTTP JSON to the collector');
  } catch (e) {
    fail(e.message);
  } finally {
    for (const c of clients) c.ws.close();
    await sleep(200);
    if (!exit) server.kill('SIGTERM');
    const result = await Promise.race([exited, sleep(20000).then(() => null)]);
    if (!result) { server.kill('SIGKILL'); fail('the server did not stop within 20 s of SIGTERM'); } else {
      check(result.code === 0, `SIGTERM: graceful shutdown, exit code ${result.code}${result.signal ? ` signal ${result.signal}` : ''}`);
    }
    const lines = log.split('\n').filter((l) => l.trim() !== '');
    const bad = lines.filter((l) => { try { JSON.parse(l); return false; } catch { return true; } });
    check(lines.length > 0 && bad.length === 0, `every log line is JSON (${lines.length} lines${bad.length ? `; not JSON: ${bad[0]}` : ''})`);
    check(lines.some((l) => /connection \d+ opened/.test(JSON.parse(l).msg || '')), 'connection log lines carry the connection id');
    check(lines.some((l) => (JSON.parse(l).msg || '').includes('shutdown complete')), 'the log ends with "shutdown complete"');
    if (failed) console.log(`container-smoke: server log:\n${log.split('\n').slice(-40).join('\n')}`);
    collector.server.close();
    if (notion) await notion.close?.();
  }
  console.log(`container-smoke: took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`container-smoke: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });
