// Several fire-poker instances on one Redis (storage-redis + bus-redis), each on its own
// port and folder, all appending results to one shared sink-jsonl file.
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, deepMerge, sleep } from './server.mjs';

/** Short timings so presence and failover tests take seconds, not minutes. */
export function redisConfig(redis, { sharedDir, instanceId, prefix = 'fpit', overrides = {} }) {
  const connection = { url: redis.url, keyPrefix: prefix, reconnectMinMs: 50, reconnectMaxMs: 400 };
  return deepMerge({
    server: { instanceId, heartbeatSeconds: 1, instanceTtlSeconds: 3, sweepIntervalSeconds: 1 },
    storage: { plugin: 'storage-redis', options: { ...connection, healthCheckMs: 200 } },
    bus: { plugin: 'bus-redis', options: { ...connection, pingIntervalMs: 500 } },
    delivery: { claimVisibilitySeconds: 5 },
    sinks: [{ name: 'results-file', plugin: 'sink-jsonl', options: { path: join(sharedDir, 'results.jsonl') } }],
  }, overrides);
}

export class Instances {
  constructor(redis, { prefix = 'fpit' } = {}) {
    this.redis = redis;
    this.prefix = prefix;
    this.sharedDir = mkdtempSync(join(tmpdir(), 'fp-multi-'));
    this.list = [];
  }

  /** Start one more instance named `name` (its instanceId); `overrides` merge into its config. */
  async add(name, overrides = {}) {
    const srv = await startServer({
      config: redisConfig(this.redis, { sharedDir: this.sharedDir, instanceId: name, prefix: this.prefix, overrides }),
    });
    srv.name = name;
    this.list.push(srv);
    return srv;
  }

  /** The shared results file's records (sink-jsonl lines). */
  results() {
    const path = join(this.sharedDir, 'results.jsonl');
    if (!existsSync(path)) return [];
    return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  }

  async stopAll() {
    await Promise.all(this.list.map((s) => s.stop(3000)));
    if (!process.env.FP_KEEP_TMP) rmSync(this.sharedDir, { recursive: true, force: true });
  }
}

/** Poll `fn` until it returns a truthy value; returns it, or throws after timeoutMs. */
export async function until(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) { last = e; }
    await sleep(25);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

/** Throws unless the versions of the client's `state` messages strictly increase. */
export function assertIncreasingVersions(client) {
  let last = -1;
  for (const m of client.states()) {
    if (!(m.room.version > last)) {
      throw new Error(`${client.label}: state version ${m.room.version} after ${last}`);
    }
    last = m.room.version;
  }
  return last;
}
