// sink-notion against the Notion double: one row per finalized story with the default mapping,
// both API generations, a mapping that does not match refused at start, Notion unreachable at
// start, and the token never in a log line.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startNotionDouble } from '../notion-double/notion-double.mjs';
import { testWithLogs, runCli } from './lib/server.mjs';
import { uniqueRoom } from './lib/client.mjs';
import {
  NOTION_TOKEN, notionSink, startWithSinks, finalizeStories, waitFor, readyz,
} from './lib/sinks.mjs';

const text = (prop) => (prop.rich_text || prop.title).map((t) => t.plain_text).join('');

describe('sink-notion, database generation (2022-06-28)', () => {
  let notion;
  let server;
  const it = testWithLogs(() => server);
  before(async () => {
    notion = await startNotionDouble({ token: NOTION_TOKEN });
    server = await startWithSinks([notionSink(notion)], { config: { log: { level: 'debug' } } });
  });
  after(async () => { await server?.stop(); await notion?.close(); });

  it('writes one row per finalized story with the default mapping', async () => {
    const room = uniqueRoom('notion');
    const ids = await finalizeStories(server, room, ['Login page', 'Signup, with comma']);
    await waitFor(() => ids.every((id) => notion.rowsFor(id).length === 1), { what: 'both rows' });
    const row = notion.rowsFor(ids[1])[0];
    const p = row.properties;
    assert.equal(row.parent.database_id, notion.databaseId);
    assert.equal(text(p.Name), 'Signup, with comma');
    assert.equal(p.Estimate.select.name, '5');
    assert.equal(text(p['Result ID']), ids[1]);
    assert.equal(text(p.Room), room);
    assert.equal(text(p.Ref), 'FP-1');
    assert.equal(p.Link.url, 'https://tracker.example/FP-1');
    assert.equal(p.Average.number, 5);
    assert.equal(p.Median.number, 5);
    assert.equal(p.Agreement.number, 1);
    assert.equal(p.Consensus.checkbox, true);
    assert.deepEqual(p.Votes.multi_select.map((o) => o.name), ['5']);
    assert.equal(p.Rounds.number, 1);
    assert.match(p.Finalized.date.start, /^\d{4}-\d\d-\d\dT/);
    const stored = JSON.parse(text(p['Result JSON']));
    assert.equal(stored.resultId, ids[1]);
    assert.equal(stored.roomId, room);
    assert.equal(stored.story.title, 'Signup, with comma');
    // Every call carried the version of this generation; each row was looked for first.
    for (const r of notion.requests) assert.equal(r.version, '2022-06-28');
    assert.ok(notion.count('GET', `/v1/databases/${notion.databaseId}`) >= 1);
    const firstCreate = notion.requests.findIndex((r) => r.method === 'POST' && r.path === '/v1/pages');
    assert.equal(notion.requests[firstCreate - 1].path, `/v1/databases/${notion.databaseId}/query`);
  });

  it('never writes the token to the log, even at debug level', async () => {
    notion.fault({ match: 'POST /v1/pages', status: 401 });
    const ids = await finalizeStories(server, uniqueRoom('token'), ['Secret handling']);
    await waitFor(() => notion.rowsFor(ids[0]).length === 1, { what: 'row after the 401' });
    assert.ok(server.output().includes('HTTP 401 unauthorized'), 'the 401 is logged');
    assert.ok(!server.output().includes(NOTION_TOKEN), 'the token is not in the log');
    const printed = runCli(['--print-config', server.configPath], { env: { FP_SINKS_0_OPTIONS_TOKEN: NOTION_TOKEN } });
    assert.ok(!printed.output.includes(NOTION_TOKEN));
  });
});

describe('sink-notion, data-source generation (2025-09-03)', () => {
  let notion;
  let server;
  const it = testWithLogs(() => server);
  before(async () => {
    notion = await startNotionDouble({ token: NOTION_TOKEN });
    server = await startWithSinks([notionSink(notion, {}, { dataSource: true })]);
  });
  after(async () => { await server?.stop(); await notion?.close(); });

  it('writes through data_source_id with Notion-Version 2025-09-03', async () => {
    const ids = await finalizeStories(server, uniqueRoom('ds'), ['Data sources']);
    await waitFor(() => notion.rowsFor(ids[0]).length === 1, { what: 'row' });
    assert.equal(notion.rowsFor(ids[0])[0].parent.data_source_id, notion.dataSourceId);
    for (const r of notion.requests) assert.equal(r.version, '2025-09-03');
    assert.ok(notion.count('GET', `/v1/data_sources/${notion.dataSourceId}`) >= 1);
    assert.ok(notion.count('POST', `/v1/data_sources/${notion.dataSourceId}/query`) >= 1);
    assert.equal(notion.count('POST', '/v1/databases/'), 0);
  });
});

describe('sink-notion at start', () => {
  let notion;
  let server;
  const it = testWithLogs(() => server);
  before(async () => { notion = await startNotionDouble({ token: NOTION_TOKEN }); });
  after(async () => { await server?.stop(); await notion?.close(); });

  it('refuses a mapping that names a missing property or a wrong type, with a clear message', async () => {
    const sink = notionSink(notion, { estimateProperty: 'Points:select', storyRefProperty: 'Ref:select' });
    const err = await startWithSinks([sink]).then(() => null, (e) => e);
    assert.ok(err, 'the server must not start');
    assert.match(err.message, /exited early \(\{"code":1/);
    assert.match(err.message, /property "Points" \(estimateProperty\) is not in the database; it has "Agreement", "Average", /);
    assert.match(err.message, /property "Ref" \(storyRefProperty\) is a rich_text in the database, the mapping says select/);
    // A type that cannot hold the field is refused before Notion is even asked.
    const early = await startWithSinks([notionSink(notion, { averageProperty: 'Average:rich_text' })]).then(() => null, (e) => e);
    assert.match(early.message, /averageProperty: a rich_text property cannot hold average of numeric votes; use number/);
  });

  it('starts while Notion is unreachable, says so in /readyz, and delivers once it is back', async () => {
    await notion.down();
    server = await startWithSinks([notionSink(notion)]);
    const ready = await readyz(server);
    assert.equal(ready.status, 503);
    assert.match(ready.text, /sink notion: cannot read the schema/);
    const ids = await finalizeStories(server, uniqueRoom('late'), ['While Notion is away']);
    await new Promise((r) => setTimeout(r, 500));
    await notion.up();
    await waitFor(() => notion.rowsFor(ids[0]).length === 1, { what: 'row once Notion is back' });
    await waitFor(async () => (await readyz(server)).status === 200, { what: 'ready again' });
  });
});
