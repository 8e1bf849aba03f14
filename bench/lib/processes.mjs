// Starting and stopping what the benchmark measures: redis-server, fire-poker instances and
// the Node reference, each on a free port, each with its log in the run's folder.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Resolves once `probe` answers true, or rejects after `ms` naming what never came up.
async function waitFor(what, probe, ms, child, logFile) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${what} exited with ${child.exitCode}; see ${logFile}:\n${tail(logFile)}`);
    }
    if (await probe().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`${what} did not come up within ${ms} ms; see ${logFile}`);
}

function tail(file) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

function tcpRoundTrip(port, request, expect) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.setTimeout(500, () => { socket.destroy(); resolve(false); });
    socket.on('connect', () => socket.write(request));
    socket.on('data', (d) => {
      answer += d.toString();
      if (answer.includes(expect)) { socket.destroy(); resolve(true); }
    });
    socket.on('error', () => resolve(false));
  });
}

function start(command, args, logFile, env = {}) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args, {
    stdio: ['ignore', log, log], env: { ...process.env, ...env },
  });
  fs.closeSync(log);
  return child;
}

export async function startRedis(dir) {
  const port = await freePort();
  const logFile = path.join(dir, `redis-${port}.log`);
  const child = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'no', '--dir', dir, '--maxclients', '1000'], logFile);
  await waitFor('redis-server', () => tcpRoundTrip(port, 'PING\r\n', '+PONG'), 10000, child, logFile);
  return { name: 'redis', port, child, pid: child.pid, logFile };
}

// Limits of the server that must let the whole bench in from 127.0.0.1, if this build has
// them (options are checked strictly, so only those the build knows are set).
function serverExtras(binary, dir) {
  const probe = path.join(dir, 'probe.json');
  fs.writeFileSync(probe, '{}');
  const printed = JSON.parse(spawnSync(binary, ['--print-config', probe], { encoding: 'utf8' }).stdout || '{}');
  const server = {};
  const transport = {};
  if (printed.server && 'maxConnectionsPerAddress' in printed.server) server.maxConnectionsPerAddress = 100000;
  if (printed.server && 'maxRoomsPerInstance' in printed.server) server.maxRoomsPerInstance = 100000;
  const tOptions = printed.transport?.options || {};
  if ('maxConnectionsPerAddress' in tOptions) transport.maxConnectionsPerAddress = 0; // 0 = no limit
  return { server, transport };
}

export async function startFirePoker({ binary, dir, storage, redisPort, instance, extraServer = {}, extraTransport = {} }) {
  const extras = serverExtras(binary, dir);
  const port = await freePort();
  const redisUrl = `redis://127.0.0.1:${redisPort}/0`;
  const config = {
    server: {
      listen: `127.0.0.1:${port}`,
      instanceId: `bench-${instance}`,
      // The load comes from one address at far more than a person's rate.
      messagesPerSecond: 10000,
      messageBurst: 10000,
      ...extras.server,
      ...extraServer,
    },
    log: { format: 'text', level: 'warn' },
    transport: { plugin: 'transport-websocket', options: { ...extras.transport, ...extraTransport } },
    storage: storage === 'redis'
      ? { plugin: 'storage-redis', options: { url: redisUrl, keyPrefix: 'bench' } }
      : { plugin: 'storage-memory' },
    bus: storage === 'redis'
      ? { plugin: 'bus-redis', options: { url: redisUrl, keyPrefix: 'bench' } }
      : { plugin: 'bus-local' },
    sinks: [],
  };
  const configFile = path.join(dir, `fire-poker-${port}.json`);
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const logFile = path.join(dir, `fire-poker-${port}.log`);
  const child = start(binary, ['--config', configFile], logFile,
    { FP_RESUME_SECRET: 'bench-resume-secret-0123456789' });
  await waitFor('fire-poker', () => tcpRoundTrip(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', ' 200 '),
    15000, child, logFile);
  return { name: 'fire-poker', port, child, pid: child.pid, logFile, configFile };
}

export async function startReference({ dir, script }) {
  const port = await freePort();
  const logFile = path.join(dir, `reference-${port}.log`);
  const child = start(process.execPath, [script, '--port', String(port)], logFile);
  await waitFor('reference', () => tcpRoundTrip(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', ' 200 '),
    10000, child, logFile);
  return { name: 'reference', port, child, pid: child.pid, logFile };
}

export async function stop(proc) {
  if (!proc || proc.child.exitCode !== null) return;
  const exited = new Promise((r) => proc.child.once('exit', r));
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 15000);
  await exited;
  clearTimeout(timer);
}

// CPU time (utime + stime, in clock ticks) of a process, for waiting until it is idle.
export function cpuTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

// Waits until the processes used no CPU for 300 ms (e.g. the last disconnects of a scenario
// are processed), at most `ms`.
export async function settle(pids, ms = 20000) {
  const deadline = Date.now() + ms;
  let last = pids.map(cpuTicks).reduce((a, b) => a + b, 0);
  while (Date.now() < deadline) {
    await sleep(300);
    const now = pids.map(cpuTicks).reduce((a, b) => a + b, 0);
    if (now - last <= 1) return;
    last = now;
  }
}

// Redis calls so far (INFO commandstats, summed over commands), to count calls per command.
export function redisCalls(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.setTimeout(2000, () => { socket.destroy(); resolve(null); });
    socket.on('connect', () => socket.write('INFO commandstats\r\n'));
    socket.on('data', (d) => {
      answer += d.toString();
      const header = /^\$(\d+)\r\n/.exec(answer);
      if (header && Buffer.byteLength(answer) >= header[0].length + Number(header[1])) {
        socket.destroy();
        let calls = 0;
        for (const m of answer.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) {
          if (m[1] !== 'info') calls += Number(m[2]);
        }
        resolve(calls);
      }
    });
    socket.on('error', () => resolve(null));
  });
}
