// sink-webhook: every result POSTed with a verifiable HMAC signature; retries on 5xx, 429
// (Retry-After) and lost connections; exactly once per result id on a receiver that dedupes;
// a 4xx keeps the record as failed; the secret never in a log line.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testWithLogs } from './lib/server.mjs';
import { uniqueRoom } from './lib/client.mjs';
import {
  WEBHOOK_SECRET, startWithSinks, finalizeStories, waitFor, metric, admin, expectedSignature,
  startWebhookReceiver,
} from './lib/sinks.mjs';

describe('sink-webhook', () => {
  let receiver;
  let server;
  const it = testWithLogs(() => server);
  before(async () => {
    receiver = await startWebhookReceiver();
    server = await startWithSinks([{ name: 'hook', plugin: 'sink-webhook', options: { url: receiver.url, timeoutSeconds: 2 } }]);
  });
  after(async () => { await server?.stop(); await receiver?.close(); });

  const delivered = (id) => receiver.received.has(id);

  it('POSTs each result with a signature the receiver can verify', async () => {
    const room = uniqueRoom('hook');
    const ids = await finalizeStories(server, room, ['one', 'two']);
    await waitFor(() => ids.every(delivered), { what: 'both results' });
    const req = receiver.requests.find((r) => r.headers['x-firepoker-result-id'] === ids[0]);
    const body = JSON.parse(req.body);
    assert.equal(body.resultId, ids[0]);
    assert.equal(body.roomId, room);
    assert.equal(req.headers['content-type'], 'application/json');
    const ts = Number(req.headers['x-firepoker-timestamp']);
    assert.ok(Math.abs(ts - Date.now() / 1000) < 30);
    assert.equal(req.headers['x-firepoker-signature'], expectedSignature(WEBHOOK_SECRET, ts, ids[0], req.body));
    // A changed body or id would not verify.
    assert.notEqual(req.headers['x-firepoker-signature'], expectedSignature(WEBHOOK_SECRET, ts, ids[0], `${req.body} `));
    assert.notEqual(req.headers['x-firepoker-signature'], expectedSignature(WEBHOOK_SECRET, ts, 'r_other', req.body));
    assert.equal(receiver.badSignatures, 0);
  });

  it('retries 500, 429 (Retry-After) and lost connections; exactly once per result id', async () => {
    receiver.faults.push({ status: 500 }, { status: 429, retryAfter: 1 }, { reset: true });
    const t0 = Date.now();
    const [id] = await finalizeStories(server, uniqueRoom('retry'), ['retried']);
    await waitFor(() => receiver.requests.filter((r) => r.headers['x-firepoker-result-id'] === id).length >= 4
      && receiver.faults.length === 0, { what: 'four attempts' });
    await waitFor(async () => (await metric(server, 'fp_outbox_depth ')) === 0, { what: 'empty outbox' });
    const attempts = receiver.requests.filter((r) => r.headers['x-firepoker-result-id'] === id);
    assert.equal(attempts.length, 4);
    assert.ok(attempts[2].at - attempts[1].at >= 950, 'waited for Retry-After: 1');
    assert.ok(Date.now() - t0 >= 1000);
    // The receiver stored it on the 500 already; the 429 and the last POST were duplicates it
    // recognised by the result id, so it holds the result once.
    assert.equal(receiver.received.get(id).resultId, id);
    assert.equal(receiver.duplicates.get(id), 2);
    assert.ok((await metric(server, 'fp_sink_deliveries_total{sink="hook",outcome="retried"}')) >= 3);
  });

  it('a 4xx answer keeps the result as failed for an operator', async () => {
    receiver.faults.push({ status: 422 });
    const [id] = await finalizeStories(server, uniqueRoom('reject'), ['rejected']);
    await waitFor(async () => (await metric(server, 'fp_outbox_failed ')) === 1, { what: 'failed record' });
    const listed = await admin(server, '/api/admin/outbox/failed');
    const record = listed.json.failed.find((f) => f.resultId === id);
    assert.match(record.lastError, /HTTP 422/);
    const requeued = await admin(server, '/api/admin/outbox/failed/requeue?sink=hook', 'POST');
    assert.deepEqual(requeued.json.requeued, [record.id]);
    await waitFor(async () => (await metric(server, 'fp_outbox_failed ')) === 0 && delivered(id), { what: 'requeued delivery' });
  });

  it('reports its own metrics through the SDK handle, labelled with its instance', async () => {
    // The POSTs of the tests above: 2 + (500, 429, reset, 200) + (422, 200 after the requeue).
    const series = (cls) => `fp_plugin_webhook_responses_total{plugin_instance="hook",class="${cls}"} `;
    // The test above saw the receiver store the last POST; its answer may still be on the way.
    await waitFor(async () => (await metric(server, series('2xx'))) === 4, { timeoutMs: 3000, what: 'the last answer counted' });
    assert.equal(await metric(server, series('4xx')), 2);
    assert.equal(await metric(server, series('5xx')), 1);
    assert.equal(await metric(server, series('no_answer')), 1);
    assert.equal(await metric(server, series('3xx')), 0);
    assert.equal(await metric(server, 'fp_plugin_webhook_request_seconds_count{plugin_instance="hook"} '), 8);
    const text = (await server.http('/metrics')).text;
    assert.match(text, /# TYPE fp_plugin_webhook_request_seconds histogram\n/);
    assert.match(text, /fp_plugin_webhook_request_seconds_bucket\{plugin_instance="hook",le="\+Inf"\} 8\n/);
  });

  it('never logs the signing secret', () => {
    assert.ok(!server.output().includes(WEBHOOK_SECRET));
  });
});
