// Run by installed_sdk_test.sh with FP_BUILD_DIR = an installed prefix into which the examples
// were installed: the INSTALLED server loads storage-files and sink-markdown from its own
// plugin folder, a finalized story becomes a Markdown file, and the room outlives a restart.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, BINARY } from '../integration/lib/server.mjs';
import { closeAllClients, uniqueRoom } from '../integration/lib/client.mjs';
import { finalizeStories, waitFor } from '../integration/lib/sinks.mjs';

const dir = mkdtempSync(join(tmpdir(), 'fp-sdk-run-'));
const config = {
  storage: { plugin: 'storage-files', options: { folder: join(dir, 'storage') } },
  sinks: [{ name: 'pages', plugin: 'sink-markdown', options: { folder: join(dir, 'pages') } }],
  delivery: { initialBackoffMs: 100, maxBackoffMs: 500 },
};
let server;
after(async () => {
  await closeAllClients();
  if (server) await server.stop();
  if (!process.env.FP_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
});

test('the installed server writes a finalized story with the example sink', { timeout: 30000 }, async () => {
  assert.ok(BINARY.startsWith(process.env.FP_BUILD_DIR), `not the installed binary: ${BINARY}`);
  server = await startServer({ config, dir });
  const room = uniqueRoom('sdk');
  const [resultId] = await finalizeStories(server, room, ['Install the SDK | from scratch']);
  const page = join(dir, 'pages', `${resultId}.md`);
  await waitFor(() => existsSync(page), { what: `${page} written by sink-markdown` });
  const text = readFileSync(page, 'utf8');
  assert.match(text, /^# Install the SDK \\\| from scratch\n/);
  assert.match(text, /- Estimate: \*\*5\*\*/);

  // storage-files kept the room: after a restart its history is still there.
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
  server = await startServer({ config, dir });
  const history = await server.http(`/api/rooms/${room}/history`);
  assert.equal(history.status, 200, history.text);
  assert.deepEqual(history.json.results.map((r) => r.resultId), [resultId]);
});

test('the installed examples/finalize-story.mjs drives a room to a result the sink writes', { timeout: 30000 }, async () => {
  const script = join(process.env.FP_BUILD_DIR, 'share/doc/fire-poker/examples/finalize-story.mjs');
  assert.ok(existsSync(script), `${script} is not installed`);
  // Run from tests/, where `ws` is installed, so it works on Node 18 too (Node 22: built in).
  const testsDir = dirname(dirname(fileURLToPath(import.meta.url)));
  const room = uniqueRoom('script');
  const r = spawnSync(process.execPath, [script, server.wsUrl, room, 'Scripted | story', '8'], {
    cwd: testsDir, encoding: 'utf8', timeout: 15000,
  });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  const resultId = r.stdout.trim();
  assert.match(resultId, /^r_[0-9a-f]+$/);
  const page = join(dir, 'pages', `${resultId}.md`);
  await waitFor(() => existsSync(page), { what: `${page} written by sink-markdown` });
  assert.match(readFileSync(page, 'utf8'), /- Estimate: \*\*8\*\*/);
});
