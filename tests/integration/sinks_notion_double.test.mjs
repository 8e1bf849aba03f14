// The Notion double itself answers as NOTION.md says Notion does, so a green sink test means
// something: headers, validation and limits, error bodies, pagination, faults.
import { describe, before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startNotionDouble } from '../notion-double/notion-double.mjs';

describe('the Notion double', () => {
  let d;
  const headers = { Authorization: 'Bearer t0k', 'Notion-Version': '2022-06-28', 'Content-Type': 'application/json' };
  const call = async (method, path, body, h = headers) => {
    const r = await fetch(`${d.url}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, headers: r.headers, json: text.startsWith('{') ? JSON.parse(text) : undefined, text };
  };
  const rt = (s) => ({ rich_text: [{ text: { content: s } }] });
  const create = (id, room = 'R') => call('POST', '/pages', { parent: { database_id: d.databaseId }, properties: { 'Result ID': rt(id), Room: rt(room) } });
  const error = (r, status, code) => {
    assert.equal(r.status, status);
    assert.deepEqual(Object.keys(r.json).sort(), ['code', 'message', 'object', 'request_id', 'status']);
    assert.equal(r.json.object, 'error');
    assert.equal(r.json.status, status);
    assert.equal(r.json.code, code);
  };
  before(async () => { d = await startNotionDouble({ token: 't0k', shortPages: true }); });
  after(() => d.close());

  test('checks the token, the version and the content type', async () => {
    error(await call('GET', `/databases/${d.databaseId}`, undefined, { ...headers, Authorization: 'Bearer nope' }), 401, 'unauthorized');
    const { 'Notion-Version': _v, ...noVersion } = headers;
    error(await call('GET', `/databases/${d.databaseId}`, undefined, noVersion), 400, 'missing_version');
    error(await call('POST', '/pages', {}, { ...headers, 'Content-Type': 'text/plain' }), 400, 'invalid_request');
    const bad = await fetch(`${d.url}/pages`, { method: 'POST', headers, body: '{nope' });
    error({ status: bad.status, json: await bad.json() }, 400, 'invalid_json');
    error(await call('GET', '/databases/not-shared'), 404, 'object_not_found');
    error(await call('POST', `/data_sources/${d.dataSourceId}/query`, {}), 400, 'invalid_request_url');
  });

  test('validates values and limits', async () => {
    const long = await call('POST', '/pages', { parent: { database_id: d.databaseId }, properties: { Name: { title: [{ text: { content: 'x'.repeat(2001) } }] } } });
    error(long, 400, 'validation_error');
    const items = Array.from({ length: 101 }, () => ({ text: { content: 'a' } }));
    error(await call('POST', '/pages', { parent: { database_id: d.databaseId }, properties: { Room: { rich_text: items } } }), 400, 'validation_error');
    error(await call('POST', '/pages', { parent: { database_id: d.databaseId }, properties: { Estimate: { select: { name: '1,5' } } } }), 400, 'validation_error');
    error(await call('POST', '/pages', { parent: { database_id: d.databaseId }, properties: { Link: { url: '' } } }), 400, 'validation_error');
    error(await call('POST', '/pages', { parent: { database_id: d.databaseId }, properties: { Nope: rt('x') } }), 400, 'validation_error');
    const huge = await fetch(`${d.url}/pages`, { method: 'POST', headers, body: JSON.stringify({ pad: 'x'.repeat(600 * 1024) }) });
    assert.equal(huge.status, 400);
    error(await call('POST', `/databases/${d.databaseId}/query`, { page_size: 101 }), 400, 'validation_error');
  });

  test('filters by rich_text equals and paginates with has_more / next_cursor', async () => {
    for (let i = 0; i < 130; i += 1) assert.equal((await create(`r_${i}`, i % 2 ? 'odd' : 'even')).status, 200);
    const seen = [];
    let cursor;
    let pages = 0;
    do {
      const body = { filter: { property: 'Room', rich_text: { equals: 'even' } }, page_size: 20, ...(cursor ? { start_cursor: cursor } : {}) };
      const r = await call('POST', `/databases/${d.databaseId}/query`, body);
      assert.equal(r.json.object, 'list');
      assert.ok(r.json.results.length <= 20);
      seen.push(...r.json.results.map((p) => p.properties['Result ID'].rich_text[0].plain_text));
      cursor = r.json.has_more ? r.json.next_cursor : undefined;
      if (!r.json.has_more) assert.equal(r.json.next_cursor, null);
      pages += 1;
    } while (cursor);
    assert.equal(seen.length, 65);
    assert.equal(new Set(seen).size, 65);
    assert.ok(pages >= 4);
  });

  test('faults: 429 with Retry-After, 5xx after storing, a reset', async () => {
    d.fault({ match: 'POST /v1/pages', status: 429, retryAfter: 2 });
    const limited = await create('f1');
    error(limited, 429, 'rate_limited');
    assert.equal(limited.headers.get('retry-after'), '2');
    d.fault({ match: 'POST /v1/pages', status: 504, afterStore: true });
    error(await create('f2'), 504, 'gateway_timeout');
    assert.equal(d.rowsFor('f2').length, 1, 'stored although the answer was 504');
    d.fault({ match: 'POST /v1/pages', status: 502, html: true });
    const html = await create('f3');
    assert.equal(html.status, 502);
    assert.match(html.text, /<html>/);
    d.fault({ match: 'POST /v1/pages', reset: true });
    await assert.rejects(create('f4'));
    d.setRateLimit({ perSecond: 3, burst: 3 });
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await call('GET', `/databases/${d.databaseId}`)).status);
    d.setRateLimit(null);
    assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
    assert.ok(statuses.includes(429));
  });
});
