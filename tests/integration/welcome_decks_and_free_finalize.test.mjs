// Two protocol additions the web client relies on, over a real WebSocket:
// - welcome.decks: the server's deck presets (name -> cards, in the server's order), so a
//   client never keeps its own copy;
// - finalize with `story`: a round estimated without a story is named and recorded in one
//   step (a `story` message would start a new round and lose the revealed one).
import { describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, testWithLogs } from './lib/server.mjs';
import { Client, closeAllClients, uniqueRoom } from './lib/client.mjs';

// core/src/room/decks.cpp, in its order.
const PRESETS = {
  fibonacci: ['0', '1', '2', '3', '5', '8', '13', '21', '34', '55', '89', '?', 'coffee'],
  modified: ['0', '½', '1', '2', '3', '5', '8', '13', '20', '40', '100', '?', 'coffee'],
  tshirt: ['XS', 'S', 'M', 'L', 'XL', 'XXL', '?'],
  powers: ['0', '1', '2', '4', '8', '16', '32', '64', '?'],
};

let srv;
const it = testWithLogs(() => srv);

describe('welcome.decks and finalize with story', () => {
  before(async () => { srv = await startServer(); });
  after(async () => { await closeAllClients(); if (srv) await srv.stop(); });
  afterEach(async () => { await closeAllClients(); });

  it('welcome carries every deck preset with its cards, in the server\'s order', async () => {
    const a = await Client.connect(srv.wsUrl, { label: 'A' });
    const { welcome } = await a.join(uniqueRoom('decks'), 'Aiko');
    assert.deepEqual(welcome.decks, PRESETS);
    assert.deepEqual(Object.keys(welcome.decks), ['fibonacci', 'modified', 'tshirt', 'powers']);
    // Each preset is what `settings` with its name gives the room.
    for (const name of ['tshirt', 'powers', 'modified', 'fibonacci']) {
      await a.ok({ type: 'settings', deck: name });
      const { room: r } = await a.nextRoom((room) => room.settings.deckName === name, 2000, `deck ${name}`);
      assert.deepEqual(r.deck, welcome.decks[name], name);
    }
    // A resumed seat gets them too.
    const b = await Client.connect(srv.wsUrl, { label: 'A again' });
    const again = await b.join(welcome.room.id, 'Aiko', { participantId: a.participantId, resumeToken: a.resumeToken });
    assert.deepEqual(again.welcome.decks, PRESETS);
  });

  it('a round without a story is finalized under the title it brings; a refusal loses nothing', async () => {
    const room = uniqueRoom('free');
    const a = await Client.connect(srv.wsUrl, { label: 'A' });
    const b = await Client.connect(srv.wsUrl, { label: 'B' });
    await a.join(room, 'Aiko');
    await b.join(room, 'Ben');
    await a.ok({ type: 'vote', card: '5' });
    await b.ok({ type: 'vote', card: '8' });
    await a.ok({ type: 'reveal' });

    // The refusals of before stay refusals, and change nothing.
    const untitled = await a.fails({ type: 'finalize', estimate: '8' }, 'wrong_stage');
    assert.match(untitled.message, /give story/);
    await a.fails({ type: 'finalize', estimate: '8', story: { title: '' } }, 'bad_message');
    await a.fails({ type: 'finalize', estimate: '8', story: { title: 'x'.repeat(257) } }, 'bad_message');
    await a.fails({ type: 'finalize', estimate: '8', story: 'Story 1' }, 'bad_message');
    const kept = await (await fetch(`${srv.base}/api/rooms/${room}`)).json();
    assert.equal(kept.stage, 'revealed');
    assert.equal(kept.result.votes, 2);
    assert.deepEqual(kept.history, []);

    await a.ok({ type: 'finalize', estimate: '8', story: { title: 'Story 1', ref: 'FP-1' } });
    const { room: state } = await b.nextRoom((r) => r.history.length === 1, 2000, 'history with the free round');
    const entry = state.history[0];
    assert.deepEqual(entry.story, { title: 'Story 1', ref: 'FP-1', url: null });
    assert.equal(entry.estimate, '8');
    assert.deepEqual(entry.votes.map((v) => v.card).sort(), ['5', '8']);
    assert.equal(entry.stats.votes, 2);
    assert.equal(state.story, null, 'nothing queued: the next round is free again');
    assert.equal(state.stage, 'voting');

    // With a story, `story` is refused and the round stays revealed.
    await a.ok({ type: 'story', title: 'Login' });
    await a.ok({ type: 'vote', card: '3' });
    await a.ok({ type: 'reveal' });
    await a.fails({ type: 'finalize', estimate: '3', story: { title: 'Other' } }, 'wrong_stage');
    await a.ok({ type: 'finalize', estimate: '3' });
    const { room: done } = await b.nextRoom((r) => r.history.length === 2, 2000, 'second result');
    assert.equal(done.history[0].story.title, 'Login');
  });
});
