// The server restarts and loses every room (storage-memory). The browsers reconnect
// by themselves, take their own seats back (same participantId, no duplicates), the
// facilitator's client restores the story, and each client re-casts its own vote.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, getJson } from './lib/server.mjs';
import {
  launchBrowser, text, pressed, newUser, joinRoom, waitConnected, card, seatText, eventually, memoryOf,
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

const room = 'restart-room';

test('after a restart that lost the room, seats, story and own votes come back', async () => {
  const alice = await newUser(browser);
  const bob = await newUser(browser);
  const carol = await newUser(browser);
  const a = alice.page;
  const b = bob.page;
  await joinRoom(alice, server.base, room, 'Alice');
  await joinRoom(bob, server.base, room, 'Bob');
  await joinRoom(carol, server.base, room, 'Carol', { observer: true });

  // A finished story (history), then the story being estimated.
  await a.getByText('Set or edit the story').click();
  await a.getByLabel('Story title').fill('Warm-up');
  await a.getByRole('button', { name: 'Set story' }).click();
  await card(a, '2').click();
  await card(b, '2').click();
  await eventually(async () => assert.match(await text(a.locator('.seats-summary')), /2 of 2 voted/));
  await a.getByRole('button', { name: 'Reveal' }).click();
  await eventually(async () => assert.equal(await a.getByLabel('Estimate').inputValue(), '2'));
  await a.getByRole('button', { name: 'Finalize' }).click();
  await eventually(async () => assert.equal(await a.getByRole('list', { name: 'Finalized stories' }).getByRole('listitem').count(), 1));

  await a.getByText('Set or edit the story').click();
  await a.getByLabel('Story title').fill('Survives restart');
  await a.getByLabel('Ref', { exact: true }).fill('FP-99');
  await a.getByRole('button', { name: 'Set story' }).click();
  await eventually(async () => assert.equal(await b.locator('.story-title').innerText(), 'Survives restart'));
  await card(a, '3').click();
  await card(b, '8').click();
  await eventually(async () => assert.match(await text(a.locator('.seats-summary')), /2 of 2 voted/));
  await eventually(async () => assert.equal((await memoryOf(b, room)).vote?.card, '8'));

  const ids = {};
  for (const [n, u] of Object.entries({ alice, bob, carol })) ids[n] = (await memoryOf(u.page, room)).participantId;

  // Restart on the same port with the same secret; the room is gone.
  const { port, dir } = server;
  await server.stop();
  for (const u of [alice, bob, carol]) {
    await eventually(async () => assert.match(await text(u.page.getByRole('status')), /Reconnecting|Connecting/));
  }
  server = await startServer({ port, dir });

  for (const u of [alice, bob, carol]) await waitConnected(u.page, 30000);

  // Server view: three participants with the old ids, the story, both votes.
  const state = await eventually(async () => {
    const { status, body } = await getJson(`${server.base}/api/rooms/${room}`);
    assert.equal(status, 200);
    assert.equal(body.story?.title, 'Survives restart');
    assert.equal(body.story?.ref, 'FP-99');
    assert.equal(body.participants.filter((p) => p.voted).length, 2);
    return body;
  }, { timeout: 15000 });
  assert.equal(state.participants.length, 3, 'no duplicate participants');
  assert.deepEqual(state.participants.map((p) => p.id).sort(), Object.values(ids).sort());
  assert.equal(state.stage, 'voting');

  // The browsers show it, each with its own card chosen again.
  for (const [u, n] of [[alice, 'alice'], [bob, 'bob'], [carol, 'carol']]) {
    assert.equal((await memoryOf(u.page, room)).participantId, ids[n]);
    await eventually(async () => assert.equal(await u.page.locator('.story-title').innerText(), 'Survives restart'));
    assert.equal(await u.page.getByRole('list', { name: 'Participants' }).getByRole('listitem').count(), 3);
  }
  await eventually(async () => assert.equal(await pressed(a, '3'), 'true'));
  await eventually(async () => assert.equal(await pressed(b, '8'), 'true'));
  // Whoever came back first became facilitator and handed the room back to Alice;
  // Carol is an observer again.
  await eventually(async () => assert.match(await seatText(carol.page, 'Alice'), /Facilitator/));
  await eventually(async () => assert.match(await seatText(a, 'Carol'), /Observer/));

  // Revealing proves the server holds the restored votes.
  await a.getByRole('button', { name: 'Reveal' }).click();
  for (const u of [alice, bob, carol]) {
    await eventually(async () => assert.match(await seatText(u.page, 'Alice'), /card 3/));
    await eventually(async () => assert.match(await seatText(u.page, 'Bob'), /card 8/));
  }

  for (const u of [alice, bob, carol]) {
    assert.deepEqual(u.problems.pageErrors, []);
    assert.deepEqual(u.problems.dialogs, []);
    assert.deepEqual(u.problems.serverErrors, [], 'no error from the server');
    await u.context.close();
  }
});
