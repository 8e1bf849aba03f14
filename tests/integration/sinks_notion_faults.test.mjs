// Each fault of the Notion double, one result at a time: whatever happens, the result ends up
// in Notion exactly once. Also: a 400 keeps the record as failed (metrics, admin route, requeue),
// a 401 pauses the sink (/readyz says why) until it works again, Notion down then back loses
// nothing, and Notion's own rate limit (429 + Retry-After) is honoured.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startNotionDouble } from '../notion-double/notion-double.mjs';
import { testWithLogs } from './lib/server.mjs';
import { uniqueRoom } from './lib/client.mjs';
import {
  NOTION_TOKEN, notionSink, startWithSinks, finalizeStories, waitFor, readyz, metric, admin,
} from './lib/sinks.mjs';

describe('sink-notion under faults', () => {
  let notion;
  let server;
  const it = testWithLogs(() => server);
  before(async () => {
    notion = await startNotionDouble({ token: NOTION_TOKEN });
    server = await startWithSinks([notionSink(notion, { timeoutSeconds: 1 })]);
  });
  after(async () => { await server?.stop(); await notion?.close(); });

  /** Finalize one story after arming `fault`; wait until the outbox is empty; exactly one row. */
  async function onceDespite(fault, title) {
    if (fault) notion.fault(fault);
    const [id] = await finalizeStories(server, uniqueRoom('fault'), [title]);
    await waitFor(async () => notion.rowsFor(id).length >= 1 && (await metric(server, 'fp_outbox_depth ')) === 0,
      { what: `delivery of ${id} despite ${title}`, timeoutMs: 12000 });
    assert.equal(notion.rowsFor(id).length, 1, `exactly one row for ${id} (${title})`);
    assert.equal(notion.faults.length, 0, 'the fault was used');
    return id;
  }

  it('429 with Retry-After: waits that long, then delivers once', async () => {
    const t0 = Date.now();
    await onceDespite({ match: 'POST /v1/pages', status: 429, retryAfter: 1 }, '429');
    const limited = notion.requests.find((r) => r.status === 429 && r.at >= t0);
    const nextWrite = notion.requests.find((r) => r.at > limited.at && r.path.startsWith('/v1/databases/'));
    assert.ok(nextWrite.at - limited.at >= 950, `waited ${nextWrite.at - limited.at} ms after Retry-After: 1`);
  });

  it('500 after the page was stored: found by its Result ID and updated, not duplicated', async () => {
    const patches = notion.count('PATCH', '/v1/pages/');
    await onceDespite({ match: 'POST /v1/pages', status: 500, afterStore: true }, '500 after store');
    assert.equal(notion.count('PATCH', '/v1/pages/'), patches + 1);
  });

  it('504 after the page was stored', () => onceDespite({ match: 'POST /v1/pages', status: 504, afterStore: true }, '504 after store'));

  it('502 with an HTML body', () => onceDespite({ match: 'POST /v1/pages', status: 502, html: true }, '502 html'));

  it('503 on the query', () => onceDespite({ match: /POST \/v1\/databases\/.*\/query/, status: 503 }, '503 query'));

  it('connection reset after the page was stored', () => onceDespite({ match: 'POST /v1/pages', reset: true, afterStore: true }, 'reset after store'));

  it('connection reset before anything was stored', () => onceDespite({ match: 'POST /v1/pages', reset: true }, 'reset before store'));

  it('a slow answer (past the timeout) whose write lands late', () => onceDespite({ match: 'POST /v1/pages', delayMs: 1500 }, 'slow'));

  it('409 conflict: looks again, then writes', () => onceDespite({ match: 'POST /v1/pages', status: 409 }, '409'));

  it('401 pauses the sink, /readyz says why, until it works again', async () => {
    notion.fault({ match: 'POST /v1/pages', status: 401, times: 3 });
    const [id] = await finalizeStories(server, uniqueRoom('auth'), ['401']);
    const paused = await waitFor(async () => { const r = await readyz(server); return r.status === 503 && r; }, { what: 'not ready' });
    assert.match(paused.text, /sink notion is paused: Notion: create the row of r_\w+: HTTP 401 unauthorized/);
    assert.equal(await metric(server, 'fp_sink_paused{sink="notion"}'), 1);
    await waitFor(() => notion.rowsFor(id).length === 1, { what: 'row after the pause', timeoutMs: 12000 });
    await waitFor(async () => (await readyz(server)).status === 200, { what: 'ready again' });
    assert.equal(await metric(server, 'fp_sink_paused{sink="notion"}'), 0);
    assert.equal(notion.rowsFor(id).length, 1);
  });

  it('400 keeps the record as failed, visible in /metrics and the admin route, until requeued', async () => {
    notion.fault({ match: 'POST /v1/pages', status: 400 });
    const [id] = await finalizeStories(server, uniqueRoom('bad'), ['400']);
    await waitFor(async () => (await metric(server, 'fp_outbox_failed ')) === 1, { what: 'failed record' });
    assert.ok((await metric(server, 'fp_sink_deliveries_total{sink="notion",outcome="failed"}')) >= 1);
    assert.equal((await server.http('/api/admin/outbox/failed')).status, 401, 'admin needs the token');
    const listed = await admin(server, '/api/admin/outbox/failed');
    assert.equal(listed.status, 200);
    const record = listed.json.failed.find((f) => f.resultId === id);
    assert.equal(record.sink, 'notion');
    assert.match(record.lastError, /HTTP 400 validation_error/);
    assert.equal(record.result.resultId, id);
    assert.equal(notion.rowsFor(id).length, 0);
    const requeued = await admin(server, `/api/admin/outbox/failed/${encodeURIComponent(record.id)}/requeue`, 'POST');
    assert.equal(requeued.status, 200);
    assert.deepEqual(requeued.json.requeued, [record.id]);
    await waitFor(() => notion.rowsFor(id).length === 1, { what: 'row after requeue' });
    await waitFor(async () => (await metric(server, 'fp_outbox_failed ')) === 0, { what: 'no failed record' });
    assert.equal((await admin(server, '/api/admin/outbox/failed/notion%2Fr_none/requeue', 'POST')).status, 404);
  });

  it('Notion down for a while, then back: nothing lost, nothing twice', async () => {
    await notion.down();
    const room = uniqueRoom('down');
    const ids = await finalizeStories(server, room, ['down 1', 'down 2', 'down 3', 'down 4']);
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(ids.filter((id) => notion.rowsFor(id).length > 0).length, 0);
    await notion.up();
    await waitFor(() => ids.every((id) => notion.rowsFor(id).length === 1), { what: 'all rows after the outage', timeoutMs: 12000 });
    await waitFor(async () => (await metric(server, 'fp_outbox_depth ')) === 0, { what: 'empty outbox' });
    for (const id of ids) assert.equal(notion.rowsFor(id).length, 1);
  });

  it("Notion's rate limit (3/s, 429 + Retry-After) is honoured without losses", async () => {
    notion.setRateLimit({ perSecond: 3, burst: 3 });
    try {
      const ids = await finalizeStories(server, uniqueRoom('rate'), ['r1', 'r2', 'r3', 'r4', 'r5']);
      await waitFor(() => ids.every((id) => notion.rowsFor(id).length === 1), { what: 'rows under the rate limit', timeoutMs: 15000 });
      for (const id of ids) assert.equal(notion.rowsFor(id).length, 1);
    } finally {
      notion.setRateLimit(null);
    }
  });

  it('counts every row exactly once over all faults', () => {
    for (const [id, n] of notion.countsByResultId()) assert.equal(n, 1, `${id} has ${n} rows`);
  });
});
