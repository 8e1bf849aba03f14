#!/usr/bin/env node
// The soak test of issue 9 (not in CI): steady votes in many rooms while connections keep
// closing and coming back with their resume tokens, for a bounded time. Reports the server's
// RSS, open descriptors and threads at the start and at the end of the measured window and
// fails on growth beyond noise or on any unexpected error.
//
// usage: node bench/soak.mjs [DURATION] [--build-dir DIR] [--storage memory|redis]
//                            [--rooms N] [--churn CONNS/S]
//   DURATION: seconds, or with a unit: 90s, 3m, 1h (default 30m)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { settle, startFirePoker, startRedis, stop } from './lib/processes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function parseDuration(text) {
  const match = /^(\d+(?:\.\d+)?)([smh]?)$/.exec(text);
  if (!match) throw new Error(`bad duration '${text}': use seconds or 90s, 3m, 1h`);
  return Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600 }[match[2]];
}

function parseArgs(argv) {
  const args = { seconds: 1800, buildDir: path.join(path.dirname(here), 'build'), storage: 'memory', rooms: 200, churn: 20 };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--build-dir') args.buildDir = path.resolve(argv[++i]);
    else if (a === '--storage') args.storage = argv[++i];
    else if (a === '--rooms') args.rooms = Number(argv[++i]);
    else if (a === '--churn') args.churn = Number(argv[++i]);
    else if (!a.startsWith('--')) args.seconds = parseDuration(a);
    else throw new Error(`unknown argument ${a}`);
  }
  if (!['memory', 'redis'].includes(args.storage)) throw new Error('--storage is memory or redis');
  return args;
}

// Growth beyond noise: RSS may move with the allocator's caches, so it gets 10% + 8 MiB of
// slack (a leak of one connection's buffers per churn would pass that within minutes);
// descriptors and threads must come back to where they were, give or take the connections
// being re-established at the instant of the sample.
function judge(start, end, churn) {
  const problems = [];
  const rssLimit = start.rssKiB * 1.1 + 8192;
  if (end.rssKiB > rssLimit) problems.push(`RSS grew from ${start.rssKiB} KiB to ${end.rssKiB} KiB (limit ${Math.round(rssLimit)})`);
  const fdLimit = start.fds + Math.max(5, Math.ceil(churn));
  if (end.fds > fdLimit) problems.push(`open descriptors grew from ${start.fds} to ${end.fds} (limit ${fdLimit})`);
  if (end.threads > start.threads + 1) problems.push(`threads grew from ${start.threads} to ${end.threads}`);
  return problems;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const binary = path.join(args.buildDir, 'bin', 'fire-poker');
  const loadgen = path.join(args.buildDir, 'bin', 'fp-loadgen');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-soak-'));
  console.log(`soak: ${args.seconds} s on storage-${args.storage}, ${args.rooms} rooms x 10, 1 vote/s a room, ${args.churn} reconnects/s; logs in ${dir}`);
  let redis = null;
  let server = null;
  let report = null;
  try {
    if (args.storage === 'redis') redis = await startRedis(dir);
    server = await startFirePoker({ binary, dir, storage: args.storage, redisPort: redis?.port, instance: 1 });
    await settle([server.pid]);
    const loadArgs = ['--mode', 'soak', '--port', String(server.port), '--pid', String(server.pid),
      '--rooms', String(args.rooms), '--per-room', '10', '--rate', '1', '--churn', String(args.churn),
      '--warmup', '20', '--duration', String(args.seconds), '--prefix', 'soak'];
    report = await new Promise((resolve, reject) => {
      const child = spawn(loadgen, loadArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => fs.appendFileSync(path.join(dir, 'loadgen.log'), d));
      child.on('exit', (code) => {
        try { resolve(JSON.parse(out)); } catch { reject(new Error(`fp-loadgen exited ${code} without a report; see ${dir}/loadgen.log`)); }
      });
    });
    if (server.child.exitCode !== null) throw new Error(`fire-poker died; see ${server.logFile}`);
  } finally {
    await stop(server);
    await stop(redis);
  }
  const { serverStart: start, serverEnd: end } = report;
  const serverLog = fs.readFileSync(server.logFile, 'utf8');
  const logErrors = serverLog.split('\n').filter((l) => /\b(error|critical)\b/i.test(l));
  console.log('            RSS KiB   fds  threads');
  console.log(`  start  ${String(start.rssKiB).padStart(10)} ${String(start.fds).padStart(5)} ${String(start.threads).padStart(8)}`);
  console.log(`  end    ${String(end.rssKiB).padStart(10)} ${String(end.fds).padStart(5)} ${String(end.threads).padStart(8)}`);
  console.log(`  votes ${report.votes}, deliveries ${report.deliveries}, reconnects ${report.welcomed - report.connectionsWanted}, errors ${report.errors} ${JSON.stringify(report.errorCodes)}, server log errors ${logErrors.length}`);
  const problems = judge(start, end, args.churn);
  if (report.errors !== 0) problems.push(`${report.errors} unexpected errors from the load generator: ${JSON.stringify(report.errorCodes)}`);
  if (report.deliveries === 0) problems.push('no state was delivered');
  if (logErrors.length) problems.push(`${logErrors.length} error lines in the server log, e.g. ${logErrors[0]}`);
  if (problems.length) {
    console.log(`soak FAILED:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log('soak passed: no growth beyond noise, no unexpected errors');
  }
}

main().catch((e) => {
  console.error(`soak: ${e.message}`);
  process.exitCode = 2;
});
