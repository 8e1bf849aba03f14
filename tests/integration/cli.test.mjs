// Command line: --help, --check-config, --list-plugins, --healthcheck, refusing a bad config.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import {
  startServer, testWithLogs, runCli, makeConfig, freePort, BINARY, SOURCE_DIR, childEnv, TEST_SECRET,
} from './lib/server.mjs';

let srv;
const it = testWithLogs(() => srv);
const dir = mkdtempSync(join(tmpdir(), 'fp-cli-'));

function writeConfig(name, content) {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
}

function goodConfig(over = {}) {
  return makeConfig(8080, dir, over);
}

describe('command line', () => {
  before(async () => { srv = await startServer(); });
  after(async () => { if (srv) await srv.stop(); rmSync(dir, { recursive: true, force: true }); });

  it('--help exits 0 and lists the options', () => {
    const r = runCli(['--help']);
    assert.equal(r.code, 0, r.output);
    for (const opt of ['--config', '--check-config', '--list-plugins', '--healthcheck']) {
      assert.ok(r.output.includes(opt), `--help does not mention ${opt}:\n${r.output}`);
    }
  });

  it('--list-settings is the table of core settings, and docs/configuration.md holds it as printed', () => {
    const r = runCli(['--list-settings']);
    assert.equal(r.code, 0, r.output);
    const docs = readFileSync(join(SOURCE_DIR, 'docs', 'configuration.md'), 'utf8');
    const block = /<!-- settings:begin[^>]*-->\n([\s\S]*?)<!-- settings:end -->/.exec(docs);
    assert.ok(block, 'docs/configuration.md has no settings block');
    assert.equal(block[1], r.stdout, 'docs/configuration.md differs from fire-poker --list-settings: paste its output');
    // Every setting --print-config shows is in the table, and the other way round.
    const printed = JSON.parse(runCli(['--print-config', 'configs/local.json'], { cwd: SOURCE_DIR }).stdout);
    const listed = [...r.stdout.matchAll(/^\| `([a-z]+)\.([A-Za-z]+)` \|/gm)].map((m) => `${m[1]}.${m[2]}`);
    const shown = [];
    for (const section of ['server', 'log', 'delivery', 'telemetry']) {
      for (const key of Object.keys(printed[section])) shown.push(`${section}.${key}`);
    }
    assert.deepEqual(shown.sort(), listed.sort());
  });

  it('--check-config accepts configs/local.json and a complete test config', () => {
    const r = runCli(['--check-config', 'configs/local.json'], { cwd: SOURCE_DIR });
    assert.equal(r.code, 0, r.output);
    const p = writeConfig('good.json', goodConfig());
    const r2 = runCli(['--check-config', p]);
    assert.equal(r2.code, 0, r2.output);
  });

  it('--check-config rejects an unknown plugin, naming the file and the key', () => {
    const p = writeConfig('unknown-plugin.json', goodConfig({ storage: { plugin: 'storage-nope' } }));
    const r = runCli(['--check-config', p]);
    assert.notEqual(r.code, 0, r.output);
    assert.equal(r.signal, null, 'must exit, not crash');
    assert.ok(r.output.includes('unknown-plugin.json'), `file not named:\n${r.output}`);
    assert.match(r.output, /storage/, `key not named:\n${r.output}`);
    assert.ok(r.output.includes('storage-nope'), `plugin name not named:\n${r.output}`);
  });

  it('--check-config rejects a wrong type for server.graceSeconds, naming the file and the key', () => {
    const p = writeConfig('wrong-type.json', goodConfig({ server: { graceSeconds: 'ten minutes' } }));
    const r = runCli(['--check-config', p]);
    assert.notEqual(r.code, 0, r.output);
    assert.equal(r.signal, null);
    assert.ok(r.output.includes('wrong-type.json'), `file not named:\n${r.output}`);
    assert.match(r.output, /graceSeconds/, `key not named:\n${r.output}`);
  });

  it('--check-config rejects a wrong type for a plugin option (validated from the manifest)', () => {
    const p = writeConfig('wrong-option.json', goodConfig({ transport: { options: { pingIntervalSeconds: 'often' } } }));
    const r = runCli(['--check-config', p]);
    assert.notEqual(r.code, 0, r.output);
    assert.ok(r.output.includes('wrong-option.json'), `file not named:\n${r.output}`);
    assert.match(r.output, /pingIntervalSeconds/, `key not named:\n${r.output}`);
  });

  it("--check-config runs a plugin's own option checks (trustedProxies must be CIDR blocks), and so does start-up", () => {
    const bad = writeConfig('bad-proxies.json', goodConfig({ transport: { options: { trustedProxies: '10.0.0.0/8, lb.internal' } } }));
    for (const args of [['--check-config', bad], ['--config', bad]]) {
      const r = runCli(args, { timeout: 10000 });
      assert.equal(r.signal, null, r.output);
      assert.equal(r.code, 2, r.output);
      assert.ok(r.output.includes('bad-proxies.json: transport.options: transport-websocket option trustedProxies'),
        `file, path and option not named:\n${r.output}`);
      assert.match(r.output, /'lb\.internal' is not an IP address or CIDR block/);
      assert.doesNotMatch(r.output, /listening on/);
    }
    const good = writeConfig('good-proxies.json', goodConfig({ transport: { options: { trustedProxies: '10.0.0.0/8, fd00::/8, 127.0.0.1' } } }));
    const r = runCli(['--check-config', good]);
    assert.equal(r.code, 0, r.output);
  });

  it('--check-config rejects invalid JSON and a missing file, naming the file', () => {
    const p = writeConfig('broken.json', '{"server": {"listen": "127.0.0.1:1",}\n');
    const r = runCli(['--check-config', p]);
    assert.notEqual(r.code, 0, r.output);
    assert.equal(r.signal, null);
    assert.ok(r.output.includes('broken.json'), `file not named:\n${r.output}`);
    const missing = join(dir, 'does-not-exist.json');
    const r2 = runCli(['--check-config', missing]);
    assert.notEqual(r2.code, 0, r2.output);
    assert.ok(r2.output.includes('does-not-exist.json'), `file not named:\n${r2.output}`);
  });

  it('--check-config rejects a wrong type coming from an env var, naming it', () => {
    const p = writeConfig('env-good.json', goodConfig());
    const r = runCli(['--check-config', p], { env: { FP_SERVER_GRACESECONDS: 'soon' } });
    assert.notEqual(r.code, 0, r.output);
    assert.match(r.output, /FP_SERVER_GRACESECONDS|graceSeconds/i, `key not named:\n${r.output}`);
  });

  it('--config with a bad file refuses to start (non-zero exit, no crash)', async () => {
    const port = await freePort();
    const p = writeConfig('bad-start.json', makeConfig(port, dir, { bus: { plugin: 'bus-nope' } }));
    const r = runCli(['--config', p], { timeout: 10000 });
    assert.equal(r.signal, null, `did not exit by itself (or crashed): ${r.signal}\n${r.output}`);
    assert.notEqual(r.code, 0, r.output);
    assert.match(r.output, /bus-nope/);
  });

  it('--list-plugins prints the manifests of the bundled plugins', () => {
    const r = runCli(['--list-plugins']);
    assert.equal(r.code, 0, r.output);
    for (const name of ['transport-websocket', 'storage-memory', 'bus-local', 'sink-jsonl']) {
      assert.ok(r.output.includes(name), `${name} not listed:\n${r.output}`);
    }
    assert.match(r.output, /transport/);
    assert.match(r.output, /storage/);
    assert.match(r.output, /sink/);
  });

  it('--healthcheck exits 0 against a running server and non-zero against a closed port', async () => {
    const ok = runCli(['--healthcheck', `${srv.base}/healthz`]);
    assert.equal(ok.code, 0, ok.output);
    const port = await freePort();
    const t0 = Date.now();
    const bad = runCli(['--healthcheck', `http://127.0.0.1:${port}/healthz`], { timeout: 20000 });
    assert.equal(bad.signal, null, 'healthcheck hung');
    assert.notEqual(bad.code, 0, bad.output);
    assert.ok(Date.now() - t0 < 15000, 'healthcheck against a closed port took too long');
  });

  it('two servers cannot listen on the same port: the second exits non-zero', async () => {
    const cfg = makeConfig(srv.port, dir);
    const p = writeConfig('same-port.json', cfg);
    const proc = spawn(BINARY, ['--config', p], { env: childEnv({ FP_RESUME_SECRET: TEST_SECRET }), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d) => { out += d; });
    proc.stderr.on('data', (d) => { out += d; });
    const exit = await new Promise((resolve) => {
      const t = setTimeout(() => { proc.kill('SIGKILL'); resolve({ code: 'timeout' }); }, 10000);
      proc.on('exit', (code, signal) => { clearTimeout(t); resolve({ code, signal }); });
    });
    assert.notEqual(exit.code, 'timeout', 'second server kept running on a busy port');
    assert.notEqual(exit.code, 0, out);
    const h = await srv.http('/healthz');
    assert.equal(h.status, 200, 'first server unaffected');
  });
});

describe('--print-config', () => {
  it('prints the effective config with secrets redacted and environment overrides applied', () => {
    const own = mkdtempSync(join(tmpdir(), 'fp-print-'));
    const p = join(own, 'print.json');
    writeFileSync(p, JSON.stringify({
      server: { listen: '127.0.0.1:8181' },
      storage: { plugin: 'storage-redis', options: { url: 'redis://127.0.0.1:6399/0' } },
      bus: { plugin: 'bus-redis', options: { url: 'redis://127.0.0.1:6399/0' } },
    }));
    const r = runCli(['--print-config', p], {
      env: { FP_STORAGE_OPTIONS_PASSWORD: 'hunter2-do-not-print', FP_SERVER_GRACESECONDS: '42' },
    });
    assert.equal(r.code, 0, r.output);
    assert.ok(!r.output.includes('hunter2-do-not-print'), 'the secret was printed');
    const printed = JSON.parse(r.stdout);
    assert.equal(printed.storage.options.password, '<redacted>');
    assert.equal(printed.storage.options.url, 'redis://127.0.0.1:6399/0');
    assert.equal(printed.server.graceSeconds, 42);
    assert.equal(printed.server.listen, '127.0.0.1:8181');
    assert.equal(printed.delivery.requestsPerSecond, 3);
    rmSync(own, { recursive: true, force: true });
  });
});
