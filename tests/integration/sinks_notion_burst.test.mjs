// 1,000 finalizes in a burst reach Notion exactly once each, within the rate limit. Notion's
// real limit is about 3 requests/s; at that rate 1,000 results (2 requests each) take 11 minutes,
// so this test runs the same machinery at a higher configured rate: the double enforces
// NOTION_RATE requests/s (429 + Retry-After above it) and the sink is set just below it.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startNotionDouble } from '../notion-double/notion-double.mjs';
import { testWithLogs } from './lib/server.mjs';
import { uniqueRoom } from './lib/client.mjs';
import { NOTION_TOKEN, notionSink, startWithSinks, finalizeStories, waitFor, metric } from './lib/sinks.mjs';

const RESULTS = 1000;
const ROOMS = 10;
const NOTION_RATE = 120; // what the double allows, requests/s (bursts up to the same)
const SINK_RATE = 110; // the sink's own requestsPerSecond

describe('a burst of 1,000 finalizes', () => {
  let notion;
  let server;
  const it = testWithLogs(() => server);
  before(async () => {
    notion = await startNotionDouble({ token: NOTION_TOKEN, rateLimit: { perSecond: NOTION_RATE, burst: NOTION_RATE } });
    server = await startWithSinks([notionSink(notion, { requestsPerSecond: SINK_RATE })],
      { delivery: { requestsPerSecond: 100, initialBackoffMs: 100, maxBackoffMs: 1000 } });
  });
  after(async () => { await server?.stop(); await notion?.close(); });

  it('arrives exactly once each, within the rate limit', { timeout: 90000 }, async () => {
    const started = Date.now();
    const perRoom = RESULTS / ROOMS;
    const batches = await Promise.all(Array.from({ length: ROOMS }, (_, r) => finalizeStories(
      server, uniqueRoom(`burst${r}`), Array.from({ length: perRoom }, (_, i) => `story ${r}-${i}`))));
    const ids = batches.flat();
    const finalized = Date.now();
    assert.equal(new Set(ids).size, RESULTS);
    await waitFor(async () => notion.pages.size >= RESULTS && (await metric(server, 'fp_outbox_depth ')) === 0,
      { what: 'every row', timeoutMs: 70000, intervalMs: 250 });
    const delivered = Date.now();
    const counts = notion.countsByResultId();
    for (const id of ids) assert.equal(counts.get(id), 1, `${id} has ${counts.get(id)} rows`);
    assert.equal(notion.pages.size, RESULTS);
    // Within the limit: no 429, and no second holds more requests than the rate plus its burst.
    const limited = notion.requests.filter((r) => r.status === 429).length;
    const times = notion.requests.map((r) => r.at).sort((a, b) => a - b);
    let busiest = 0;
    for (let i = 0, j = 0; i < times.length; i += 1) {
      while (times[i] - times[j] >= 1000) j += 1;
      busiest = Math.max(busiest, i - j + 1);
    }
    console.log(`# burst: ${RESULTS} finalizes in ${finalized - started} ms, all delivered after `
      + `${delivered - started} ms; ${notion.requests.length} requests to Notion, busiest second ${busiest}, `
      + `429s ${limited}`);
    assert.equal(limited, 0, 'no request went over the rate limit');
    assert.ok(busiest <= 2 * NOTION_RATE, `busiest second had ${busiest} requests`);
  });
});
