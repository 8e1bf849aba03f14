// Safety and control in a real browser: names are text, the keyboard picks cards,
// the facilitator's settings and kick, the shared countdown timer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import {
  launchBrowser, text, pressed, newUser, joinRoom, card, seat, seatText, eventually, memoryOf,
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

const focusedCard = (page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));

async function closeAll(...users) {
  for (const u of users) {
    assert.deepEqual(u.problems.pageErrors, []);
    assert.deepEqual(u.problems.dialogs, [], 'no dialog may open');
    assert.deepEqual(u.problems.serverErrors, [], 'no error from the server');
    await u.context.close();
  }
}

test('a name or story with HTML in it shows literally and runs nothing', async () => {
  const evil = '<img src=x onerror=alert(1)>';
  const alice = await newUser(browser);
  const mallory = await newUser(browser);
  await joinRoom(alice, server.base, 'xss-room', 'Alice');
  await joinRoom(mallory, server.base, 'xss-room', evil);
  const a = alice.page;
  await eventually(async () => assert.equal(await seat(a, evil).count(), 1));
  assert.equal(await seat(a, evil).locator('.name-text').innerText(), evil);
  assert.equal(await a.locator('img').count(), 0, 'no element was made from the name');

  // The same for a story title and a queued story.
  await mallory.page.getByText('Set or edit the story').click();
  await mallory.page.getByLabel('Story title').fill(`<b>bold</b> ${evil}`);
  await mallory.page.getByRole('button', { name: 'Set story' }).click();
  await eventually(async () => assert.equal(await a.locator('.story-title').innerText(), `<b>bold</b> ${evil}`));
  assert.equal(await a.locator('.story-title b, img').count(), 0);
  await a.waitForTimeout(200); // a broken image's onerror would fire by now
  await closeAll(alice, mallory);
});

test('cards are buttons: arrow keys move, typed values pick, Backspace withdraws', async () => {
  const alice = await newUser(browser);
  const bob = await newUser(browser);
  await joinRoom(alice, server.base, 'keys-room', 'Alice');
  await joinRoom(bob, server.base, 'keys-room', 'Bob');
  const a = alice.page;

  await card(a, '0').focus();
  await a.keyboard.press('ArrowRight');
  assert.equal(await focusedCard(a), '1');
  await a.keyboard.press('ArrowRight');
  assert.equal(await focusedCard(a), '2');
  await a.keyboard.press('Enter');
  await eventually(async () => assert.equal(await pressed(a, '2'), 'true'));
  await eventually(async () => assert.match(await seatText(bob.page, 'Alice'), /\bvoted\b/));

  await a.keyboard.press('End');
  assert.equal(await focusedCard(a), 'coffee');
  await a.keyboard.press('Home');
  assert.equal(await focusedCard(a), '0');

  // Typing "1" then "3" picks 13 (not 1).
  await a.keyboard.type('13');
  await eventually(async () => assert.equal(await pressed(a, '13'), 'true'));
  assert.equal(await pressed(a, '1'), 'false');
  assert.equal(await focusedCard(a), '13');
  await a.keyboard.press('?');
  await eventually(async () => assert.equal(await pressed(a, '?'), 'true'));

  await a.keyboard.press('Backspace');
  await eventually(async () => assert.equal(await pressed(a, '?'), 'false'));
  await eventually(async () => assert.match(await seatText(bob.page, 'Alice'), /not voted/));

  // Only one card is in the tab order (roving tabindex).
  assert.equal(await a.locator('.deck button[tabindex="0"]').count(), 1);
  await closeAll(alice, bob);
});

test('the facilitator changes settings, hands over, and removes a participant who then sees it', async () => {
  const alice = await newUser(browser);
  const bob = await newUser(browser);
  await joinRoom(alice, server.base, 'host-room', 'Alice');
  await joinRoom(bob, server.base, 'host-room', 'Bob');
  const a = alice.page;
  const b = bob.page;

  assert.equal(await b.getByRole('button', { name: 'Save settings' }).isVisible(), false, 'settings are for the facilitator');

  // Deck preset and host-only.
  await a.getByLabel('Deck', { exact: true }).selectOption('tshirt');
  await a.getByRole('checkbox', { name: /Host-only/ }).check();
  await a.getByRole('button', { name: 'Save settings' }).click();
  await eventually(async () => assert.equal(await card(b, 'XL').count(), 1));
  assert.equal(await card(b, '8').count(), 0);
  await eventually(async () => assert.equal(await b.getByRole('button', { name: 'Reveal' }).isDisabled(), true));
  assert.equal(await a.getByRole('button', { name: 'Reveal' }).isDisabled(), false);

  // A custom deck.
  await a.getByLabel('Deck', { exact: true }).selectOption('custom');
  await a.getByLabel(/Custom cards/).fill('1, 2, 4, 8, ?');
  await a.getByRole('button', { name: 'Save settings' }).click();
  await eventually(async () => assert.equal(await card(b, '4').count(), 1));
  assert.equal(await card(b, 'XL').count(), 0);

  // Hand over, and back.
  await a.getByRole('button', { name: 'Hand over to Bob' }).click();
  await eventually(async () => assert.match(await seatText(a, 'Bob'), /Facilitator/));
  await eventually(async () => assert.equal(await b.getByRole('button', { name: 'Save settings' }).isVisible(), true));
  await b.getByRole('button', { name: 'Hand over to Alice' }).click();
  await eventually(async () => assert.match(await seatText(b, 'Alice'), /Facilitator/));

  // Kick (two steps, no browser dialog).
  const bobSeat = (await memoryOf(b, 'host-room')).participantId;
  await eventually(async () => assert.equal(await a.getByRole('button', { name: 'Remove Bob' }).isVisible(), true));
  await a.getByRole('button', { name: 'Remove Bob' }).click();
  await a.getByRole('button', { name: 'Confirm removing Bob' }).click();
  await b.getByRole('heading', { name: 'You were removed from this room' }).waitFor();
  await eventually(async () => assert.equal(await seat(a, 'Bob').count(), 0));
  assert.equal((await memoryOf(b, 'host-room')).resumeToken ?? null, null, 'the void token is forgotten');

  // Kick is not a ban: joining again gives a new seat.
  await b.getByRole('button', { name: 'Join again' }).click();
  await eventually(async () => assert.equal(await seat(a, 'Bob').count(), 1));
  const again = (await memoryOf(b, 'host-room')).participantId;
  assert.ok(again && again !== bobSeat, 'a new participant');
  await closeAll(alice, bob);
});

test('the countdown timer is shown on every client and can reveal by itself', async () => {
  const alice = await newUser(browser);
  const bob = await newUser(browser);
  await joinRoom(alice, server.base, 'timer-room', 'Alice');
  await joinRoom(bob, server.base, 'timer-room', 'Bob');
  const a = alice.page;
  const b = bob.page;
  const clock = (p) => p.getByRole('timer');

  await a.getByLabel('Seconds').fill('90');
  await a.getByRole('checkbox', { name: 'Reveal when time is up' }).uncheck();
  await a.getByRole('button', { name: 'Start timer' }).click();
  for (const p of [a, b]) await eventually(async () => assert.match(await clock(p).innerText(), /^1:(30|29|28)$/));
  await b.getByRole('button', { name: 'Stop timer' }).click();
  for (const p of [a, b]) await eventually(async () => assert.equal(await clock(p).innerText(), '–:––'));

  await card(a, '3').click();
  await card(b, '5').click();
  await eventually(async () => assert.match(await text(a.locator('.seats-summary')), /2 of 2 voted/));
  await b.getByLabel('Seconds').fill('1');
  await b.getByRole('checkbox', { name: 'Reveal when time is up' }).check();
  await b.getByRole('button', { name: 'Start timer' }).click();
  for (const p of [a, b]) {
    await eventually(async () => assert.match(await text(p.locator('.stage')), /Revealed/i), { timeout: 8000 });
    await eventually(async () => assert.match(await seatText(p, 'Bob'), /card 5/));
  }
  await closeAll(alice, bob);
});
