// Starts the real fire-poker process on a free port with a temporary config, and stops it.
// Black-box: everything here goes through the command line, the config file, env and HTTP.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { test } from 'node:test';

export const BUILD_DIR = process.env.FP_BUILD_DIR || '/work/main/build';
export const SOURCE_DIR = process.env.FP_SOURCE_DIR || '/work/main';
export const BINARY = join(BUILD_DIR, 'bin', 'fire-poker');
export const TEST_SECRET = 'integration-test-secret-0123456789-abcdefghijklmnop';

const running = new Set();
process.on('exit', () => {
  for (const s of running) {
    try { s.proc.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

/** A free TCP port on 127.0.0.1 (bound, read, closed). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function deepMerge(base, over) {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

/** Environment for a child process: the caller's, minus every FP_* variable (FP_BUILD_DIR...). */
export function childEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FP_')) env[k] = v;
  return { ...env, ...extra };
}

export function makeConfig(port, dir, overrides = {}) {
  const base = {
    // Tests script bursts a person never sends (21 finalizes in a row...): the per-connection
    // message rate is lifted here; hardening.test.mjs sets its own to test the limit itself.
    server: {
      listen: `127.0.0.1:${port}`, webRoot: join(SOURCE_DIR, 'web'), messagesPerSecond: 1000, messageBurst: 1000,
    },
    log: { format: 'text', level: 'info' },
    transport: { plugin: 'transport-websocket', options: {} },
    storage: { plugin: 'storage-memory' },
    bus: { plugin: 'bus-local' },
    sinks: [{ name: 'results-file', plugin: 'sink-jsonl', options: { path: join(dir, 'results.jsonl') } }],
  };
  return deepMerge(base, overrides);
}

/**
 * Runs the server with makeConfig(0, dir, overrides) until it exits on its own (start-up
 * failures), in a temporary folder. Returns { code, signal, output }.
 */
export function runToExit(overrides, { timeout = 10000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'fp-exit-'));
  try {
    const configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify(makeConfig(0, dir, overrides)));
    const r = spawnSync(BINARY, ['--config', configPath], {
      cwd: dir, env: childEnv({ FP_RESUME_SECRET: TEST_SECRET }), encoding: 'utf8', timeout,
    });
    return { code: r.status, signal: r.signal, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run the binary to completion (CLI tests). */
export function runCli(args, { env = {}, timeout = 15000, cwd = SOURCE_DIR } = {}) {
  const r = spawnSync(BINARY, args, {
    cwd, env: childEnv({ FP_RESUME_SECRET: TEST_SECRET, ...env }), encoding: 'utf8', timeout,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout || '', stderr: r.stderr || '', error: r.error,
    output: `${r.stdout || ''}${r.stderr || ''}` };
}

/**
 * runCli without blocking the event loop: for commands that talk to a server of this process
 * (the Notion double), which spawnSync would keep from answering.
 */
export function runCliAsync(args, { env = {}, timeout = 60000, cwd = SOURCE_DIR } = {}) {
  return new Promise((resolve) => {
    const proc = spawn(BINARY, args, {
      cwd, env: childEnv({ FP_RESUME_SECRET: TEST_SECRET, ...env }), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeout);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, output: `${stdout}${stderr}` });
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Server {
  constructor({ port, dir, configPath, config, proc }) {
    Object.assign(this, { port, dir, configPath, config, proc });
    this.out = '';
    this.stdoutText = ''; // the whole of stdout, as `docker logs` would keep it (result log lines)
    this.exit = null; // {code, signal} once exited
    this.exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => { this.exit = { code, signal }; running.delete(this); resolve(this.exit); });
    });
    const append = (tag) => (d) => {
      this.out += d.toString().replace(/^(?=.)/gm, tag);
      if (this.out.length > 400000) this.out = this.out.slice(-300000);
    };
    proc.stdout.on('data', append(''));
    proc.stdout.on('data', (d) => { this.stdoutText += d.toString(); });
    this.stdoutClosed = new Promise((resolve) => proc.stdout.on('close', resolve));
    proc.stderr.on('data', append('[stderr] '));
    running.add(this);
  }

  get base() { return `http://127.0.0.1:${this.port}`; }
  get wsUrl() { return `ws://127.0.0.1:${this.port}/ws`; }
  get resultsPath() { return join(this.dir, 'results.jsonl'); }
  output() { return this.out; }

  async waitHealthy(timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (this.exit) throw new Error(`fire-poker exited early (${JSON.stringify(this.exit)})\n${this.out}`);
      try {
        const r = await fetch(`${this.base}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (r.status === 200) return;
        last = `status ${r.status}`;
      } catch (e) { last = String(e.cause?.code || e.message); }
      await sleep(50);
    }
    throw new Error(`fire-poker not healthy within ${timeoutMs} ms (${last})\n${this.out}`);
  }

  /** SIGTERM, then SIGKILL after killAfterMs. Resolves with {code, signal}. */
  async stop(killAfterMs = 5000) {
    if (this.exit) { this.cleanup(); return this.exit; }
    try { this.proc.kill('SIGTERM'); } catch { /* gone */ }
    const t = setTimeout(() => { try { this.proc.kill('SIGKILL'); } catch { /* gone */ } }, killAfterMs);
    const r = await this.exited;
    clearTimeout(t);
    this.cleanup();
    return r;
  }

  /** Remove the temporary folder (config, results.jsonl) unless FP_KEEP_TMP is set. */
  cleanup() {
    if (this.ownsDir && !process.env.FP_KEEP_TMP) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Read the JSON lines of the sink-jsonl file (empty list if not there yet). */
  sinkRecords() {
    if (!existsSync(this.resultsPath)) return [];
    return readFileSync(this.resultsPath, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  }

  async http(path, init = {}) {
    const r = await fetch(`${this.base}${path}`, { signal: AbortSignal.timeout(3000), ...init });
    const text = await r.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: r.status, headers: r.headers, text, json };
  }
}

/**
 * Start fire-poker. `config` is merged into the default test config; `env` is added to the
 * child's environment (FP_RESUME_SECRET defaults to a test value).
 */
export async function startServer({ config = {}, env = {}, port, dir } = {}) {
  if (!existsSync(BINARY)) throw new Error(`fire-poker binary not found at ${BINARY}`);
  port = port ?? (await freePort());
  const ownsDir = !dir;
  dir = dir ?? mkdtempSync(join(tmpdir(), 'fp-it-'));
  const cfg = makeConfig(port, dir, config);
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(cfg, null, 2));
  const proc = spawn(BINARY, ['--config', configPath], {
    cwd: dir, env: childEnv({ FP_RESUME_SECRET: TEST_SECRET, ...env }), stdio: ['ignore', 'pipe', 'pipe'],
  });
  const srv = new Server({ port, dir, configPath, config: cfg, proc });
  srv.ownsDir = ownsDir;
  proc.on('error', (e) => { srv.out += `[spawn error] ${e.message}\n`; });
  try {
    await srv.waitHealthy();
  } catch (e) {
    await srv.stop(1000);
    throw e;
  }
  return srv;
}

/**
 * A `test` whose failure prints the tail of the server's output. `getServers` returns the
 * server(s) of the file or describe block at the time the test runs.
 */
export function testWithLogs(getServers) {
  const wrap = (fn) => async (t) => {
    try {
      return await fn(t);
    } catch (e) {
      let servers = [];
      try { servers = [].concat(getServers() || []).filter(Boolean); } catch { /* none */ }
      for (const s of servers) {
        process.stderr.write(`\n----- fire-poker output (port ${s.port}) for failed test "${t.name}" -----\n`
          + `${s.output().slice(-12000)}\n----- end of output -----\n`);
      }
      throw e;
    }
  };
  const it = (name, opts, fn) => {
    if (typeof opts === 'function') { fn = opts; opts = {}; }
    return test(name, { timeout: 30000, ...opts }, wrap(fn));
  };
  it.wrap = wrap;
  return it;
}

export { sleep };
