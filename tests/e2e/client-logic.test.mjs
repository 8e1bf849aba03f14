// The web client's pure functions, imported straight from web/ (no browser needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SOURCE_DIR = process.env.FP_SOURCE_DIR || '/work/main';
const load = (file) => import(pathToFileURL(path.join(SOURCE_DIR, 'web', file)).href);

test('reconnect backoff doubles from 0.5 s with jitter and is capped at 30 s', async () => {
  const { backoffDelay } = await load('connection.js');
  assert.equal(backoffDelay(0, () => 0), 250);
  assert.equal(backoffDelay(0, () => 1), 500);
  assert.equal(backoffDelay(3, () => 1), 4000);
  for (let n = 0; n < 40; n++) assert.ok(backoffDelay(n) <= 30000);
  assert.equal(backoffDelay(20, () => 0), 15000);
});

test('pasted lines become stories with optional ref and link', async () => {
  const { parseStoryLines } = await load('render/queue.js');
  assert.deepEqual(parseStoryLines('FP-13 Signup form\n\n  - #42: Fix login https://x.test/42 \nJust a title'), [
    { title: 'Signup form', ref: 'FP-13', url: null },
    { title: 'Fix login', ref: '#42', url: 'https://x.test/42' },
    { title: 'Just a title', ref: null, url: null },
  ]);
  assert.equal(parseStoryLines('x'.repeat(300))[0].title.length, 256);
  assert.deepEqual(parseStoryLines('javascript:alert(1)'), [{ title: 'javascript:alert(1)', ref: null, url: null }]);
});

test('the suggested estimate is the most common card, ties to the larger', async () => {
  const { mostCommonCard, fmtNumber, fmtPercent } = await load('stats.js');
  const deck = ['0', '1', '2', '3', '5', '8', '13', '?', 'coffee'];
  assert.equal(mostCommonCard({ distribution: { 5: 1, 8: 1 } }, deck), '8');
  assert.equal(mostCommonCard({ distribution: { 3: 2, 8: 1, '?': 5 } }, deck), '3');
  assert.equal(mostCommonCard({ distribution: { coffee: 2 } }, deck), null);
  assert.equal(fmtNumber(6.5), '6.5');
  assert.equal(fmtNumber(2 / 3), '0.7');
  assert.equal(fmtNumber(null), '–');
  assert.equal(fmtPercent(0.5), '50%');
});

test('a lost room is recognised by a lower version or a vanished newest result', async () => {
  const { roomWasLost } = await load('session.js');
  assert.equal(roomWasLost({ version: 40 }, { version: 3, history: [] }), true);
  assert.equal(roomWasLost({ version: 4, newestResult: 'r_1' }, { version: 9, history: [] }), true);
  assert.equal(roomWasLost({ version: 4, newestResult: 'r_1' }, { version: 9, history: [{ resultId: 'r_1' }] }), false);
  assert.equal(roomWasLost({ version: 4, newestResult: null }, { version: 4, history: [] }), false);
});

test('no copy of the server\'s deck presets in web/: they come with welcome.decks', async () => {
  const fs = await import('node:fs');
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (e.name.endsWith('.js')) files.push(path.join(dir, e.name));
    }
  };
  walk(path.join(SOURCE_DIR, 'web'));
  for (const f of files) {
    const src = fs.readFileSync(f, 'utf8');
    // Runs of preset cards, as a list or as text ("XS S M L XL XXL", '21', '34'...).
    assert.doesNotMatch(src, /XL[\s'",]+XXL|16[\s'",]+32[\s'",]+64|21[\s'",]+34|20[\s'",]+40[\s'",]+100/, `${f} lists preset cards`);
  }
  const { presetLabel } = await load('render/settings.js');
  assert.equal(presetLabel('fibonacci', ['0', '1', '2', '3', '5', '8', '13', '21', '34', '?', 'coffee']), 'Fibonacci (0 1 2 3 5 8 13 21 …)');
  assert.equal(presetLabel('odd', ['1', '3', '?']), 'odd (1 3)');
});

test('room ids from typed names', async () => {
  const { roomIdFrom, ROOM_ID, nameProblem } = await load('names.js');
  assert.equal(roomIdFrom('Team Alpha'), 'Team-Alpha');
  assert.equal(roomIdFrom('Équipe  été!'), 'Equipe-ete');
  assert.ok(ROOM_ID.test(roomIdFrom('a'.repeat(100))));
  assert.equal(nameProblem('  '), 'Please enter your name.');
  assert.equal(nameProblem('ok'), '');
  assert.match(nameProblem('a\u0007b'), /control/);
});
