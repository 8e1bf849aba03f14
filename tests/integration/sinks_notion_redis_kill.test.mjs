// Results finalized while Notion is away wait in the outbox on Redis; the process is killed
// (SIGKILL, nothing flushed); a new process on the same Redis delivers every one of them,
// exactly once, after Notion is back.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNotionDouble } from '../notion-double/notion-double.mjs';
import { testWithLogs } from './lib/server.mjs';
import { uniqueRoom } from './lib/client.mjs';
import { startRedis } from './lib/redis.mjs';
import { redisConfig } from './lib/instances.mjs';
import { NOTION_TOKEN, notionSink, startWithSinks, finalizeStories, waitFor, metric } from './lib/sinks.mjs';

describe('undelivered results on Redis survive SIGKILL', () => {
  let notion;
  let redis;
  const servers = [];
  const it = testWithLogs(() => servers);
  before(async () => {
    notion = await startNotionDouble({ token: NOTION_TOKEN });
    redis = await startRedis();
  });
  after(async () => {
    for (const s of servers) await s.stop(1000);
    await notion?.close();
    await redis?.cleanup();
  });

  function start(name) {
    const base = redisConfig(redis, { sharedDir: mkdtempSync(join(tmpdir(), 'fp-kill-')), instanceId: name, prefix: 'fpkill' });
    return startWithSinks([notionSink(notion)], {
      config: { server: base.server, storage: base.storage, bus: base.bus },
      delivery: { requestsPerSecond: 50, initialBackoffMs: 100, maxBackoffMs: 500, claimVisibilitySeconds: 5 },
    });
  }

  it('a new process delivers them after the old one was killed', { timeout: 60000 }, async () => {
    const first = await start('kill-a');
    servers.push(first);
    await notion.down();
    const ids = await finalizeStories(first, uniqueRoom('kill'), ['k1', 'k2', 'k3', 'k4', 'k5']);
    assert.equal(await metric(first, 'fp_outbox_depth '), ids.length, 'all waiting in the outbox');
    first.proc.kill('SIGKILL');
    await first.exited;
    await notion.up();
    assert.equal(notion.pages.size, 0);

    const second = await start('kill-b');
    servers.push(second);
    await waitFor(() => ids.every((id) => notion.rowsFor(id).length === 1),
      { what: 'every result delivered by the new process', timeoutMs: 20000 });
    await waitFor(async () => (await metric(second, 'fp_outbox_depth ')) === 0, { what: 'empty outbox' });
    for (const [id, n] of notion.countsByResultId()) assert.equal(n, 1, `${id} has ${n} rows`);
    assert.equal(notion.pages.size, ids.length);
  });
});
