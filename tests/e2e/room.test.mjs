// A full round in a real browser: two voters and an observer in one room vote,
// reveal, revote, set a story, queue stories, finalize and read the history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, ARTIFACTS } from './lib/server.mjs';
import {
  launchBrowser, text, pressed, newUser, joinRoom, waitConnected, card, seat, seatText, eventually, memoryOf, PHONE, DESKTOP,
} from './lib/browser.mjs';

let server;
let browser;

before(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});


test('two voters and an observer vote, reveal, revote and finalize', async () => {
  const alice = await newUser(browser);
  const bob = await newUser(browser);
  const carol = await newUser(browser, { viewport: PHONE });
  const a = alice.page;
  const b = bob.page;
  const c = carol.page;

  // Alice creates the room from the start page.
  await a.goto(`${server.base}/`);
  await a.getByLabel('Room name').fill('Team Alpha');
  await a.getByLabel('Your name').fill('Alice');
  await a.getByRole('radio', { name: /Voter/ }).check();
  await a.getByRole('button', { name: 'Enter room' }).click();
  await a.waitForURL(/\/r\/Team-Alpha$/);
  await waitConnected(a);
  const room = 'Team-Alpha';
  // The typed room name becomes the room's display name.
  await eventually(async () => assert.equal(await a.locator('#room-title').innerText(), 'Team Alpha'));
  assert.match(await seatText(a, 'Alice'), /Facilitator/);

  // Bob and Carol (observer) open the shared link.
  await joinRoom(bob, server.base, room, 'Bob');
  await joinRoom(carol, server.base, room, 'Carol', { observer: true });
  await eventually(async () => assert.equal(await seat(a, 'Carol').count(), 1));
  assert.match(await seatText(a, 'Carol'), /Observer/);
  assert.match(await seatText(b, 'Alice'), /Facilitator/);
  assert.equal(await card(c, '8').count(), 0, 'an observer gets no cards');

  // Remembered per room: name and seat.
  const memA = await memoryOf(a, room);
  assert.equal(memA.name, 'Alice');
  assert.ok(memA.participantId && memA.resumeToken);

  // Alice votes 8; Bob sees a face-down card, not the value.
  await card(a, '8').click();
  await eventually(async () => assert.equal(await pressed(a, '8'), 'true'));
  await eventually(async () => assert.match(await seatText(b, 'Alice'), /\bvoted\b/));
  assert.doesNotMatch(await seatText(b, 'Alice'), /\b8\b/);
  assert.equal(await seat(b, 'Alice').locator('.seat-card.down').count(), 1);

  // Bob picks 3, withdraws, then picks 5.
  await card(b, '3').click();
  await eventually(async () => assert.equal(await pressed(b, '3'), 'true'));
  await b.getByRole('button', { name: 'Withdraw vote' }).click();
  await eventually(async () => assert.match(await seatText(a, 'Bob'), /not voted/));
  assert.equal(await pressed(b, '3'), 'false');
  await card(b, '5').click();
  await eventually(async () => assert.match(await seatText(a, 'Bob'), /\bvoted\b/));
  await eventually(async () => assert.match(await text(a.locator('.seats-summary')), /2 of 2 voted/));

  // Anyone may reveal (host-only is off).
  await b.getByRole('button', { name: 'Reveal' }).click();
  for (const p of [a, b, c]) {
    await eventually(async () => assert.match(await seatText(p, 'Alice'), /card 8/));
    await eventually(async () => assert.match(await seatText(p, 'Bob'), /card 5/));
  }
  const stats = await text(a.locator('.stats'));
  assert.match(stats, /Average 6\.5/i);
  assert.match(stats, /Median 6\.5/i);
  assert.match(stats, /Min 5/i);
  assert.match(stats, /Max 8/i);
  assert.match(stats, /Agreement 50%/i);
  assert.match(await text(a.locator('.consensus')), /No consensus/);
  assert.equal(await a.getByRole('list', { name: 'Distribution of votes' }).getByRole('listitem').count(), 2);
  assert.equal(await a.getByLabel('Estimate').inputValue(), '8', 'the most common card (tie: the larger)');
  assert.equal(await c.getByRole('button', { name: 'Finalize' }).isVisible(), true, 'the observer is a controller too');

  // Screenshots after reveal, desktop and 360 px wide.
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await a.waitForTimeout(400); // let the card flip animation end before the picture
  // From the top: a full-page picture of a scrolled page draws the sticky bar mid-page.
  await a.evaluate(() => window.scrollTo(0, 0));
  await a.screenshot({ path: path.join(ARTIFACTS, 'room-after-reveal.png'), fullPage: true });
  await a.setViewportSize(PHONE);
  await a.evaluate(() => window.scrollTo(0, 0));
  await a.screenshot({ path: path.join(ARTIFACTS, 'room-after-reveal-360.png'), fullPage: true });
  await a.setViewportSize(DESKTOP);

  // Revote: same story, next round, no cards.
  await a.getByRole('button', { name: 'Revote' }).click();
  for (const p of [a, b, c]) {
    await eventually(async () => assert.match(await text(p.locator('.stage')), /Round 2 · Voting/i));
  }
  await eventually(async () => assert.match(await seatText(b, 'Alice'), /not voted/));
  assert.equal(await pressed(a, '8'), 'false');

  // Set the story.
  await a.getByText('Set or edit the story').click();
  await a.getByLabel('Story title').fill('Login page');
  await a.getByLabel('Ref', { exact: true }).fill('FP-12');
  await a.getByLabel('Link', { exact: true }).fill('https://example.com/FP-12');
  await a.getByRole('button', { name: 'Set story' }).click();
  await eventually(async () => assert.equal(await b.locator('.story-title').innerText(), 'Login page'));
  assert.equal(await b.getByRole('link', { name: 'Open link' }).getAttribute('href'), 'https://example.com/FP-12');

  // Queue three stories at once, remove one.
  await a.getByLabel('Add stories (one a line)').fill('FP-13 Signup form\nFP-14 Password reset https://example.com/14\nThird story');
  await a.getByRole('button', { name: 'Add to queue' }).click();
  const queueB = b.getByRole('list', { name: 'Queued stories' }).getByRole('listitem');
  await eventually(async () => assert.equal(await queueB.count(), 3));
  assert.match(await text(queueB.nth(0)), /FP-13 Signup form/);
  await a.getByRole('button', { name: 'Remove "Third story" from the queue' }).click();
  await eventually(async () => assert.equal(await queueB.count(), 2));

  // Agree on 5, reveal, finalize with the suggested estimate.
  await card(a, '5').click();
  await card(b, '5').click();
  await eventually(async () => assert.match(await text(a.locator('.seats-summary')), /2 of 2 voted/));
  await a.getByRole('button', { name: 'Reveal' }).click();
  await eventually(async () => assert.match(await text(b.locator('.consensus')), /Consensus/));
  assert.match(await text(b.locator('.stats')), /Agreement 100%/i);
  assert.equal(await a.getByLabel('Estimate').inputValue(), '5');
  await a.getByRole('button', { name: 'Finalize' }).click();

  // History everywhere; the next queued story is current.
  for (const p of [a, b, c]) {
    const hist = p.getByRole('list', { name: 'Finalized stories' }).getByRole('listitem');
    await eventually(async () => assert.match(await text(hist.first()), /^Estimate 5 FP-12 Login page/));
  }
  await eventually(async () => assert.equal(await b.locator('.story-title').innerText(), 'Signup form'));
  await eventually(async () => assert.equal(await queueB.count(), 1));
  assert.match(await text(b.locator('.stage')), /Round 1 · Voting/i);

  const csv = a.getByRole('link', { name: 'Download CSV' });
  const md = a.getByRole('link', { name: 'Download Markdown' });
  assert.equal(await csv.getAttribute('href'), `/api/rooms/${room}/history?format=csv`);
  assert.equal(await md.getAttribute('href'), `/api/rooms/${room}/history?format=md`);
  const res = await fetch(`${server.base}/api/rooms/${room}/history?format=csv`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Login page/);

  // A reload takes the same seat back: no duplicate participant.
  const before = await memoryOf(b, room);
  await b.reload();
  await waitConnected(b);
  assert.equal((await memoryOf(b, room)).participantId, before.participantId);
  await eventually(async () => assert.equal(await a.getByRole('list', { name: 'Participants' }).getByRole('listitem').count(), 3));
  assert.equal(await seat(a, 'Bob').count(), 1);

  for (const u of [alice, bob, carol]) {
    assert.deepEqual(u.problems.pageErrors, []);
    assert.deepEqual(u.problems.dialogs, []);
    assert.deepEqual(u.problems.serverErrors, [], 'no error from the server');
    await u.context.close();
  }
});
