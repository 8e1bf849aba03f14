#!/usr/bin/env node
// The bench's own smoke test (ctest label `bench`): the load generator against a real
// fire-poker, once on storage-memory and once on storage-redis (a redis-server of its own),
// in a few seconds. Fails unless every connection was welcomed, states were delivered and
// timed, and nothing went wrong, so the bench cannot rot unnoticed.
//
// usage: node bench/smoke.mjs --build-dir DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startFirePoker, startRedis, stop } from './lib/processes.mjs';

const buildDir = path.resolve(process.argv[process.argv.indexOf('--build-dir') + 1] || 'build');
const binary = path.join(buildDir, 'bin', 'fire-poker');
const loadgen = path.join(buildDir, 'bin', 'fp-loadgen');

function check(label, report, problems) {
  const wanted = report.connectionsWanted;
  if (report.welcomed < wanted) problems.push(`${label}: ${report.welcomed}/${wanted} welcomed`);
  if (!(report.deliveries > 0)) problems.push(`${label}: no state was delivered`);
  if (!(report.latencySamples > 0)) problems.push(`${label}: no fan-out latency was timed`);
  if (report.errors !== 0) problems.push(`${label}: ${report.errors} errors ${JSON.stringify(report.errorCodes)}`);
  if (report.unmatched !== 0) problems.push(`${label}: ${report.unmatched} vote states not paired with their vote`);
  if (!(report.serverEnd.cpuMicros >= report.serverStart.cpuMicros && report.serverLoaded.rssKiB > 0)) {
    problems.push(`${label}: the server's /proc figures were not read`);
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-bench-smoke-'));
  const problems = [];
  for (const storage of ['memory', 'redis']) {
    let redis = null;
    let server = null;
    try {
      if (storage === 'redis') redis = await startRedis(dir);
      server = await startFirePoker({ binary, dir, storage, redisPort: redis?.port, instance: 1 });
      for (const mode of ['steady', 'saturate']) {
        const args = ['--port', String(server.port), '--pid', String(server.pid), '--mode', mode,
          '--rooms', '20', '--per-room', '5', '--rate', '2', '--warmup', '0.5', '--duration', '1.5',
          '--prefix', `smoke-${mode}`];
        const run = spawnSync(loadgen, args, { encoding: 'utf8', timeout: 30000 });
        let report;
        try {
          report = JSON.parse(run.stdout);
        } catch {
          problems.push(`${storage} ${mode}: fp-loadgen exited ${run.status} without a report: ${run.stderr}`);
          continue;
        }
        check(`${storage} ${mode}`, report, problems);
        console.log(`${storage} ${mode}: ${report.deliveries} deliveries, p99 ${report.p99Ms} ms, errors ${report.errors}`);
      }
    } finally {
      await stop(server);
      await stop(redis);
    }
  }
  if (problems.length) {
    console.error(`bench smoke failed (logs in ${dir}):\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`bench smoke: ${e.message}`);
  process.exitCode = 2;
});
