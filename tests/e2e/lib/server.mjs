// Start and stop a real fire-poker process for browser tests.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const BUILD_DIR = process.env.FP_BUILD_DIR || '/work/main/build';
export const SOURCE_DIR = process.env.FP_SOURCE_DIR || '/work/main';
export const BINARY = path.join(BUILD_DIR, 'bin', 'fire-poker');
export const ARTIFACTS = path.join(BUILD_DIR, 'artifacts');
export const TEST_SECRET = 'e2e-test-resume-secret-0123456789abcdef';

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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(base, proc, timeoutMs = 10000) {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`fire-poker exited with ${proc.exitCode}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (e) {
      last = e.cause?.code || e.message;
    }
    await sleep(100);
  }
  throw new Error(`fire-poker did not become healthy at ${base} within ${timeoutMs} ms (${last})`);
}

// Starts fire-poker on `port` (a free one if not given). Returns a handle whose
// stop() ends the process: SIGTERM, then SIGKILL after 5 s.
export async function startServer({ port, dir } = {}) {
  if (!fs.existsSync(BINARY)) throw new Error(`no server binary at ${BINARY} (build first)`);
  port ||= await freePort();
  dir ||= fs.mkdtempSync(path.join(os.tmpdir(), 'fp-e2e-'));
  const config = {
    server: { listen: `127.0.0.1:${port}`, webRoot: path.join(SOURCE_DIR, 'web') },
    log: { format: 'text', level: 'info' },
    transport: { plugin: 'transport-websocket' },
    storage: { plugin: 'storage-memory' },
    bus: { plugin: 'bus-local' },
    sinks: [{ name: 'results-file', plugin: 'sink-jsonl', options: { path: path.join(dir, 'results.jsonl') } }],
  };
  const configPath = path.join(dir, 'config.json');
  fs.writeFileSync(configPath, JSON.stringify(config, null, 2));
  const logPath = path.join(dir, `server-${Date.now()}.log`);
  const log = fs.openSync(logPath, 'a');
  const proc = spawn(BINARY, ['--config', configPath], {
    cwd: dir,
    env: { ...process.env, FP_RESUME_SECRET: TEST_SECRET },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const base = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  try {
    await waitHealthy(base, proc);
  } catch (e) {
    proc.kill('SIGKILL');
    const tail = fs.readFileSync(logPath, 'utf8').slice(-2000);
    throw new Error(`${e.message}\n--- server log ---\n${tail}`);
  }
  return {
    port,
    dir,
    base,
    logPath,
    proc,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
    log: () => fs.readFileSync(logPath, 'utf8'),
  };
}

export async function getJson(url) {
  const res = await fetch(url);
  return { status: res.status, body: await res.json().catch(() => null) };
}
