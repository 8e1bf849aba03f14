// Vote secrecy before reveal, results after reveal, statistics, anonymous mode.
import { describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, testWithLogs, sleep } from './lib/server.mjs';
import { Client, joined, closeAllClients, uniqueRoom, participant } from './lib/client.mjs';

let srv;
const it = testWithLogs(() => srv);

/** Frame text with the deck removed (the deck legitimately lists every card). */
function withoutDeck(frame) {
  let m;
  try { m = JSON.parse(frame); } catch { return frame; }
  if (m && m.room) {
    delete m.room.deck;
    if (m.room.settings) delete m.room.settings.deck;
  }
  return JSON.stringify(m);
}

/** Every object anywhere in v that pairs a non-null name with a non-null card. */
function namedCards(v, path = '$', out = []) {
  if (Array.isArray(v)) v.forEach((x, i) => namedCards(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object') {
    if (v.name != null && v.card != null) out.push(`${path}: ${JSON.stringify(v)}`);
    for (const [k, x] of Object.entries(v)) namedCards(x, `${path}.${k}`, out);
  }
  return out;
}

describe('secrecy and results', () => {
  before(async () => { srv = await startServer(); });
  after(async () => { await closeAllClients(); if (srv) await srv.stop(); });
  afterEach(async () => { await closeAllClients(); });

  it("before reveal no message to others carries a participant's card; after reveal all do", async () => {
    const room = uniqueRoom('secret');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(srv.wsUrl, room, 'Ben', {}, 'B');
    const c = await joined(srv.wsUrl, room, 'Cleo', { role: 'observer' }, 'C');
    await a.ok({ type: 'settings', deck: ['1', '2', '3', 'zebra42', 'yak77', '?'] });
    await a.ok({ type: 'vote', card: 'zebra42' });
    await a.ok({ type: 'vote', card: '3' });
    await a.ok({ type: 'unvote' });
    await a.ok({ type: 'vote', card: 'zebra42' });
    await b.ok({ type: 'vote', card: '2' });
    await a.ok({ type: 'rename', name: 'Aiko S' });
    await a.ok({ type: 'story', title: 'Secret story' }); // clears votes
    await a.ok({ type: 'vote', card: 'zebra42' });
    await b.ok({ type: 'vote', card: '1' });
    // a late joiner sees that A voted, never what
    const d = await joined(srv.wsUrl, room, 'Dana', {}, 'D');
    const pa = participant(d.welcome.room, a.participantId);
    assert.equal(pa.voted, true);
    assert.equal(pa.card, null);
    // A reconnects in a second tab: its own card is in welcome.you.card
    const a2 = await Client.connect(srv.wsUrl, { label: 'A2' });
    const { welcome: wa2 } = await a2.join(room, 'Aiko S', { participantId: a.participantId, resumeToken: a.resumeToken });
    assert.equal(wa2.you.card, 'zebra42', "own card is in welcome.you.card");
    assert.equal(participant(wa2.room, a.participantId).card, null, 'even own card is null in welcome.room');
    await sleep(200);
    const http = await srv.http(`/api/rooms/${room}`);
    assert.equal(http.status, 200);
    assert.ok(!withoutDeck(JSON.stringify({ room: http.json })).includes('zebra42'), 'HTTP RoomState leaks the card');
    assert.ok(!withoutDeck(JSON.stringify({ room: http.json })).includes('"1"'), "HTTP RoomState leaks B's card");

    for (const cl of [b, c, d]) {
      for (const f of cl.frames) {
        assert.ok(!withoutDeck(f).includes('zebra42'), `${cl.label} received A's card before reveal: ${f}`);
      }
      for (const m of cl.all()) {
        const r = m.room;
        if (!r) continue;
        for (const p of r.participants) assert.equal(p.card, null, `${cl.label}: card visible before reveal in v${r.version}`);
        assert.equal(r.result, null);
      }
    }
    for (const f of a.frames.concat(a2.frames, c.frames, d.frames)) {
      assert.ok(!/"card":"1"/.test(f), `B's card leaked: ${f}`);
    }

    await b.ok({ type: 'reveal' });
    const rev = await c.nextState('reveal', b.participantId);
    assert.equal(rev.room.stage, 'revealed');
    assert.equal(participant(rev.room, a.participantId).card, 'zebra42');
    assert.equal(participant(rev.room, b.participantId).card, '1');
    assert.equal(participant(rev.room, c.participantId).card, null);
    assert.equal(participant(rev.room, d.participantId).voted, false);
    assert.deepEqual(rev.room.result.distribution, { zebra42: 1, 1: 1 });
    assert.equal(rev.room.result.votes, 2);
    const httpAfter = await srv.http(`/api/rooms/${room}`);
    assert.equal(participant(httpAfter.json, a.participantId).card, 'zebra42');

    // round 2: the new vote is secret again
    await a.ok({ type: 'reset' });
    c.skipAll(); d.skipAll(); b.skipAll();
    const mark = { b: b.frames.length, c: c.frames.length, d: d.frames.length };
    await a.ok({ type: 'vote', card: 'yak77' });
    await c.nextState('vote', a.participantId);
    await d.nextState('vote', a.participantId);
    await b.nextState('vote', a.participantId);
    for (const [k, cl] of [['b', b], ['c', c], ['d', d]]) {
      for (const f of cl.frames.slice(mark[k])) {
        assert.ok(!withoutDeck(f).includes('yak77'), `${cl.label} received A's round-2 card: ${f}`);
      }
    }
  });

  async function roundResult(deck, cards) {
    const room = uniqueRoom('stats');
    const host = await joined(srv.wsUrl, room, 'Host', { role: 'observer' }, 'host');
    if (deck) await host.ok({ type: 'settings', deck });
    const voters = [];
    for (let i = 0; i < cards.length; i++) voters.push(await joined(srv.wsUrl, room, `V${i}`, {}, `V${i}`));
    for (let i = 0; i < cards.length; i++) await voters[i].ok({ type: 'vote', card: cards[i] });
    await host.ok({ type: 'reveal' });
    const s = await host.nextState('reveal', host.participantId);
    for (let i = 0; i < cards.length; i++) assert.equal(participant(s.room, voters[i].participantId).card, cards[i]);
    await closeAllClients();
    return s.room.result;
  }

  const close = (actual, expected, msg) => {
    if (expected === null) return assert.equal(actual, null, msg);
    assert.equal(typeof actual, 'number', `${msg}: ${actual}`);
    assert.ok(Math.abs(actual - expected) < 1e-6, `${msg}: expected ${expected}, got ${actual}`);
  };

  const cases = [
    { name: 'mixed with ? and coffee', deck: null, cards: ['1', '2', '3', '5', '?', 'coffee'],
      average: 2.75, median: 2.5, min: '1', max: '5', consensus: false, agreement: 0.25,
      distribution: { 1: 1, 2: 1, 3: 1, 5: 1, '?': 1, coffee: 1 } },
    { name: 'consensus apart from ?', deck: null, cards: ['5', '5', '?', '5'],
      average: 5, median: 5, min: '5', max: '5', consensus: true, agreement: 1, distribution: { 5: 3, '?': 1 } },
    { name: 'odd count, majority', deck: null, cards: ['13', '8', '8'],
      average: 29 / 3, median: 8, min: '8', max: '13', consensus: false, agreement: 2 / 3, distribution: { 8: 2, 13: 1 } },
    { name: 'zeros are numbers', deck: null, cards: ['0', '0'],
      average: 0, median: 0, min: '0', max: '0', consensus: true, agreement: 1, distribution: { 0: 2 } },
    { name: 'modified deck with ½', deck: 'modified', cards: ['½', '1', '3', '100'],
      average: 26.125, median: 2, min: '½', max: '100', consensus: false, agreement: 0.25,
      distribution: { '½': 1, 1: 1, 3: 1, 100: 1 } },
    { name: 't-shirt sizes: no numbers', deck: 'tshirt', cards: ['L', 'S', 'L', '?'],
      average: null, median: null, min: 'S', max: 'L', consensus: false, agreement: 2 / 3, distribution: { L: 2, S: 1, '?': 1 } },
  ];
  for (const k of cases) {
    it(`result statistics: ${k.name} (${k.cards.join(' ')})`, async () => {
      const r = await roundResult(k.deck, k.cards);
      assert.ok(r, 'result present after reveal');
      close(r.average, k.average, 'average');
      close(r.median, k.median, 'median');
      assert.equal(String(r.min), k.min, 'min by deck order');
      assert.equal(String(r.max), k.max, 'max by deck order');
      assert.deepEqual(r.distribution, k.distribution);
      assert.equal(r.consensus, k.consensus, 'consensus');
      close(r.agreement, k.agreement, 'agreement');
      assert.equal(r.votes, k.cards.length, 'votes cast');
    });
  }

  it('anonymous: revealed cards stay null, result shows the distribution, no name is paired with a card', async () => {
    const room = uniqueRoom('anon');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(srv.wsUrl, room, 'Ben', {}, 'B');
    const c = await joined(srv.wsUrl, room, 'Cleo', {}, 'C');
    await a.ok({ type: 'settings', anonymous: true });
    const st = await b.nextState('settings', a.participantId);
    assert.equal(st.room.settings.anonymous, true);
    await a.ok({ type: 'story', title: 'Anonymous story' });
    await a.ok({ type: 'vote', card: '3' });
    await b.ok({ type: 'vote', card: '8' });
    await c.ok({ type: 'vote', card: '8' });
    await a.ok({ type: 'reveal' });
    const rev = await b.nextState('reveal', a.participantId);
    assert.equal(rev.room.stage, 'revealed');
    for (const p of rev.room.participants) {
      assert.equal(p.card, null, `anonymous: card of ${p.name} shown`);
      assert.equal(p.voted, true);
    }
    assert.deepEqual(rev.room.result.distribution, { 3: 1, 8: 2 });
    assert.equal(rev.room.result.votes, 3);
    assert.ok(Math.abs(rev.room.result.average - 19 / 3) < 1e-6);
    await a.ok({ type: 'reset' });
    const rs = await b.nextState('reset', a.participantId);
    assert.equal(rs.room.earlierRounds.length, 1);
    assert.deepEqual(rs.room.earlierRounds[0].votes.map((v) => v.card).sort(), ['3', '8', '8']);
    await a.ok({ type: 'vote', card: '5' });
    await b.ok({ type: 'vote', card: '5' });
    await a.ok({ type: 'reveal' });
    await a.ok({ type: 'finalize', estimate: '5' });
    const fin = await b.nextState('finalize', a.participantId);
    const h = fin.room.history[0];
    assert.equal(h.estimate, '5');
    assert.deepEqual(h.votes.map((v) => v.card).sort(), ['5', '5']);
    for (const cl of [a, b, c]) {
      for (const m of cl.all()) {
        assert.deepEqual(namedCards(m), [], `${cl.label} got a name paired with a card`);
      }
    }
    const hist = await srv.http(`/api/rooms/${room}/history`);
    assert.deepEqual(namedCards(hist.json), [], 'history route pairs names with cards');
    const csv = await srv.http(`/api/rooms/${room}/history?format=csv`);
    assert.ok(!/Aiko|Ben|Cleo/.test(csv.text), `csv export names voters in anonymous mode:\n${csv.text}`);
    const md = await srv.http(`/api/rooms/${room}/history?format=md`);
    assert.ok(!/Aiko|Ben|Cleo/.test(md.text), `markdown export names voters in anonymous mode:\n${md.text}`);
    // sinks get the cards without names
    let rec;
    for (let i = 0; i < 50 && !rec; i++) {
      rec = srv.sinkRecords().find((x) => x.roomId === room);
      if (!rec) await sleep(100);
    }
    assert.ok(rec, 'sink record written');
    assert.deepEqual(rec.votes.map((v) => v.card).sort(), ['5', '5']);
    assert.deepEqual(namedCards(rec), [], 'sink record pairs names with cards');
  });
});
