// The page never offers what the server would refuse (issue 17): estimating without a story
// ends in a recorded estimate; every control shows only for the role and stage the server
// accepts it in; a normal session gets no `error` frame at all; and when the server does
// refuse (a race), the page says so and loses nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, getJson, ARTIFACTS } from './lib/server.mjs';
import {
  launchBrowser, text, newUser, joinRoom, card, seat, seatText, eventually, PHONE, DESKTOP,
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

const history = (p) => p.getByRole('list', { name: 'Finalized stories' }).getByRole('listitem');
const button = (p, name) => p.getByRole('button', { name, exact: true });
const visible = (locator) => locator.isVisible();

async function noErrors(...users) {
  for (const u of users) {
    assert.deepEqual(u.problems.pageErrors, []);
    assert.deepEqual(u.problems.dialogs, []);
    assert.deepEqual(u.problems.serverErrors, [], 'no error frame from the server');
    assert.ok(u.problems.framesReceived > 5, `frames were watched (${u.problems.framesReceived})`);
  }
}

test('estimating freely ends in a recorded estimate: the title is asked in the same step, no error', async () => {
  const room = 'free-room';
  const alice = await newUser(browser);
  const bob = await newUser(browser, { viewport: PHONE });
  const carol = await newUser(browser);
  await joinRoom(alice, server.base, room, 'Alice');
  await joinRoom(bob, server.base, room, 'Bob');
  await joinRoom(carol, server.base, room, 'Carol', { observer: true });
  const [a, b, c] = [alice.page, bob.page, carol.page];
  assert.equal(await b.locator('.story-title').innerText(), 'No story: estimating freely');

  await card(a, '5').click();
  await card(b, '8').click();
  await eventually(async () => assert.match(await text(c.locator('.seats-summary')), /2 of 2 voted/));
  await button(c, 'Reveal').click(); // an observer controls too (host-only is off)

  // The result offers Finalize with a title for the round, pre-filled, editable.
  const title = b.getByLabel('Title of the result');
  await eventually(async () => assert.equal(await visible(title), true));
  assert.equal(await title.inputValue(), 'Story 1');
  assert.equal(await b.getByLabel('Estimate').inputValue(), '8', 'tie: the larger card');
  // A title the server would refuse is caught on the page: nothing is sent.
  await title.fill('   ');
  await button(b, 'Finalize').click();
  await eventually(async () => assert.match(await text(b.locator('.finalize .form-error')), /title cannot be empty/));
  assert.match(await text(b.locator('.stage')), /Revealed/i, 'the round is still there');
  await title.fill('Spike: search');
  assert.equal(await text(b.locator('.finalize .form-error')), '', 'the message goes once the title is fixed');
  await b.getByLabel('Estimate').fill('8');
  await b.waitForTimeout(300);
  fs.mkdirSync(path.join(ARTIFACTS, 'layout'), { recursive: true });
  await b.evaluate(() => window.scrollTo(0, 0));
  await b.screenshot({ path: path.join(ARTIFACTS, 'layout', 'phone-finalize-free.png'), fullPage: true });
  await button(b, 'Finalize').click();

  for (const p of [a, b, c]) {
    await eventually(async () => assert.match(await text(history(p).first()), /^Estimate 8 Spike: search avg 6\.5 · median 6\.5/));
    await eventually(async () => assert.match(await text(p.locator('.stage')), /Round 1 · Voting/i));
  }
  assert.equal(await b.locator('.story-title').innerText(), 'No story: estimating freely', 'the next round is free again');

  // A second free round takes the suggested title as it is.
  await card(a, '3').click();
  await card(b, '3').click();
  await eventually(async () => assert.match(await text(a.locator('.seats-summary')), /2 of 2 voted/));
  await button(a, 'Reveal').click();
  await eventually(async () => assert.equal(await a.getByLabel('Title of the result').inputValue(), 'Story 2'));
  await button(a, 'Finalize').click();
  for (const p of [a, b, c]) await eventually(async () => assert.equal(await history(p).count(), 2));
  assert.match(await text(history(c).first()), /^Estimate 3 Story 2/);

  const { body } = await getJson(`${server.base}/api/rooms/${room}/history`);
  assert.deepEqual(body.results.map((r) => [r.story.title, r.estimate]), [['Spike: search', '8'], ['Story 2', '3']]);
  await noErrors(alice, bob, carol);
  for (const u of [alice, bob, carol]) await u.context.close();
});

test('each control shows only for the role and stage the server accepts it in; a whole session gets no error', async () => {
  const room = 'rules-room';
  const alice = await newUser(browser); // facilitator
  const bob = await newUser(browser); // voter
  const carol = await newUser(browser, { viewport: PHONE }); // observer
  await joinRoom(alice, server.base, room, 'Alice');
  await joinRoom(bob, server.base, room, 'Bob');
  await joinRoom(carol, server.base, room, 'Carol', { observer: true });
  const [a, b, c] = [alice.page, bob.page, carol.page];
  await eventually(async () => assert.equal(await seat(a, 'Carol').count(), 1));

  // ---- voting, host-only off ----
  assert.equal(await visible(card(c, '5')), false, 'an observer gets no cards');
  assert.equal(await visible(button(c, 'Become a voter')), true);
  assert.equal(await card(b, '5').isEnabled(), true);
  assert.equal(await button(b, 'Withdraw vote').isDisabled(), true, 'nothing to withdraw');
  for (const p of [a, b, c]) {
    assert.equal(await button(p, 'Reveal').isEnabled(), true);
    assert.equal(await visible(button(p, 'Finalize')), false, 'finalize only after reveal');
    assert.equal(await button(p, 'Stop timer').isDisabled(), true, 'no timer runs');
    assert.equal(await visible(button(p, 'Start timer')), true);
    assert.equal(await visible(button(p, 'Add to queue')), true);
  }
  // Facilitator only: hand over and remove (never oneself), settings.
  assert.equal(await visible(button(a, 'Hand over to Bob')), true);
  assert.equal(await visible(button(a, 'Remove Carol')), true);
  assert.equal(await a.getByRole('button', { name: /Hand over to Alice|Remove Alice/ }).count(), 0);
  for (const p of [b, c]) {
    assert.equal(await p.getByRole('button', { name: /^(Hand over|Remove) / }).count(), 0);
    assert.equal(await visible(button(p, 'Save settings')), false);
  }
  assert.equal(await visible(button(a, 'Save settings')), true);

  // A timer runs: now it can be stopped.
  await b.getByLabel('Seconds').fill('120');
  await button(b, 'Start timer').click();
  await eventually(async () => assert.equal(await button(c, 'Stop timer').isEnabled(), true));
  await button(c, 'Stop timer').click();
  await eventually(async () => assert.equal(await button(a, 'Stop timer').isDisabled(), true));

  // ---- host-only on: the round is the facilitator's ----
  await a.getByRole('checkbox', { name: /Host-only/ }).check();
  await button(a, 'Save settings').click();
  await eventually(async () => assert.equal(await button(b, 'Reveal').isDisabled(), true));
  for (const p of [b, c]) {
    assert.equal(await button(p, 'Revote').isDisabled(), true);
    assert.equal(await visible(p.getByText('Host-only is on: the facilitator runs the round.')), true);
    assert.equal(await visible(p.getByText('Set or edit the story')), false);
    assert.equal(await visible(button(p, 'Add to queue')), false);
    assert.equal(await visible(button(p, 'Start timer')), false);
  }
  assert.equal(await button(a, 'Reveal').isEnabled(), true);
  // Voting, renaming and switching role stay everyone's.
  await card(b, '5').click();
  await eventually(async () => assert.equal(await button(b, 'Withdraw vote').isEnabled(), true));
  await b.getByLabel('Your name').fill('Bobby');
  await button(b, 'Rename').click();
  await eventually(async () => assert.equal(await seat(a, 'Bobby').count(), 1));
  await card(a, '3').click();
  await eventually(async () => assert.match(await text(a.locator('.seats-summary')), /2 of 2 voted/));
  await button(a, 'Reveal').click();

  // ---- revealed ----
  await eventually(async () => assert.equal(await visible(b.locator('section.results')), true));
  assert.equal(await visible(button(a, 'Finalize')), true);
  assert.equal(await visible(button(b, 'Finalize')), false, 'host-only: not for Bob');
  for (const p of [a, b]) assert.equal(await visible(button(p, 'Reveal')), false, 'revealed once');
  assert.equal(await card(b, '8').isDisabled(), true, 'no vote after reveal');
  assert.equal(await button(b, 'Withdraw vote').isDisabled(), true);
  await a.getByLabel('Title of the result').fill('Host-only round');
  await button(a, 'Finalize').click();
  await eventually(async () => assert.match(await text(history(b).first()), /Host-only round/));

  // ---- host-only off; hand over and back; roles ----
  await a.getByRole('checkbox', { name: /Host-only/ }).uncheck();
  await button(a, 'Save settings').click();
  await eventually(async () => assert.equal(await button(b, 'Reveal').isEnabled(), true));
  await button(a, 'Hand over to Bobby').click();
  await eventually(async () => assert.equal(await visible(button(b, 'Save settings')), true));
  await eventually(async () => assert.equal(await visible(button(a, 'Save settings')), false));
  assert.equal(await a.getByRole('button', { name: /^(Hand over|Remove) / }).count(), 0, 'Alice is no facilitator now');
  await button(b, 'Hand over to Alice').click();
  await eventually(async () => assert.match(await seatText(c, 'Alice'), /Facilitator/));
  await button(c, 'Become a voter').click();
  await eventually(async () => assert.equal(await visible(card(c, '5')), true));
  await button(c, 'Switch to observer').click();
  await eventually(async () => assert.equal(await visible(card(c, '5')), false));

  // ---- the queue holds 500 stories: a full queue is not offered more ----
  const lines = (n, from) => Array.from({ length: n }, (_, i) => `Q${from + i}`).join('\n');
  await b.getByLabel('Add stories (one a line)').fill(lines(501, 0));
  await button(b, 'Add to queue').click();
  await eventually(async () => assert.match(await text(b.locator('.queue-form .form-error')), /takes 500 more stories; 501 were given/));
  await b.getByLabel('Add stories (one a line)').fill(lines(500, 0));
  await button(b, 'Add to queue').click();
  // No story and no vote: the first queued story became current, 499 wait.
  await eventually(async () => assert.equal(await b.locator('.story-title').innerText(), 'Q0'), { timeout: 15000 });
  await eventually(async () => assert.match(await text(a.locator('.queue-panel .panel-head')), /499 stories/));
  await a.getByLabel('Add stories (one a line)').fill('Last one');
  await button(a, 'Add to queue').click();
  for (const p of [a, b]) {
    await eventually(async () => assert.equal(await button(p, 'Add to queue').isDisabled(), true));
    assert.match(await text(p.locator('.queue-form .form-error')), /queue is full \(500 stories\)/);
  }
  await a.getByRole('button', { name: 'Remove "Q1" from the queue' }).click();
  await eventually(async () => assert.equal(await button(b, 'Add to queue').isEnabled(), true));
  assert.equal(await text(b.locator('.queue-form .form-error')), '', 'no longer full');

  await noErrors(alice, bob, carol);
  for (const u of [alice, bob, carol]) await u.context.close();
});

test('when the server refuses after all (a race), the page says so and loses nothing', async () => {
  const room = 'race-room';
  const alice = await newUser(browser);
  const bob = await newUser(browser, { viewport: DESKTOP });
  const b = bob.page;
  // Bob's socket goes through a relay that can hold his finalize back until Alice has
  // turned host-only on: then the real server really refuses it.
  let holding = false;
  const held = [];
  const refusals = [];
  await b.routeWebSocket(/\/ws$/, (ws) => {
    const upstream = ws.connectToServer();
    ws.onMessage((m) => {
      if (holding && String(m).includes('"finalize"')) held.push(() => upstream.send(m));
      else upstream.send(m);
    });
    upstream.onMessage((m) => {
      const msg = JSON.parse(String(m));
      if (msg.type === 'error') refusals.push(msg.code);
      ws.send(m);
    });
    ws.onClose((code, reason) => upstream.close({ code, reason }));
    upstream.onClose((code, reason) => ws.close({ code, reason }));
  });
  await joinRoom(alice, server.base, room, 'Alice');
  await joinRoom(bob, server.base, room, 'Bob');
  const a = alice.page;
  await card(a, '2').click();
  await card(b, '3').click();
  await eventually(async () => assert.match(await text(a.locator('.seats-summary')), /2 of 2 voted/));
  await button(a, 'Reveal').click();
  await b.getByLabel('Title of the result').fill('Bob names it');
  await b.getByLabel('Estimate').fill('3');

  holding = true;
  await button(b, 'Finalize').click();
  await eventually(() => held.length === 1);
  await a.getByRole('checkbox', { name: /Host-only/ }).check();
  await button(a, 'Save settings').click();
  await eventually(async () => assert.equal(await visible(button(b, 'Finalize')), false), { timeout: 5000 });
  holding = false;
  held.shift()();

  // Said in words; the revealed round is untouched.
  await b.getByText('Only the facilitator may do that here.').waitFor();
  assert.deepEqual(refusals, ['forbidden']);
  const { body } = await getJson(`${server.base}/api/rooms/${room}`);
  assert.equal(body.stage, 'revealed');
  assert.equal(body.result.votes, 2);
  assert.deepEqual(body.history, []);

  // Host-only off again: Bob's form is back with what he typed, and it goes through.
  await a.getByRole('checkbox', { name: /Host-only/ }).uncheck();
  await button(a, 'Save settings').click();
  await eventually(async () => assert.equal(await visible(button(b, 'Finalize')), true));
  assert.equal(await b.getByLabel('Title of the result').inputValue(), 'Bob names it');
  await button(b, 'Finalize').click();
  await eventually(async () => assert.match(await text(history(a).first()), /^Estimate 3 Bob names it/));
  assert.deepEqual(refusals, ['forbidden'], 'one refusal, the raced one');
  assert.deepEqual(alice.problems.serverErrors, []);
  assert.deepEqual(bob.problems.pageErrors, []);
  for (const u of [alice, bob]) await u.context.close();
});
