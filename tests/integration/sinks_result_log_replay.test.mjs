// The durable result log and its replay (issue 15), with real processes: a fire-poker server
// whose Notion is refusing or down, 20 results finalized over real WebSockets, the server
// killed (SIGKILL) or stopped (SIGTERM), a fresh server on empty storage, and
// `fire-poker replay-results` run on the captured stdout: Notion (the double) ends with every
// result exactly once, and a second replay adds nothing.
import { describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNotionDouble } from '../notion-double/notion-double.mjs';
import { testWithLogs, runCli, runCliAsync } from './lib/server.mjs';
import { joined, uniqueRoom, closeAllClients } from './lib/client.mjs';
import {
  NOTION_TOKEN, notionSink, startWithSinks, finalizeStories, waitFor,
} from './lib/sinks.mjs';

const work = mkdtempSync(join(tmpdir(), 'fp-replay-'));
const servers = [];
const it = testWithLogs(() => servers);

/** The result log's events on a captured stdout (JSON or text format), parsed. */
function resultEvents(stdout) {
  return stdout.split('\n').filter((l) => l.includes('"event":"result.'))
    .map((l) => JSON.parse(l.slice(l.indexOf('{'))));
}

function start(sinks, options = {}) {
  return startWithSinks(sinks, options).then((s) => { servers.push(s); return s; });
}

/** `count` results over real WebSocket clients: four rooms side by side, a client each. */
async function finalizeMany(server, count = 20) {
  const perRoom = [0, 1, 2, 3].map((r) => Math.floor(count / 4) + (r < count % 4 ? 1 : 0));
  const batches = await Promise.all(perRoom.map((n, r) => finalizeStories(server, uniqueRoom(`replay${r}`),
    Array.from({ length: n }, (_, i) => `Story ${r}.${i + 1}`))));
  return batches.flat();
}

/** replay-results with the config of `server` (its sinks, pointing at the double). */
function replay(server, files, extra = []) {
  return runCliAsync(['replay-results', '--config', server.configPath, ...extra, ...files], {
    env: { FP_SINKS_0_OPTIONS_TOKEN: NOTION_TOKEN },
  });
}

function capture(name, text) {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

/** Every id appears exactly once among the double's rows, and nothing else is there. */
function assertExactlyOnce(notion, ids) {
  const counts = notion.countsByResultId();
  assert.equal(notion.rows().length, ids.length, `rows: ${JSON.stringify([...counts])}`);
  for (const id of ids) assert.equal(counts.get(id), 1, `${id} has ${counts.get(id) ?? 0} rows`);
}

async function kill(server) {
  server.proc.kill('SIGKILL');
  await server.exited;
  await server.stdoutClosed;
  return server.stdoutText;
}

const notionDown503 = { match: (method, path) => path.startsWith('/v1/'), status: 503, times: Infinity };

describe('result log and replay-results', () => {
  let notion;
  before(async () => { notion = await startNotionDouble({ token: NOTION_TOKEN }); });
  afterEach(async () => {
    await closeAllClients();
    for (const s of servers.splice(0)) await s.stop();
    notion.clearFaults();
    notion.pages.clear();
    notion.requests = [];
  });
  after(async () => { await notion?.close(); rmSync(work, { recursive: true, force: true }); });

  it('Notion refusing (503), SIGKILL: a replay of the captured stdout delivers all 20 exactly once; again, nothing more', async () => {
    notion.fault(notionDown503);
    const first = await start([notionSink(notion)], { config: { log: { format: 'json', level: 'warn' } } });
    const ids = await finalizeMany(first);
    assert.equal(new Set(ids).size, 20);
    // Written at the commit, before the ack: all 20 are on stdout already, at log level warn.
    const committed = resultEvents(first.stdoutText).filter((e) => e.event === 'result.committed');
    assert.deepEqual(committed.map((e) => e.resultId).sort(), [...ids].sort());
    for (const e of committed) {
      assert.equal(e.logger, 'results');
      assert.equal(e.msg, 'result.committed');
      assert.deepEqual(e.sinks, ['notion']);
      assert.equal(e.record.resultId, e.resultId);
      assert.equal(e.record.roomId, e.roomId);
    }
    await waitFor(() => resultEvents(first.stdoutText).some((e) => e.event === 'result.retrying'), { what: 'a retrying line' });
    const retrying = resultEvents(first.stdoutText).find((e) => e.event === 'result.retrying');
    assert.match(retrying.reason, /503/);
    assert.match(retrying.nextAttemptAt, /^\d{4}-\d\d-\d\dT/);
    const log = capture('killed.log', await kill(first));
    assert.equal(notion.rows().length, 0, 'Notion stored nothing during the outage');

    notion.clearFaults();
    const fresh = await start([notionSink(notion)]);  // empty storage: nothing to deliver itself
    const dry = await replay(fresh, [log], ['--dry-run']);
    assert.equal(dry.code, 1, dry.output);
    assert.equal((dry.stdout.match(/^to deliver {2}r_/gm) || []).length, 20, dry.output);
    assert.match(dry.stdout, /dry run: 20 to deliver, 0 skipped/);
    assert.equal(notion.count('POST', '/v1/pages'), 0, 'a dry run writes nothing');

    const r = await replay(fresh, [log]);
    assert.equal(r.code, 0, r.output);
    assert.match(r.stdout, /: 20 results \(20 with their result\.committed line\), 0 unreadable/);
    assert.equal((r.stdout.match(/^delivered {3}r_/gm) || []).length, 20, r.output);
    assert.match(r.stdout, /summary: 20 results; 20 delivered, 0 skipped .* 0 failed, 0 unreadable lines/);
    assertExactlyOnce(notion, ids);

    const creates = notion.count('POST', '/v1/pages');
    const again = await replay(fresh, [log]);
    assert.equal(again.code, 0, again.output);
    assertExactlyOnce(notion, ids);
    assert.equal(notion.count('POST', '/v1/pages'), creates, 'the second replay found every row by its Result ID');
  });

  it('one result refused with 400 is kept as failed; the replay delivers the 19 others and reports it with the reason', async () => {
    const refused = (method, path, body) => method === 'POST' && path === '/v1/pages' && body.includes('Refused story');
    notion.fault({ match: refused, status: 400, times: Infinity });
    const first = await start([notionSink(notion)], { config: { log: { format: 'text', level: 'error' } } });
    const [refusedId] = await finalizeStories(first, uniqueRoom('refused'), ['Refused story']);
    await waitFor(() => resultEvents(first.stdoutText).some((e) => e.event === 'result.failed'), { what: 'the result.failed line' });
    const failed = resultEvents(first.stdoutText).find((e) => e.event === 'result.failed');
    assert.equal(failed.resultId, refusedId);
    assert.match(failed.reason, /HTTP 400 validation_error/);
    assert.equal(failed.record.story.title, 'Refused story');
    notion.fault(notionDown503);  // then an outage for everything else
    const others = await finalizeMany(first, 19);
    assert.equal(others.length, 19);
    const stdout = await kill(first);
    assert.match(stdout, / info {2}\[results\] \{"event":"result\.committed"/, 'text format, at log level error');
    const log = capture('refused.log', stdout);

    notion.clearFaults();
    notion.fault({ match: refused, status: 400, times: Infinity });
    const fresh = await start([notionSink(notion)]);
    const r = await replay(fresh, [log]);
    assert.equal(r.code, 1, r.output);
    assert.equal((r.stdout.match(/^delivered {3}r_/gm) || []).length, 19, r.output);
    const line = r.stdout.split('\n').find((l) => l.startsWith('failed') && l.includes(refusedId));
    assert.ok(line, r.output);
    assert.match(line, /"Refused story".*HTTP 400 validation_error/);
    assert.match(r.stdout, new RegExp(`to deliver {2}${refusedId} .*last logged: failed: .*HTTP 400 validation_error`));
    assert.match(r.stdout, /summary: 20 results; 19 delivered, .* 1 failed/);
    assertExactlyOnce(notion, others);
  });

  it('SIGTERM during the outage logs what is left as pending; those lines alone replay it, exactly once', async () => {
    await notion.down();
    let down = true;
    try {
      const first = await start([notionSink(notion)], {
        config: { log: { format: 'json', level: 'info' }, server: { shutdownTimeoutSeconds: 2 } },
      });
      const ids = await finalizeMany(first);
      const t0 = Date.now();
      const exit = await first.stop(15000);
      await first.stdoutClosed;
      assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}`);
      assert.ok(Date.now() - t0 < 10000, 'the drain ends at server.shutdownTimeoutSeconds');
      const pending = resultEvents(first.stdoutText).filter((e) => e.event === 'result.pending');
      assert.deepEqual(pending.map((e) => e.resultId).sort(), [...ids].sort());
      for (const e of pending) {
        assert.equal(e.sink, 'notion');
        assert.equal(e.record.resultId, e.resultId);
      }
      assert.match(first.output(), /20 results not delivered to their sinks at shutdown/);
      // As a CloudWatch Logs export has them: a timestamp before each line; only the pending
      // lines (aws logs filter-log-events --filter-pattern '{ $.event = "result.pending" }').
      const exported = first.stdoutText.split('\n').filter((l) => l.includes('"event":"result.pending"'))
        .map((l) => `2026-01-02T10:00:00.000Z ${l}`).join('\n');
      const log = capture('pending.log', `${exported}\n`);
      await notion.up();
      down = false;
      const fresh = await start([notionSink(notion)]);
      const r = await replay(fresh, [log]);
      assert.equal(r.code, 0, r.output);
      assert.match(r.stdout, /: 20 results \(0 with their result\.committed line\)/);
      assert.equal((r.stdout.match(/^delivered {3}r_/gm) || []).length, 20, r.output);
      assertExactlyOnce(notion, ids);
      // The whole capture, committed lines included: every row is found, none added.
      const whole = capture('stopped.log', first.stdoutText);
      const again = await replay(fresh, [whole, log]);
      assert.equal(again.code, 0, again.output);
      assertExactlyOnce(notion, ids);
    } finally {
      if (down) await notion.up();
    }
  });

  it("an anonymous room's results are logged without names", async () => {
    const first = await start([notionSink(notion)]);
    const room = uniqueRoom('anon');
    const a = await joined(first.wsUrl, room, 'Aiko Hidden');
    const b = await joined(first.wsUrl, room, 'Ben Hidden');
    await a.ok({ type: 'settings', anonymous: true });
    await a.ok({ type: 'story', title: 'Anonymous story' });
    await a.ok({ type: 'vote', card: '5' });
    await b.ok({ type: 'vote', card: '8' });
    await a.ok({ type: 'reveal' });
    await a.ok({ type: 'finalize', estimate: '5' });
    await waitFor(() => resultEvents(first.stdoutText).some((e) => e.event === 'result.delivered'), { what: 'delivered line' });
    const lines = first.stdoutText.split('\n').filter((l) => l.includes('"event":"result.'));
    assert.ok(lines.length >= 2, first.stdoutText);
    for (const l of lines) assert.doesNotMatch(l, /Aiko|Ben/);
    const committed = resultEvents(first.stdoutText).find((e) => e.event === 'result.committed');
    assert.deepEqual(committed.record.votes.map((v) => v.name), [null, null]);
    assert.ok(!first.stdoutText.includes(NOTION_TOKEN));
  });

  it('replay-results refuses bad usage, a config without sinks and a missing file; it reports unreadable lines with file:line', async () => {
    const server = await start([notionSink(notion)]);
    assert.equal(runCli(['replay-results', '--config', server.configPath]).code, 64);
    assert.equal(runCli(['replay-results', '--nope', 'x.log']).code, 64);
    const noSinks = runCli(['replay-results', join(work, 'x.log')]);
    assert.equal(noSinks.code, 2, noSinks.output);
    assert.match(noSinks.stderr, /has no sinks: give the server's config with --config FILE/);
    const missing = await replay(server, [join(work, 'does-not-exist.log')]);
    assert.equal(missing.code, 2, missing.output);
    assert.match(missing.stderr, /cannot read .*does-not-exist\.log/);
    const cut = capture('cut.log', 'some other line\n{"event":"result.committed","resultId":"r_1","roomId":"x","sinks":["notion"],"record":{"resultId":"r_1"\n');
    const r = await replay(server, [cut]);
    assert.equal(r.code, 1, r.output);
    assert.match(r.stdout, /unreadable {2}.*cut\.log:2: names a result event but holds no complete one/);
    assert.match(r.stdout, /summary: 0 results; .* 1 unreadable lines/);
  });
});
