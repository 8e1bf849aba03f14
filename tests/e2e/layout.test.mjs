// The room's layout on a phone (360 x 740) and on a desktop (1280 x 800): while voting your
// own cards come right under the story (above the people), after reveal the result does;
// the sticky header never covers content, also when the page scrolls to a focused control.
// Full-page screenshots of each go to the folder printed at the start, to be looked at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, ARTIFACTS } from './lib/server.mjs';
import { launchBrowser, newUser, joinRoom, card, eventually, text } from './lib/browser.mjs';

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const SHOTS = path.join(ARTIFACTS, 'layout');

let server;
let browser;

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  console.log(`layout screenshots: ${SHOTS}`);
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Page coordinates (scroll-independent) of the header, the panels and the first card.
function boxes(page) {
  return page.evaluate(() => {
    const box = (el) => {
      if (!el || el.hidden || !el.getClientRects().length) return null;
      const r = el.getBoundingClientRect();
      return { top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right, height: r.height };
    };
    const q = (sel) => document.querySelector(sel);
    return {
      header: box(q('.topbar')),
      main: box(q('main')),
      story: box(q('section.story')),
      deck: box(q('section.deck-panel')),
      firstCard: box(q('.deck .card')),
      people: box(q('section.people')),
      results: box(q('section.results')),
      timer: box(q('section.timer')),
      headerSticky: getComputedStyle(q('.topbar')).position,
      scrollPaddingTop: parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0,
      viewport: innerHeight,
    };
  });
}

async function shoot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400); // card flip and bar animations end
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// Focusing a control scrolls it into view below the sticky header, not under it.
async function assertFocusClearsHeader(page, locator, what) {
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await locator.focus();
  const { top, headerBottom } = await locator.evaluate((el) => ({
    top: el.getBoundingClientRect().top,
    headerBottom: document.querySelector('.topbar').getBoundingClientRect().bottom,
  }));
  assert.ok(top >= headerBottom - 0.5, `${what}: focused at ${top}px, under the header ending at ${headerBottom}px`);
}

function assertHeaderClear(b, where) {
  assert.equal(b.headerSticky, 'sticky', `${where}: the header stays at the top`);
  assert.ok(b.header.bottom <= b.story.top, `${where}: header (to ${b.header.bottom}) overlaps the story (from ${b.story.top})`);
  assert.ok(b.scrollPaddingTop >= b.header.height - 0.5,
    `${where}: scroll-padding-top ${b.scrollPaddingTop}px does not cover the ${b.header.height}px header`);
}

test('phone and desktop: cards under the story while voting, the result first after reveal, header clear', async () => {
  const room = 'layout-room';
  const phone = await newUser(browser, { viewport: PHONE });
  const desk = await newUser(browser, { viewport: DESKTOP });
  const others = [await newUser(browser), await newUser(browser), await newUser(browser)];
  const p = phone.page;
  const d = desk.page;
  await joinRoom(desk, server.base, room, 'Dana Desk');
  await joinRoom(phone, server.base, room, 'Pia Phone');
  for (const [i, u] of others.entries()) await joinRoom(u, server.base, room, ['Ola', 'Ben', 'Kim'][i], { observer: i === 2 });
  await d.getByText('Set or edit the story').click();
  await d.getByLabel('Story title').fill('FP-21 Checkout with saved cards');
  await d.getByRole('button', { name: 'Set story' }).click();
  await eventually(async () => assert.equal(await p.locator('.story-title').innerText(), 'FP-21 Checkout with saved cards'));
  await eventually(async () => assert.equal(await p.getByRole('list', { name: 'Participants' }).getByRole('listitem').count(), 5));
  await card(others[0].page, '5').click();
  await eventually(async () => assert.match(await text(p.locator('.seats-summary')), /1 of 4 voted/));

  // ---- voting ----
  for (const [u, size] of [[phone, 'phone'], [desk, 'desktop']]) {
    const b = await boxes(u.page);
    assertHeaderClear(b, `${size}, voting`);
    assert.ok(b.deck.top < b.people.top, `${size}, voting: the deck (${b.deck.top}) is above the people (${b.people.top})`);
    assert.ok(b.deck.top >= b.story.bottom, `${size}, voting: the deck comes after the story`);
    assert.equal(b.results, null, 'no result panel while voting');
    assert.ok(b.firstCard.bottom <= b.viewport, `${size}, voting: the first card (to ${b.firstCard.bottom}px) is on the first screen (${b.viewport}px)`);
  }
  const pv = await boxes(p);
  assert.ok(pv.deck.top - pv.story.bottom < 24, 'phone: the deck follows the story directly');
  // On the phone the columns stack; on the desktop the timer is beside the main column.
  const dv = await boxes(d);
  assert.ok(dv.timer.left > dv.story.right, 'desktop: two columns');
  assert.ok(pv.timer.top > pv.people.bottom, 'phone: one column, the round first');
  await assertFocusClearsHeader(p, p.getByRole('button', { name: 'Reveal' }), 'phone, Reveal');
  await assertFocusClearsHeader(p, card(p, '8'), 'phone, card 8');
  await assertFocusClearsHeader(d, d.getByRole('button', { name: 'Reveal' }), 'desktop, Reveal');
  const shots = [await shoot(p, 'phone-voting.png'), await shoot(d, 'desktop-voting.png')];

  await card(p, '8').click();
  await card(d, '3').click();
  await eventually(async () => assert.match(await text(p.locator('.seats-summary')), /3 of 4 voted/));
  await d.getByRole('button', { name: 'Reveal' }).click();

  // ---- revealed ----
  for (const [u, size] of [[phone, 'phone'], [desk, 'desktop']]) {
    await eventually(async () => assert.equal(await u.page.locator('section.results').isVisible(), true));
    const b = await boxes(u.page);
    assertHeaderClear(b, `${size}, revealed`);
    assert.ok(b.results.top >= b.story.bottom, `${size}, revealed: the result comes after the story`);
    assert.ok(b.results.top < b.people.top, `${size}, revealed: the result (${b.results.top}) is above the people (${b.people.top})`);
    assert.ok(b.results.top < b.deck.top, `${size}, revealed: the result is above the spent deck`);
    assert.ok(b.results.top < b.viewport - 100, `${size}, revealed: the result starts on the first screen`);
  }
  const pr = await boxes(p);
  assert.ok(pr.results.top - pr.story.bottom < 24, 'phone: the result follows the story directly');
  await assertFocusClearsHeader(p, p.getByRole('button', { name: 'Finalize' }), 'phone, Finalize');
  await assertFocusClearsHeader(p, p.getByLabel('Estimate'), 'phone, Estimate');
  shots.push(await shoot(p, 'phone-revealed.png'), await shoot(d, 'desktop-revealed.png'));

  // Focus survives the re-ordering: the people panel moves below the result on reveal.
  await d.getByRole('button', { name: 'Revote' }).click();
  await eventually(async () => assert.equal(await p.locator('section.results').isVisible(), false));
  await d.getByRole('button', { name: 'Hand over to Pia Phone' }).focus();
  await p.getByRole('button', { name: 'Reveal' }).click();
  await eventually(async () => assert.equal(await d.locator('section.results').isVisible(), true));
  assert.equal(await d.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Hand over to Pia Phone', 'focus stays put');

  for (const f of shots) assert.ok(fs.statSync(f).size > 10000, `${f} was written`);
  console.log(`screenshots:\n${shots.join('\n')}`);
  for (const u of [phone, desk, ...others]) {
    assert.deepEqual(u.problems.pageErrors, []);
    assert.deepEqual(u.problems.serverErrors, [], 'no error from the server');
    await u.context.close();
  }
});
