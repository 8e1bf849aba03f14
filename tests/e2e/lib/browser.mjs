// Chromium (Debian's package) driven by playwright-core, and small helpers for
// waiting on conditions instead of sleeping.
import { chromium } from 'playwright-core';
import fs from 'node:fs';

export const CHROMIUM = process.env.FP_CHROMIUM || '/usr/bin/chromium';

export function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 360, height: 780 };

// A new user: own browser context (own localStorage), one page. Collects page
// errors and dialogs so tests can assert none happened.
export async function newUser(browser, { viewport = DESKTOP, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  const problems = { pageErrors: [], dialogs: [], serverErrors: [], framesReceived: 0 };
  page.on('pageerror', (e) => problems.pageErrors.push(String(e)));
  // Every `error` the server sends this page: a test expecting none asserts it stays empty
  // (framesReceived shows the frames were watched at all).
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => {
    problems.framesReceived += 1;
    if (typeof payload === 'string' && payload.includes('"error"')) {
      try {
        const m = JSON.parse(payload);
        if (m.type === 'error') problems.serverErrors.push(`${m.code}: ${m.message}`);
      } catch { /* not JSON */ }
    }
  }));
  page.on('dialog', (d) => { problems.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.setDefaultTimeout(10000);
  return { context, page, problems };
}

// Opens the room link, enters a name (and observer if asked), waits until connected.
export async function joinRoom(user, base, room, name, { observer = false } = {}) {
  const { page } = user;
  await page.goto(`${base}/r/${room}`);
  await page.getByLabel('Your name').fill(name);
  if (observer) await page.getByRole('radio', { name: /Observer/ }).check();
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await waitConnected(page);
}

export async function waitConnected(page, timeout = 20000) {
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout });
}

export const card = (page, value) => page.getByRole('button', { name: value, exact: true });

// The list item (seat) of a participant, by name.
export const seat = (page, name) => page.getByRole('list', { name: 'Participants' })
  .getByRole('listitem').filter({ has: page.locator('.name-text', { hasText: name }) });

// Polls fn until it stops throwing (or returns a truthy value).
export async function eventually(fn, { timeout = 10000, interval = 50 } = {}) {
  const until = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const v = await fn();
      if (v !== false) return v;
      lastError = new Error('condition stayed false');
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > until) throw lastError;
    await new Promise((r) => setTimeout(r, interval));
  }
}

export async function seatText(page, name) {
  return (await seat(page, name).innerText()).replace(/\s+/g, ' ').trim();
}

export async function memoryOf(page, room) {
  return page.evaluate((r) => JSON.parse(localStorage.getItem(`fp.room.${r}`) || '{}'), room);
}

// The visible text of a locator, white space collapsed.
export const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();
// Whether a card button is pressed (the participant's current pick): "true" or "false".
export const pressed = (page, value) => card(page, value).getAttribute('aria-pressed');
