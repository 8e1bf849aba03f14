// Command line: --help, --check-config, --list-plugins, --healthcheck, refusing a bad config.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import {
  startServer, testWithLogs, runCli, makeConfig, freePort, BINARY, BUILD_DIR, SOURCE_DIR, childEnv, TEST_SECRET,
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
    // The in-memory storage and bus promise to answer without I/O (commands then run on the
    // event loop); storage-redis does not.
    const block = (name) => r.output.split('\n\n').find((b) => b.startsWith(`${name} `)) || '';
    assert.match(block('storage-memory'), /capabilities: answersFromMemory/);
    assert.match(block('bus-local'), /capabilities: answersFromMemory/);
    assert.doesNotMatch(block('storage-redis'), /capabilities/);
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

// Every way start-up refuses a config (exit code 2) is found by --check-config, with the same
// message: both run app/startup_checks.cpp. Each case runs both commands.
describe('--check-config finds what start-up would refuse', () => {
  const own = mkdtempSync(join(tmpdir(), 'fp-refuse-'));
  after(() => rmSync(own, { recursive: true, force: true }));
  const TEST_PLUGINS = join(BUILD_DIR, 'test-plugins');
  const NOTION_ID = '0123456789abcdef0123456789abcdef';
  const notion = (options = {}) => ({
    sinks: [{ name: 'notion', plugin: 'sink-notion', options: { baseUrl: 'http://127.0.0.1:9/v1', ...options } }],
  });
  let n = 0;

  /** Both commands exit 2 naming the problem; start-up never listens. */
  function bothRefuse(overrides, env, pattern) {
    n += 1;
    const path = join(own, `refused-${n}.json`);
    writeFileSync(path, JSON.stringify(makeConfig(0, own, overrides)));
    for (const args of [['--check-config', path], ['--config', path]]) {
      const r = runCli(args, { env, timeout: 10000 });
      assert.equal(r.signal, null, `${args[0]} did not exit by itself:\n${r.output}`);
      assert.equal(r.code, 2, `${args[0]}:\n${r.output}`);
      assert.match(r.output, pattern, `${args[0]}:\n${r.output}`);
      assert.doesNotMatch(r.output, /listening on/);
    }
  }

  it('sink-notion without a database or data source id', () => {
    bothRefuse(notion(), { FP_SINKS_0_OPTIONS_TOKEN: 'secret_x' },
      /refused-\d+\.json: sinks\.0\.options: set databaseId \(API 2022-06-28\) or dataSourceId \(API 2025-09-03\)/);
  });

  it('sink-notion with both ids, or an id that is not a Notion id', () => {
    bothRefuse(notion({ databaseId: NOTION_ID, dataSourceId: NOTION_ID }), { FP_SINKS_0_OPTIONS_TOKEN: 'secret_x' },
      /sinks\.0\.options: set databaseId or dataSourceId, not both/);
    bothRefuse(notion({ databaseId: 'https://www.notion.so/team/Results' }), { FP_SINKS_0_OPTIONS_TOKEN: 'secret_x' },
      /sinks\.0\.options: databaseId "https:\/\/www\.notion\.so\/team\/Results" is not a Notion id: 32 hexadecimal digits/);
  });

  it('sink-notion without a token, or with a malformed one (never printed)', () => {
    bothRefuse(notion({ databaseId: NOTION_ID }), {}, /sinks\.0\.options: no Notion token: set FP_SINKS_<i>_OPTIONS_TOKEN/);
    const token = 'Bearer secret_do_not_print_me';
    bothRefuse(notion({ databaseId: NOTION_ID }), { FP_SINKS_0_OPTIONS_TOKEN: token },
      /the Notion token starts with "Bearer ": set the integration's secret alone/);
    const r = runCli(['--check-config', join(own, `refused-${n}.json`)], { env: { FP_SINKS_0_OPTIONS_TOKEN: token } });
    assert.ok(!r.output.includes('secret_do_not_print_me'), r.output);
  });

  it('sink-webhook without its signing secret or with a URL that is not http(s)', () => {
    bothRefuse({ sinks: [{ name: 'hook', plugin: 'sink-webhook', options: { url: 'https://hooks.example/x' } }] }, {},
      /sinks\.0\.options: no signing secret: set FP_SINKS_<i>_OPTIONS_SECRET/);
    bothRefuse({ sinks: [{ name: 'hook', plugin: 'sink-webhook', options: { url: 'ftp://hooks.example/x' } }] },
      { FP_SINKS_0_OPTIONS_SECRET: 'a-signing-secret-long-enough' }, /sinks\.0\.options: url "ftp:\/\/hooks\.example\/x" is not an http\(s\) URL/);
  });

  it('FP_RESUME_SECRET too short or its file unreadable', () => {
    bothRefuse({}, { FP_RESUME_SECRET: 'short' }, /environment: FP_RESUME_SECRET: must be at least 16 characters/);
    // runCli sets FP_RESUME_SECRET, which wins over _FILE: these two run without it.
    const path = join(own, 'secret-file.json');
    writeFileSync(path, JSON.stringify(makeConfig(0, own)));
    for (const args of [['--check-config', path], ['--config', path]]) {
      const proc = spawnSync(BINARY, args, {
        env: childEnv({ FP_RESUME_SECRET_FILE: join(own, 'no-such-secret') }), encoding: 'utf8', timeout: 10000,
      });
      assert.equal(proc.status, 2, `${proc.stdout}${proc.stderr}`);
      assert.match(proc.stderr, /environment: FP_RESUME_SECRET: cannot read the file named by FP_RESUME_SECRET_FILE/);
    }
  });

  it('FP_RESUME_SECRET unset is a warning, not a refusal', () => {
    const path = join(own, 'no-secret.json');
    writeFileSync(path, JSON.stringify(makeConfig(0, own)));
    const proc = spawnSync(BINARY, ['--check-config', path], { env: childEnv(), encoding: 'utf8', timeout: 10000 });
    assert.equal(proc.status, 0, `${proc.stdout}${proc.stderr}`);
    assert.match(proc.stderr, /warning: FP_RESUME_SECRET is not set/);
  });

  it('FP_ADMIN_TOKEN empty, too short, or its file unreadable', () => {
    bothRefuse({}, { FP_ADMIN_TOKEN: '' }, /environment: FP_ADMIN_TOKEN: is empty: unset it to keep the admin routes off/);
    bothRefuse({}, { FP_ADMIN_TOKEN: 'admin' }, /environment: FP_ADMIN_TOKEN: must be at least 16 characters/);
    bothRefuse({}, { FP_ADMIN_TOKEN_FILE: join(own, 'no-such-token') },
      /environment: FP_ADMIN_TOKEN: cannot read the file named by FP_ADMIN_TOKEN_FILE/);
  });

  it('a storage that publishes on commit with bus-local', () => {
    bothRefuse({ storage: { plugin: 'storage-redis', options: { url: 'redis://127.0.0.1:1/0' } } }, {},
      /storage\.options: storage storage-redis publishes states itself, which bus-local never receives: use bus-redis, or set storage\.options\.publishOnCommit to false/);
  });

  it("a plugin's own option check (a real one) and a plugin whose constructor throws (a test plugin)", () => {
    bothRefuse({
      storage: { plugin: 'storage-redis', options: { url: 'redis://127.0.0.1:1/3', cluster: true, publishOnCommit: false } },
    }, {}, /storage\.options: cluster: Redis Cluster has only database 0, the url names 3/);
    bothRefuse({ server: { pluginPath: TEST_PLUGINS }, storage: { plugin: 'test-faulty-storage', options: { throwFrom: 'constructor' } } }, {},
      /storage: plugin test-faulty-storage .*failed to create instance.*test fault injected in constructor/);
  });

  it("--check-config lists every problem at once; start-up, the file's first, then the others", () => {
    const env = { FP_RESUME_SECRET: 'short', FP_ADMIN_TOKEN: 'x' };
    const path = join(own, 'many.json');
    writeFileSync(path, JSON.stringify(makeConfig(0, own, { ...notion(), server: { graceSeconds: 'soon' } })));
    const r = runCli(['--check-config', path], { env });
    assert.equal(r.code, 2, r.output);
    assert.match(r.output, /graceSeconds[\s\S]*FP_RESUME_SECRET: must be at least 16[\s\S]*FP_ADMIN_TOKEN: must be at least 16[\s\S]*set databaseId/);
    const started = runCli(['--config', path], { env, timeout: 10000 });
    assert.equal(started.code, 2, started.output);
    assert.match(started.output, /graceSeconds/);
    // With the file right, start-up reports the rest together, as --check-config did.
    bothRefuse(notion(), env, /FP_RESUME_SECRET: must be at least 16[\s\S]*FP_ADMIN_TOKEN: must be at least 16[\s\S]*set databaseId/);
  });
});
