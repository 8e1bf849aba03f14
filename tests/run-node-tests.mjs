// Runs every *.test.mjs under the given folders, one file at a time (`node --test FILE`), so
// the suites behave the same on Debian 12's Node 18 as on Node 20, and each file's server
// has the machine to itself. Prints "N passed, N failed" and exits non-zero on any failure
// or when no test ran.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const folders = process.argv.slice(2);
if (folders.length === 0) {
  console.error('usage: node run-node-tests.mjs FOLDER...');
  process.exit(64);
}
const files = folders.flatMap((folder) =>
  readdirSync(folder)
    .filter((name) => name.endsWith('.test.mjs'))
    .sort()
    .map((name) => resolve(join(folder, name))));

let passed = 0;
let failed = 0;
let brokenFiles = 0;
for (const file of files) {
  const child = spawn(process.execPath, ['--test', '--test-reporter=tap', file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
  });
  const code = await new Promise((done) => child.on('close', done));
  const count = (name) => Number((output.match(new RegExp(`^# ${name} (\\d+)$`, 'm')) || [])[1] || 0);
  passed += count('pass');
  failed += count('fail') + count('cancelled');
  if (code !== 0 && count('fail') + count('cancelled') === 0) brokenFiles += 1;
}
console.log(`\n${files.length} files`);
console.log(`${passed} passed, ${failed + brokenFiles} failed`);
process.exit(failed + brokenFiles > 0 || passed === 0 ? 1 : 0);
