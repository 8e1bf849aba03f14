// A real redis-server for integration tests: started on a free port with its own folder,
// stopped, killed or restarted on the same port; plus a tiny RESP client to look inside.
// A missing redis-server binary makes the test fail with a clear message (never a skip).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { freePort, sleep } from './server.mjs';

const running = new Set();
process.on('exit', () => {
  for (const r of running) {
    try { r.proc.kill('SIGKILL'); } catch { /* gone */ }
  }
});

function findRedisServer() {
  if (process.env.FP_REDIS_SERVER) return process.env.FP_REDIS_SERVER;
  const found = spawnSync('sh', ['-c', 'command -v redis-server || ls /usr/bin/redis-server /usr/sbin/redis-server 2>/dev/null | head -1'], { encoding: 'utf8' });
  const path = (found.stdout || '').trim().split('\n')[0];
  if (!path) {
    throw new Error('redis-server was not found in PATH (nor FP_REDIS_SERVER): install the redis-server '
      + 'package. The Redis integration tests need a real Redis; they fail rather than skip.');
  }
  return path;
}

/** Encode one command in RESP. */
function encode(words) {
  let out = `*${words.length}\r\n`;
  for (const w of words) {
    const b = Buffer.from(String(w));
    out += `$${b.length}\r\n${b.toString('binary')}\r\n`;
  }
  return Buffer.from(out, 'binary');
}

/** Parse one RESP reply from buf at offset; returns [value, next] or null when incomplete. */
function parse(buf, at = 0) {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return null;
  const kind = String.fromCharCode(buf[at]);
  const line = buf.subarray(at + 1, eol).toString();
  const next = eol + 2;
  if (kind === '+') return [line, next];
  if (kind === '-') return [new Error(line), next];
  if (kind === ':') return [Number(line), next];
  if (kind === '$') {
    const n = Number(line);
    if (n < 0) return [null, next];
    if (buf.length < next + n + 2) return null;
    return [buf.subarray(next, next + n).toString('utf8'), next + n + 2];
  }
  if (kind === '*') {
    const n = Number(line);
    if (n < 0) return [null, next];
    const items = [];
    let pos = next;
    for (let i = 0; i < n; i++) {
      const r = parse(buf, pos);
      if (!r) return null;
      items.push(r[0]);
      pos = r[1];
    }
    return [items, pos];
  }
  throw new Error(`unexpected RESP type ${kind}`);
}

/** Send one command to 127.0.0.1:port and resolve with its reply (errors reject). */
export function redisCommand(port, words, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`redis :${port} ${words[0]}: timed out`)); }, timeoutMs);
    sock.on('connect', () => sock.write(encode(words)));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      const r = parse(buf);
      if (!r) return;
      clearTimeout(timer);
      sock.end();
      if (r[0] instanceof Error) reject(r[0]); else resolve(r[0]);
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

export class RedisServer {
  constructor({ port, dir, appendOnly, clusterMode = false, ownAllSlots = true, clusterBusPort = 0, extraArgs = [] }) {
    Object.assign(this, { port, dir, appendOnly, clusterMode, ownAllSlots, clusterBusPort, extraArgs, proc: null, exited: null });
  }

  get url() { return `redis://127.0.0.1:${this.port}/0`; }

  command(...words) { return redisCommand(this.port, words); }

  async start() {
    if (this.proc) return;
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '',
      '--appendonly', this.appendOnly ? 'yes' : 'no', '--appendfsync', 'always',
      '--dir', this.dir, '--daemonize', 'no', '--loglevel', 'warning',
      '--logfile', join(this.dir, 'redis.log')];
    // Cluster mode on one node holding every slot: a command or script whose keys span two
    // hash slots fails with CROSSSLOT, as on a real Redis Cluster.
    // The cluster bus gets a free port of its own (port + 10000 may be above 65535).
    if (this.clusterMode) {
      args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(this.dir, 'nodes.conf'),
        '--cluster-node-timeout', '5000', '--cluster-port', String(this.clusterBusPort));
    }
    args.push(...this.extraArgs);
    const proc = spawn(findRedisServer(), args, { stdio: 'ignore' });
    this.proc = proc;
    running.add(this);
    this.exited = new Promise((resolve) => proc.on('exit', () => { running.delete(this); if (this.proc === proc) this.proc = null; resolve(); }));
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      if (!this.proc) break;
      try {
        if (await this.command('PING') === 'PONG') {
          if (this.clusterMode && this.ownAllSlots) await this.claimAllSlots();
          return;
        }
      } catch { /* not yet */ }
      await sleep(20);
    }
    const log = existsSync(join(this.dir, 'redis.log')) ? readFileSync(join(this.dir, 'redis.log'), 'utf8') : '';
    await this.kill();
    throw new Error(`redis-server did not answer on port ${this.port} within 5 s\n${log}`);
  }

  /** Every slot to this node (nodes.conf keeps them across restarts); waits for state ok. */
  async claimAllSlots() {
    if (!(await this.command('CLUSTER', 'INFO')).includes('cluster_slots_assigned:16384')) {
      await this.command('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    }
    const deadline = Date.now() + 10000;
    while (!(await this.command('CLUSTER', 'INFO')).includes('cluster_state:ok')) {
      if (Date.now() > deadline) throw new Error(`redis :${this.port}: cluster state not ok within 10 s`);
      await sleep(20);
    }
  }

  /** SIGTERM and wait (with appendOnly, the data comes back on start()). */
  async stop() {
    if (!this.proc) return;
    const done = this.exited;
    this.proc.kill('SIGTERM');
    await done;
  }

  async kill() {
    if (!this.proc) return;
    const done = this.exited;
    this.proc.kill('SIGKILL');
    await done;
  }

  async cleanup() {
    await this.kill();
    if (!process.env.FP_KEEP_TMP) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Start a redis-server on a free port in a fresh folder. */
export async function startRedis({ appendOnly = false, clusterMode = false, ownAllSlots = true, extraArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'fp-redis-'));
  for (let attempt = 0; ; attempt++) {
    const clusterBusPort = clusterMode ? await freePort() : 0;
    const r = new RedisServer({ port: await freePort(), dir, appendOnly, clusterMode, ownAllSlots, clusterBusPort, extraArgs });
    try {
      await r.start();
      return r;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}

/**
 * A Redis Cluster of `nodes` primaries, slots split evenly, ready when every node agrees.
 * `url` is the first node's; `command` runs on the first node; `cleanup` stops them all.
 * `fullCoverage: false`: the other nodes keep serving their slots when one node is gone
 * (`cluster-require-full-coverage no`; there are no replicas to take over).
 */
export async function startRedisCluster(nodes = 3, { fullCoverage = true } = {}) {
  const list = [];
  const extraArgs = fullCoverage ? [] : ['--cluster-require-full-coverage', 'no'];
  try {
    for (let i = 0; i < nodes; i++) list.push(await startRedis({ clusterMode: true, ownAllSlots: false, extraArgs }));
    for (const node of list.slice(1)) {
      await list[0].command('CLUSTER', 'MEET', '127.0.0.1', String(node.port), String(node.clusterBusPort));
    }
    for (let i = 0; i < nodes; i++) {
      const first = Math.floor((16384 * i) / nodes);
      const last = Math.floor((16384 * (i + 1)) / nodes) - 1;
      await list[i].command('CLUSTER', 'ADDSLOTSRANGE', String(first), String(last));
    }
    const deadline = Date.now() + 20000;
    for (;;) {
      const infos = await Promise.all(list.map((n) => n.command('CLUSTER', 'INFO')));
      if (infos.every((info) => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${nodes}`))) break;
      if (Date.now() > deadline) throw new Error(`redis cluster of ${nodes} nodes not ready within 20 s`);
      await sleep(50);
    }
  } catch (e) {
    await Promise.all(list.map((n) => n.cleanup()));
    throw e;
  }
  return {
    nodes: list,
    url: list[0].url,
    command: (...words) => list[0].command(...words),
    cleanup: () => Promise.all(list.map((n) => n.cleanup())),
  };
}

// For lib/redis_tls.mjs: the same RESP encoder and parser over a TLS socket.
export { encode as encodeRespCommand, parse as parseRespReply };
