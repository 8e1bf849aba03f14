// A rolling deployment (issue 15): two fire-poker processes on separate memory storages,
// sharing one sink-jsonl results file and FP_RESUME_SECRET, behind a TCP proxy playing the
// load balancer. The proxy sends new connections to server B, then A gets SIGTERM and
// closes every WebSocket with 1001. Every page reconnects by itself and shows its room
// again: the same seats (participant ids, names, roles), the own vote, the story and the
// history (read back from the results file). Prints how long each page took.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, getJson } from './lib/server.mjs';
import { startProxy } from './lib/proxy.mjs';
import {
  launchBrowser, text, pressed, newUser, joinRoom, card, seatText, eventually, memoryOf,
} from './lib/browser.mjs';

const room = 'deploy-room';
let serverA;
let serverB;
let proxy;
let browser;
let dir;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-e2e-deploy-'));
  [serverA, browser] = await Promise.all([startServer({ dir }), launchBrowser()]);
  proxy = await startProxy(serverA.port);
});

after(async () => {
  await browser?.close();
  await proxy?.close();
  await serverA?.stop();
  await serverB?.stop();
});

// In the page: the connection was lost, then connected again with every expected seat
// shown by name, the story and the history row. Resolves with the time that first held.
async function roomShown(page, { names, story, historyTitle }) {
  await page.waitForFunction(() => document.querySelector('#conn .conn-label')?.textContent !== 'Connected',
    null, { timeout: 30000, polling: 10 });
  return page.waitForFunction(({ names: n, story: s, historyTitle: h }) => {
    const status = document.querySelector('#conn .conn-label')?.textContent;
    const seats = [...document.querySelectorAll('.seats .seat .name-text')].map((e) => e.textContent);
    const title = document.querySelector('.story-title')?.textContent;
    const hist = document.querySelector('.history .hist-title')?.textContent || '';
    return status === 'Connected' && seats.length === n.length && n.every((x) => seats.includes(x))
      && title === s && hist.includes(h);
  }, { names, story, historyTitle }, { timeout: 30000, polling: 25 }).then(() => Date.now());
}

test('a rolling deploy keeps the room whole: seats, roles, own vote, story and history come back', async () => {
  const alice = await newUser(browser);
  const bob = await newUser(browser);
  const carol = await newUser(browser);
  const users = { Alice: alice, Bob: bob, Carol: carol };
  // Each page notes the close codes its sockets get (A says 1001, "going away").
  for (const u of Object.values(users)) {
    await u.context.addInitScript(() => {
      window.fpCloseCodes = [];
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener('close', (ev) => window.fpCloseCodes.push(ev.code));
        }
      };
    });
  }
  await joinRoom(alice, proxy.base, room, 'Alice');
  await joinRoom(bob, proxy.base, room, 'Bob');
  await joinRoom(carol, proxy.base, room, 'Carol', { observer: true });
  const [a, b] = [alice.page, bob.page];

  // A finalized result in the history, then a story with one vote in.
  await a.getByText('Set or edit the story').click();
  await a.getByLabel('Story title').fill('Warm-up');
  await a.getByRole('button', { name: 'Set story' }).click();
  await card(a, '2').click();
  await card(b, '3').click();
  await eventually(async () => assert.match(await text(a.locator('.seats-summary')), /2 of 2 voted/));
  await a.getByRole('button', { name: 'Reveal' }).click();
  await a.getByLabel('Estimate').fill('3');
  await a.getByRole('button', { name: 'Finalize' }).click();
  await eventually(async () => assert.equal(await a.locator('.history .hist-item').count(), 1));
  await a.getByText('Set or edit the story').click();
  await a.getByLabel('Story title').fill('Deploy day');
  await a.getByLabel('Ref', { exact: true }).fill('FP-15');
  await a.getByRole('button', { name: 'Set story' }).click();
  await eventually(async () => assert.equal(await b.locator('.story-title').innerText(), 'Deploy day'));
  await card(b, '8').click();
  await eventually(async () => assert.match(await text(a.locator('.seats-summary')), /1 of 2 voted/));
  await eventually(async () => assert.equal((await memoryOf(b, room)).vote?.card, '8'));

  const before = (await getJson(`${serverA.base}/api/rooms/${room}`)).body;
  const seatsBefore = before.participants.map((p) => ({ id: p.id, name: p.name, role: p.role })).sort((x, y) => x.name.localeCompare(y.name));
  assert.deepEqual(seatsBefore.map((p) => [p.name, p.role]), [['Alice', 'facilitator'], ['Bob', 'voter'], ['Carol', 'observer']]);
  assert.ok(fs.readFileSync(path.join(dir, 'results.jsonl'), 'utf8').includes('Warm-up'), 'A delivered the result to the shared file');

  // The new revision starts beside the old one; the balancer sends new connections to it.
  serverB = await startServer({ dir });
  // What each page shows meanwhile, every change noted (printed below).
  for (const u of Object.values(users)) await u.page.evaluate(() => {
    window.fpSeen = [];
    const note = () => {
      const seen = [
        document.querySelector('#conn .conn-label')?.textContent,
        `${document.querySelectorAll('.seats .seat').length} seats`,
        document.querySelector('.story-title')?.textContent,
        `${document.querySelectorAll('.history .hist-item').length} results`,
        `own card ${document.querySelector('.deck .card[aria-pressed="true"]')?.getAttribute('aria-label') ?? '-'}`,
      ].join(' | ');
      if (window.fpSeen.at(-1)?.seen !== seen) window.fpSeen.push({ at: Date.now(), seen });
    };
    note();
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  proxy.switchTo(serverB.port);
  const t0 = Date.now();
  const shown = Object.fromEntries(Object.entries(users).map(([n, u]) => [n,
    roomShown(u.page, { names: ['Alice', 'Bob', 'Carol'], story: 'Deploy day', historyTitle: 'Warm-up' })]));
  await serverA.stop(); // SIGTERM: A closes every WebSocket with 1001 and exits
  const aExited = Date.now();
  assert.equal(serverA.proc.exitCode, 0, 'A shut down cleanly');
  assert.match(serverA.log(), /received SIGTERM: shutting down/);

  const took = {};
  for (const [n, p] of Object.entries(shown)) took[n] = (await p) - t0;
  console.log(`rolling deploy: A exited ${aExited - t0} ms after SIGTERM; room shown again after ${
    Object.entries(took).map(([n, ms]) => `${n} ${ms} ms`).join(', ')}`);
  assert.ok(proxy.connectionsTo(serverB.port) >= 3, 'every page reconnected through the balancer to B');
  for (const [n, u] of Object.entries(users)) {
    assert.deepEqual(await u.page.evaluate(() => window.fpCloseCodes), [1001], `${n}: one close, 1001 from A`);
  }

  // B holds the same seats (ids, names, roles), the story, Bob's vote and the history.
  const after = await eventually(async () => {
    const { body } = await getJson(`${serverB.base}/api/rooms/${room}`);
    assert.equal(body.story?.title, 'Deploy day');
    assert.equal(body.story?.ref, 'FP-15');
    const seats = body.participants.map((p) => ({ id: p.id, name: p.name, role: p.role })).sort((x, y) => x.name.localeCompare(y.name));
    assert.deepEqual(seats, seatsBefore, 'same ids, names and roles (the facilitator handed back)');
    assert.deepEqual(body.participants.filter((p) => p.voted).map((p) => p.name), ['Bob']);
    return body;
  }, { timeout: 15000 });
  assert.deepEqual(after.history.map((r) => [r.story.title, r.estimate]), [['Warm-up', '3']]);
  const restoredAt = Date.now() - t0;
  console.log(`rolling deploy: seats, roles, story and vote complete on B after ${restoredAt} ms`);
  for (const [n, u] of Object.entries(users)) {
    const timeline = await u.page.evaluate(() => window.fpSeen);
    console.log(`what ${n}'s page showed:\n${timeline.map((e) => `  ${String(e.at - t0).padStart(5)} ms  ${e.seen}`).join('\n')}`);
  }

  // Every page shows it: the seats with roles, Bob's own card chosen again.
  for (const [n, u] of Object.entries(users)) {
    assert.equal((await memoryOf(u.page, room)).participantId, seatsBefore.find((p) => p.name === n).id);
    await eventually(async () => assert.match(await seatText(u.page, 'Alice'), /Facilitator/));
    await eventually(async () => assert.match(await seatText(u.page, 'Carol'), /Observer/));
  }
  await eventually(async () => assert.equal(await pressed(b, '8'), 'true'));
  await a.getByRole('button', { name: 'Reveal' }).click();
  for (const u of Object.values(users)) await eventually(async () => assert.match(await seatText(u.page, 'Bob'), /card 8/));

  for (const u of Object.values(users)) {
    assert.deepEqual(u.problems.pageErrors, []);
    assert.deepEqual(u.problems.dialogs, []);
    assert.deepEqual(u.problems.serverErrors, [], 'no error from either server');
    await u.context.close();
  }
});
