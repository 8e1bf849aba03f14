// HTTP routes: health, readiness, metrics, room state, history exports; the sink-jsonl file.
import { describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, testWithLogs, sleep } from './lib/server.mjs';
import { joined, closeAllClients, uniqueRoom, participant, ISO, Client } from './lib/client.mjs';

let srv;
const it = testWithLogs(() => srv);

/** RFC 4180 parser: returns rows of cells; throws on malformed quoting. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  let wasQuoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        quoted = false; i += 1; continue;
      }
      cell += ch; i += 1; continue;
    }
    if (ch === '"') {
      if (cell !== '' || wasQuoted) throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true; wasQuoted = true; i += 1; continue;
    }
    if (ch === ',') { row.push(cell); cell = ''; wasQuoted = false; i += 1; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { i += 1; continue; }
    if (ch === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; wasQuoted = false; i += 1; continue; }
    if (wasQuoted) throw new Error(`text after a closing quote at ${i}`);
    cell += ch; i += 1;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** Split a Markdown table row on pipes that are not escaped. */
function mdCells(line) {
  const cells = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\' && line[i + 1] === '|') { cur += '\\|'; i += 1; continue; }
    if (line[i] === '|') { cells.push(cur); cur = ''; continue; }
    cur += line[i];
  }
  cells.push(cur);
  // leading and trailing pipes give empty outer cells
  if (cells[0].trim() === '') cells.shift();
  if (cells.length && cells[cells.length - 1].trim() === '') cells.pop();
  return cells.map((c) => c.trim());
}

function metricLines(text, name) {
  return text.split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
}
function metricSum(text, name, labelFilter = () => true) {
  return metricLines(text, name).filter(labelFilter).reduce((s, l) => s + Number(l.trim().split(/\s+/).pop()), 0);
}

const TRICKY = 'Tricky, "quoted" | piped';

async function finalizeStory(a, title, card, extra = {}) {
  await a.ok({ type: 'story', title, ...extra });
  await a.ok({ type: 'vote', card });
  await a.ok({ type: 'reveal' });
  await a.ok({ type: 'finalize', estimate: card });
}

describe('http routes', () => {
  before(async () => { srv = await startServer(); });
  after(async () => { await closeAllClients(); if (srv) await srv.stop(); });
  afterEach(async () => { await closeAllClients(); });

  it('a POST with neither Content-Length nor a chunked body is answered at once (no body to wait for)', async () => {
    // As `curl -X POST URL` sends it, keeping its end of the connection open.
    const started = Date.now();
    const answer = await new Promise((resolve, reject) => {
      const socket = net.connect(srv.port, '127.0.0.1');
      let text = '';
      socket.setTimeout(5000, () => { socket.destroy(); reject(new Error(`no answer within 5 s: ${text}`)); });
      socket.on('connect', () => socket.write('POST /api/admin/outbox/failed/requeue HTTP/1.1\r\nHost: x\r\n\r\n'));
      socket.on('data', (d) => {
        text += d.toString();
        if (text.includes('\r\n\r\n')) { socket.destroy(); resolve(text); }
      });
      socket.on('error', reject);
    });
    assert.ok(Date.now() - started < 2000, `answered after ${Date.now() - started} ms`);
    assert.match(answer, /^HTTP\/1\.1 (404|401|200) /, answer);  // admin routes off here: 404
  });

  it('/healthz is 200, /readyz is 200 with JSON', async () => {
    const h = await srv.http('/healthz');
    assert.equal(h.status, 200);
    const r = await srv.http('/readyz');
    assert.equal(r.status, 200);
    assert.ok(r.json && typeof r.json === 'object', `readyz body is not JSON: ${r.text}`);
    assert.match(r.headers.get('content-type') || '', /json/);
  });

  it('/ and /r/{room} serve the web client', async () => {
    for (const path of ['/', `/r/${uniqueRoom('web')}`]) {
      const r = await srv.http(path);
      assert.equal(r.status, 200, path);
      assert.match(r.headers.get('content-type') || '', /text\/html/, path);
      assert.match(r.text, /<html/i);
    }
  });

  it('/api/rooms/{id} gives the redacted RoomState of the current version; 404 for an unknown room', async () => {
    const room = uniqueRoom('api');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(srv.wsUrl, room, 'Ben', {}, 'B');
    await a.ok({ type: 'story', title: 'API story', ref: 'FP-7' });
    await a.ok({ type: 'vote', card: '89' });
    await b.ok({ type: 'vote', card: '21' });
    const last = await a.nextState('vote', b.participantId);
    const r = await srv.http(`/api/rooms/${room}`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') || '', /application\/json/);
    assert.equal(r.json.id, room);
    assert.equal(r.json.version, last.room.version);
    assert.deepEqual(r.json, last.room, 'one version, one content, whichever route shows it');
    for (const p of r.json.participants) { assert.equal(p.card, null); assert.equal(p.voted, true); }
    const { deck, ...rest } = r.json;
    assert.ok(Array.isArray(deck));
    assert.ok(!JSON.stringify(rest).includes('"89"') && !JSON.stringify(rest).includes('"21"'), `cards leak: ${r.text}`);

    const nf = await srv.http(`/api/rooms/${uniqueRoom('nope')}`);
    assert.equal(nf.status, 404);
    assert.deepEqual(nf.json, { error: 'not_found' });
    const nh = await srv.http(`/api/rooms/${uniqueRoom('nope')}/history`);
    assert.equal(nh.status, 404);
  });

  it('history: JSON oldest first, CSV (RFC 4180) and Markdown (pipes escaped); sink-jsonl gets one line per finalize', async () => {
    const room = uniqueRoom('hist');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(srv.wsUrl, room, 'Ben', {}, 'B');
    await a.ok({ type: 'settings', name: 'History Room' });
    await finalizeStory(a, 'Plain story', '5');
    await a.ok({ type: 'story', title: TRICKY, ref: 'FP-9', url: 'https://example.com/9' });
    await a.ok({ type: 'vote', card: '8' });
    await b.ok({ type: 'vote', card: '13' });
    await a.ok({ type: 'reveal' });
    await a.ok({ type: 'reset' });
    await a.ok({ type: 'vote', card: '8' });
    await b.ok({ type: 'vote', card: '8' });
    await a.ok({ type: 'reveal' });
    await a.ok({ type: 'finalize', estimate: '8' });
    const fin = await b.nextRoom((r) => r.history.length === 2, 2000, 'two results');

    const h = await srv.http(`/api/rooms/${room}/history`);
    assert.equal(h.status, 200);
    assert.ok(Array.isArray(h.json.results), h.text);
    assert.equal(h.json.results.length, 2);
    assert.equal(h.json.results[0].story.title, 'Plain story', 'oldest first');
    assert.equal(h.json.results[1].story.title, TRICKY);
    assert.equal(h.json.results[0].estimate, '5');
    assert.equal(h.json.results[1].estimate, '8');
    assert.equal(h.json.results[1].rounds, 2);
    assert.equal(h.json.results[1].earlierRounds.length, 1);
    assert.deepEqual(h.json.results[1], fin.room.history[0], 'same result in the state and the route');
    assert.deepEqual(h.json.results[0], fin.room.history[1]);

    const csv = await srv.http(`/api/rooms/${room}/history?format=csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') || '', /text\/csv/);
    assert.ok(csv.text.includes('"Tricky, ""quoted"" | piped"'), `quotes not doubled in CSV:\n${csv.text}`);
    const rows = parseCsv(csv.text);
    assert.equal(rows.length, 3, `header + 2 rows expected:\n${csv.text}`);
    for (const row of rows) assert.equal(row.length, rows[0].length, `ragged CSV:\n${csv.text}`);
    assert.ok(rows[2].includes(TRICKY), `tricky title not a cell of the last row: ${JSON.stringify(rows[2])}`);
    assert.ok(rows[1].includes('Plain story'));
    assert.ok(rows[2].includes('8') && rows[1].includes('5'), 'estimates in the rows');

    const md = await srv.http(`/api/rooms/${room}/history?format=md`);
    assert.equal(md.status, 200);
    assert.match(md.headers.get('content-type') || '', /text\/(markdown|plain)/);
    const lines = md.text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim().startsWith('|'));
    assert.ok(lines.length >= 4, `markdown table expected:\n${md.text}`);
    const header = mdCells(lines[0]);
    assert.ok(mdCells(lines[1]).every((c) => /^:?-{3,}:?$/.test(c)), `separator row: ${lines[1]}`);
    for (const l of lines) assert.equal(mdCells(l).length, header.length, `row with a wrong cell count: ${l}`);
    assert.ok(md.text.includes('Tricky, "quoted" \\| piped'), `pipe not escaped:\n${md.text}`);
    const trickyRow = lines.find((l) => l.includes('Tricky'));
    assert.ok(mdCells(trickyRow).some((c) => c.includes('Tricky, "quoted" \\| piped')), `tricky title not one cell: ${trickyRow}`);
    assert.ok(lines.indexOf(trickyRow) > lines.findIndex((l) => l.includes('Plain story')), 'oldest first');

    // the sink file: one JSON line per finalize, asynchronously
    let recs = [];
    for (let i = 0; i < 60; i++) {
      recs = srv.sinkRecords().filter((x) => x.roomId === room);
      if (recs.length >= 2) break;
      await sleep(100);
    }
    assert.equal(recs.length, 2, `sink records for ${room}: ${JSON.stringify(recs)}`);
    const ids = new Set(recs.map((x) => x.resultId));
    assert.equal(ids.size, 2, 'resultId unique');
    for (const x of recs) {
      for (const key of ['resultId', 'roomId', 'roomName', 'story', 'estimate', 'votes', 'stats', 'rounds', 'earlierRounds', 'finalizedAt', 'participants']) {
        assert.ok(key in x, `sink record lacks ${key}: ${JSON.stringify(x)}`);
      }
      assert.equal(x.roomName, 'History Room');
      assert.equal(x.participants, 2);
      assert.match(x.finalizedAt, ISO);
      assert.ok(Array.isArray(x.votes));
      assert.ok(Array.isArray(x.earlierRounds));
    }
    const tricky = recs.find((x) => x.story.title === TRICKY);
    assert.ok(tricky, 'tricky story in the sink');
    assert.equal(tricky.resultId, h.json.results[1].resultId);
    assert.equal(tricky.estimate, '8');
    assert.equal(tricky.rounds, 2);
    assert.equal(tricky.earlierRounds.length, 1);
    assert.deepEqual(tricky.votes.map((v) => v.card).sort(), ['8', '8']);
    assert.equal(tricky.stats.consensus, true);
    assert.deepEqual(tricky.story, { title: TRICKY, ref: 'FP-9', url: 'https://example.com/9' });
    const plain = recs.find((x) => x.story.title === 'Plain story');
    assert.equal(plain.estimate, '5');
    assert.equal(plain.resultId, h.json.results[0].resultId);
  });

  it('CSV export uses CRLF line breaks (RFC 4180)', async () => {
    const room = uniqueRoom('crlf');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    await finalizeStory(a, 'One', '3');
    const csv = await srv.http(`/api/rooms/${room}/history?format=csv`);
    assert.equal(csv.status, 200);
    const body = csv.text.replace(/\r\n$/, '');
    assert.ok(body.includes('\r\n'), 'records separated by CRLF');
    assert.ok(!/[^\r]\n/.test(body), 'a bare LF outside quotes');
  });

  it('state keeps the last 20 results newest first; the history route has all of them oldest first', async () => {
    const room = uniqueRoom('many');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    for (let i = 1; i <= 22; i++) {
      await a.ok({ type: 'story', title: `Story ${i}` });
      await a.ok({ type: 'reveal' });
      await a.ok({ type: 'finalize', estimate: String(i % 2 ? '3' : '5') });
    }
    const s = await a.nextRoom((r) => r.history.length > 0 && r.history[0].story.title === 'Story 22', 3000, 'last result');
    assert.equal(s.room.history.length, 20);
    assert.deepEqual(s.room.history.map((x) => x.story.title), Array.from({ length: 20 }, (_, i) => `Story ${22 - i}`));
    const h = await srv.http(`/api/rooms/${room}/history`);
    assert.equal(h.json.results.length, 22);
    assert.deepEqual(h.json.results.map((x) => x.story.title), Array.from({ length: 22 }, (_, i) => `Story ${i + 1}`));
  });

  it('/metrics exposes the documented names with sensible values', async () => {
    const room = uniqueRoom('metrics');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(srv.wsUrl, room, 'Ben', {}, 'B');
    const c = await Client.connect(srv.wsUrl, { label: 'C' });
    c.sendRaw('not json');
    await c.next((m) => m.type === 'error');
    await finalizeStory(a, 'Metric story', '5');
    await b.nextRoom((r) => r.history.length === 1);
    for (let i = 0; i < 50; i++) {
      if (srv.sinkRecords().some((x) => x.roomId === room)) break;
      await sleep(100);
    }
    await sleep(200);
    const m = await srv.http('/metrics');
    assert.equal(m.status, 200);
    assert.match(m.headers.get('content-type') || '', /text\/plain/);
    const t = m.text;
    for (const name of ['fp_connections', 'fp_rooms', 'fp_messages_received_total', 'fp_messages_sent_total',
      'fp_errors_total', 'fp_outbox_depth', 'fp_sink_deliveries_total']) {
      assert.ok(metricLines(t, name).length > 0, `metric ${name} missing`);
    }
    assert.match(t, /^# TYPE fp_connections gauge$/m);
    assert.match(t, /^# TYPE fp_rooms gauge$/m);
    assert.match(t, /^# TYPE fp_outbox_depth gauge$/m);
    assert.match(t, /^# TYPE fp_messages_received_total counter$/m);
    assert.match(t, /^# TYPE fp_fanout_latency_seconds histogram$/m);
    assert.ok(metricLines(t, 'fp_fanout_latency_seconds_bucket').some((l) => /le="\+Inf"/.test(l)), 'histogram +Inf bucket');
    assert.ok(metricLines(t, 'fp_fanout_latency_seconds_bucket').length >= 3, 'histogram buckets');
    assert.ok(metricSum(t, 'fp_fanout_latency_seconds_count') > 0, 'fan-out latency observed');
    assert.ok(metricLines(t, 'fp_fanout_latency_seconds_sum').length > 0);
    assert.ok(metricSum(t, 'fp_connections') >= 3, `fp_connections with 3 open sockets: ${metricLines(t, 'fp_connections')}`);
    assert.ok(metricSum(t, 'fp_rooms') >= 1);
    assert.ok(metricSum(t, 'fp_messages_received_total') >= 8);
    assert.ok(metricSum(t, 'fp_messages_sent_total') >= 8);
    assert.ok(metricSum(t, 'fp_errors_total', (l) => /code="bad_json"/.test(l)) >= 1, `fp_errors_total{code="bad_json"}: ${metricLines(t, 'fp_errors_total')}`);
    assert.ok(metricSum(t, 'fp_sink_deliveries_total', (l) => /sink="results-file"/.test(l) && /outcome=/.test(l)) >= 1,
      `fp_sink_deliveries_total{sink="results-file",outcome=...}: ${metricLines(t, 'fp_sink_deliveries_total')}`);
    // gauges follow the connections
    await closeAllClients();
    await sleep(300);
    const m2 = await srv.http('/metrics');
    assert.ok(metricSum(m2.text, 'fp_connections') < metricSum(t, 'fp_connections'), 'fp_connections goes down when sockets close');
  });
});
