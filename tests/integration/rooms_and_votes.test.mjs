// Rooms, joins and every room command: content of each state, its cause, version + 1 per change.
import { describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, testWithLogs, sleep } from './lib/server.mjs';
import { Client, joined, closeAllClients, uniqueRoom, participant, ISO_MS, ISO } from './lib/client.mjs';

const FIB = ['0', '1', '2', '3', '5', '8', '13', '21', '34', '55', '89', '?', 'coffee'];

let srv;
const it = testWithLogs(() => srv);

function assertOneAnswerPerRid(...clients) {
  for (const c of clients) {
    for (const [rid, n] of c.answersPerRid()) {
      assert.equal(n, 1, `${c.label}: rid ${rid} got ${n} ack/error answers`);
    }
  }
}

describe('rooms and votes', () => {
  before(async () => { srv = await startServer(); });
  after(async () => { await closeAllClients(); if (srv) await srv.stop(); });
  afterEach(async () => { await closeAllClients(); });

  it('join: welcome content, others get state caused by the join with the same version', async () => {
    const room = uniqueRoom('join');
    const a = await Client.connect(srv.wsUrl, { label: 'A' });
    const before = Date.now();
    const { welcome: wa, ack } = await a.join(room, 'Aiko');
    assert.equal(ack.type, 'ack');
    assert.equal(wa.type, 'welcome');
    assert.equal(typeof wa.participantId, 'string');
    assert.ok(wa.participantId.length > 0);
    assert.equal(typeof wa.resumeToken, 'string');
    assert.ok(wa.resumeToken.length >= 16, `resumeToken too short: ${wa.resumeToken}`);
    assert.match(wa.serverTime, ISO_MS);
    assert.ok(Math.abs(Date.parse(wa.serverTime) - before) < 5000, `serverTime ${wa.serverTime} far from now`);
    const r = wa.room;
    assert.equal(r.id, room);
    assert.equal(typeof r.version, 'number');
    assert.equal(r.stage, 'voting');
    assert.deepEqual(r.deck, FIB);
    assert.equal(r.settings.autoReveal, false);
    assert.equal(r.settings.hostOnly, false);
    assert.equal(r.settings.deckName, 'fibonacci');
    assert.equal(r.result, null);
    assert.equal(r.timer, null);
    assert.deepEqual(r.queue, []);
    assert.deepEqual(r.history, []);
    assert.deepEqual(r.earlierRounds, []);
    assert.equal(r.participants.length, 1);
    const pa = r.participants[0];
    assert.equal(pa.id, wa.participantId);
    assert.equal(pa.name, 'Aiko');
    assert.equal(pa.role, 'facilitator', 'first joiner is facilitator');
    assert.equal(pa.online, true);
    assert.equal(pa.voted, false);
    assert.equal(pa.card, null);
    assert.equal(wa.you.card, null);
    assert.equal(wa.you.role, pa.role, 'welcome.you.role matches the room entry');

    const b = await Client.connect(srv.wsUrl, { label: 'B' });
    const { welcome: wb } = await b.join(room, 'Ben');
    const sa = await a.nextState('join', wb.participantId);
    assert.equal(sa.cause.type, 'join');
    assert.equal(sa.cause.by, wb.participantId);
    assert.match(sa.serverTime, ISO_MS);
    assert.equal(sa.room.version, wa.room.version + 1, 'one join = one version');
    assert.equal(wb.room.version, sa.room.version, 'welcome carries the version of the join state');
    assert.deepEqual(wb.room, sa.room, 'welcome.room and the state for the same version are one content');
    assert.notEqual(wb.participantId, wa.participantId);
    assert.notEqual(wb.resumeToken, wa.resumeToken);
    assert.equal(participant(sa.room, wb.participantId).role, 'voter');
    assert.equal(participant(sa.room, wa.participantId).role, 'facilitator');
    assert.equal(wb.you.role, 'voter');

    const c = await Client.connect(srv.wsUrl, { label: 'C' });
    const { welcome: wc } = await c.join(room, 'Chloé', { role: 'observer' });
    const [sa2, sb2] = await Promise.all([a.nextState('join', wc.participantId), b.nextState('join', wc.participantId)]);
    assert.equal(sa2.room.version, wb.room.version + 1);
    assert.equal(sb2.room.version, sa2.room.version);
    assert.equal(wc.room.version, sa2.room.version);
    assert.equal(wc.you.role, 'observer');
    assert.equal(participant(wc.room, wc.participantId).role, 'observer');
    assert.equal(participant(wc.room, wc.participantId).name, 'Chloé');
    assert.deepEqual(wc.room.participants.map((p) => p.name).sort(), ['Aiko', 'Ben', 'Chloé']);
    // The joining connection gets no `state` for its own join besides the welcome... or if it does,
    // it has the same version; it must never get an older one later.
    for (const m of c.states()) assert.ok(m.room.version >= wc.room.version);
    await sleep(100);
    assertOneAnswerPerRid(a, b, c);
  });

  it('every command gives a state with the right content and cause; version + 1 each time', async () => {
    const room = uniqueRoom('cmds');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(srv.wsUrl, room, 'Ben', {}, 'B');
    const c = await joined(srv.wsUrl, room, 'Cleo', { role: 'observer' }, 'C');
    const w = await joined(srv.wsUrl, room, 'Watcher', { role: 'observer' }, 'W');
    const A = a.participantId; const B = b.participantId; const C = c.participantId;
    let version = w.welcome.room.version;
    let prevRoom = w.welcome.room;

    async function step(actor, cmd, check) {
      await actor.ok(cmd);
      const s = await w.nextState(cmd.type, actor.participantId);
      // additions (e.g. a target) are allowed: check the documented fields
      assert.equal(s.cause.type, cmd.type, `cause.type of ${cmd.type}`);
      assert.equal(s.cause.by, actor.participantId, `cause.by of ${cmd.type}`);
      assert.equal(s.room.version, version + 1, `version after ${cmd.type} (${JSON.stringify(cmd)})`);
      assert.match(s.serverTime, ISO_MS);
      // the actor sees the same content for that version
      const mine = await actor.next((m) => m.type === 'state' && m.room.version === s.room.version, 2000,
        `actor's state v${s.room.version}`);
      assert.deepEqual(mine.room, s.room, 'same version, same content for everyone');
      version = s.room.version;
      check(s.room, prevRoom);
      prevRoom = s.room;
      return s.room;
    }

    await step(a, { type: 'story', title: 'Login page', ref: 'FP-12', url: 'https://example.com/FP-12' }, (r) => {
      assert.deepEqual(r.story, { title: 'Login page', ref: 'FP-12', url: 'https://example.com/FP-12' });
      assert.equal(r.round, 1);
      assert.equal(r.stage, 'voting');
    });
    await step(a, { type: 'vote', card: '5' }, (r) => {
      assert.equal(participant(r, A).voted, true);
      assert.equal(participant(r, A).card, null);
      assert.equal(participant(r, B).voted, false);
    });
    await step(b, { type: 'vote', card: '13' }, (r) => { assert.equal(participant(r, B).voted, true); });
    await step(b, { type: 'unvote' }, (r) => { assert.equal(participant(r, B).voted, false); });
    await step(b, { type: 'vote', card: '8' }, (r) => { assert.equal(participant(r, B).voted, true); });
    await step(a, { type: 'reveal' }, (r) => {
      assert.equal(r.stage, 'revealed');
      assert.equal(participant(r, A).card, '5');
      assert.equal(participant(r, B).card, '8');
      assert.equal(participant(r, C).card, null);
      assert.equal(r.result.votes, 2);
      assert.equal(r.result.average, 6.5);
      assert.equal(r.result.median, 6.5);
      assert.deepEqual(r.result.distribution, { 5: 1, 8: 1 });
      assert.equal(r.result.consensus, false);
    });
    await step(b, { type: 'reset' }, (r) => {
      assert.equal(r.stage, 'voting');
      assert.equal(r.round, 2);
      assert.equal(r.story.title, 'Login page', 'reset keeps the story');
      assert.equal(r.result, null);
      for (const p of r.participants) { assert.equal(p.voted, false); assert.equal(p.card, null); }
      assert.equal(r.earlierRounds.length, 1);
      const er = r.earlierRounds[0];
      assert.equal(er.round, 1);
      assert.deepEqual([...er.votes].sort((x, y) => x.name.localeCompare(y.name)),
        [{ name: 'Aiko', card: '5' }, { name: 'Ben', card: '8' }]);
      assert.equal(er.stats.average, 6.5);
      assert.equal(er.stats.votes, 2);
    });
    await step(a, { type: 'reset' }, (r) => {
      assert.equal(r.round, 3, 'reset during voting still starts a new round');
      assert.equal(r.earlierRounds.length, 1, 'reset during voting adds nothing to earlierRounds');
    });
    await step(a, { type: 'queue.add', stories: [{ title: 'Signup' }, { title: 'Logout', ref: 'FP-14', url: 'http://example.com/14' }] }, (r) => {
      assert.deepEqual(r.queue, [
        { title: 'Signup', ref: null, url: null },
        { title: 'Logout', ref: 'FP-14', url: 'http://example.com/14' },
      ]);
    });
    await step(b, { type: 'queue.add', stories: [{ title: 'Drop me' }] }, (r) => {
      assert.deepEqual(r.queue.map((s) => s.title), ['Signup', 'Logout', 'Drop me']);
    });
    await step(a, { type: 'queue.remove', index: 2 }, (r) => {
      assert.deepEqual(r.queue.map((s) => s.title), ['Signup', 'Logout']);
    });
    await step(a, { type: 'vote', card: '3' }, () => {});
    await step(b, { type: 'vote', card: '3' }, () => {});
    await step(a, { type: 'reveal' }, (r) => { assert.equal(r.result.consensus, true); });
    const before = Date.now();
    await step(a, { type: 'finalize', estimate: '3' }, (r) => {
      assert.equal(r.history.length, 1);
      const h = r.history[0];
      assert.equal(typeof h.resultId, 'string');
      assert.ok(h.resultId.length > 0);
      assert.deepEqual(h.story, { title: 'Login page', ref: 'FP-12', url: 'https://example.com/FP-12' });
      assert.equal(h.estimate, '3');
      assert.deepEqual([...h.votes].sort((x, y) => x.name.localeCompare(y.name)),
        [{ name: 'Aiko', card: '3' }, { name: 'Ben', card: '3' }]);
      assert.equal(h.stats.consensus, true);
      assert.equal(h.stats.votes, 2);
      assert.equal(h.rounds, 3);
      assert.equal(h.earlierRounds.length, 1);
      assert.match(h.finalizedAt, ISO);
      assert.ok(Math.abs(Date.parse(h.finalizedAt) - before) < 5000);
      // the next queued story becomes current
      assert.deepEqual(r.story, { title: 'Signup', ref: null, url: null });
      assert.deepEqual(r.queue.map((s) => s.title), ['Logout']);
      assert.equal(r.stage, 'voting');
      assert.equal(r.round, 1);
      assert.equal(r.result, null);
      assert.deepEqual(r.earlierRounds, []);
      for (const p of r.participants) assert.equal(p.voted, false);
    });
    // this server refuses finalize before reveal (wrong_stage): reveal first
    await step(b, { type: 'vote', card: '2' }, () => {});
    await step(b, { type: 'reveal' }, (r) => { assert.equal(r.stage, 'revealed'); });
    await step(b, { type: 'finalize', estimate: 'later' }, (r) => {
      assert.equal(r.history.length, 2);
      assert.equal(r.history[0].estimate, 'later', 'free text estimate, newest first');
      assert.equal(r.history[0].story.title, 'Signup');
      assert.equal(r.history[1].story.title, 'Login page');
      assert.notEqual(r.history[0].resultId, r.history[1].resultId);
      assert.deepEqual(r.story, { title: 'Logout', ref: 'FP-14', url: 'http://example.com/14' });
      assert.deepEqual(r.queue, []);
    });
    await step(a, { type: 'reveal' }, () => {});
    await step(a, { type: 'finalize', estimate: '8' }, (r) => {
      assert.equal(r.history.length, 3);
      assert.equal(r.story, null, 'no queued story left: none is current');
    });
    await step(b, { type: 'vote', card: '5' }, () => {});
    await step(a, { type: 'settings', deck: 'tshirt' }, (r) => {
      assert.deepEqual(r.deck, ['XS', 'S', 'M', 'L', 'XL', 'XXL', '?']);
      assert.equal(r.settings.deckName, 'tshirt');
      assert.equal(participant(r, B).voted, false, 'changing the deck clears votes');
    });
    await step(a, { type: 'settings', hostOnly: true, autoReveal: false, name: 'Team Alpha' }, (r) => {
      assert.equal(r.settings.hostOnly, true);
      assert.equal(r.settings.autoReveal, false);
      assert.equal(r.name, 'Team Alpha');
      assert.deepEqual(r.deck, ['XS', 'S', 'M', 'L', 'XL', 'XXL', '?']);
    });
    await step(a, { type: 'settings', deck: ['1', '2', '3', 'big'] }, (r) => {
      assert.deepEqual(r.deck, ['1', '2', '3', 'big']);
      assert.notEqual(r.settings.deckName, 'tshirt');
    });
    const tBefore = Date.now();
    await step(a, { type: 'timer', seconds: 60 }, (r) => {
      assert.ok(r.timer, 'timer set');
      assert.equal(r.timer.seconds, 60);
      assert.equal(r.timer.autoReveal, false);
      assert.match(r.timer.startedAt, ISO);
      assert.match(r.timer.endsAt, ISO);
      assert.ok(Math.abs(Date.parse(r.timer.startedAt) - tBefore) < 5000);
      assert.ok(Math.abs(Date.parse(r.timer.endsAt) - Date.parse(r.timer.startedAt) - 60000) <= 1000);
    });
    await step(a, { type: 'timer', seconds: 0 }, (r) => { assert.equal(r.timer, null, 'timer 0 stops'); });
    await step(b, { type: 'rename', name: '  Benjamin  ' }, (r) => {
      assert.equal(participant(r, B).name, 'Benjamin', 'names are trimmed');
    });
    await step(b, { type: 'vote', card: 'big' }, (r) => { assert.equal(participant(r, B).voted, true); });
    await step(b, { type: 'role', role: 'observer' }, (r) => {
      assert.equal(participant(r, B).role, 'observer');
      assert.equal(participant(r, B).voted, false, 'becoming observer withdraws the vote');
    });
    await step(b, { type: 'role', role: 'voter' }, (r) => { assert.equal(participant(r, B).role, 'voter'); });
    await step(a, { type: 'handover', participantId: B }, (r) => {
      assert.equal(participant(r, B).role, 'facilitator');
      assert.equal(participant(r, A).role, 'voter');
      assert.equal(r.participants.filter((p) => p.role === 'facilitator').length, 1);
    });
    await step(b, { type: 'kick', participantId: C }, (r) => {
      assert.equal(participant(r, C), undefined, 'kicked participant removed');
      assert.equal(r.participants.length, 3);
    });
    const kicked = await c.next((m) => m.type === 'kicked', 2000, 'kicked');
    assert.equal(kicked.type, 'kicked');
    const closed = await c.waitClose(2000);
    assert.equal(closed.code, 4001);
    await sleep(150);
    assertOneAnswerPerRid(a, b, w);
    // every state W saw has a strictly increasing, gap-free version
    const vs = w.states().map((m) => m.room.version);
    for (let i = 1; i < vs.length; i++) assert.equal(vs[i], vs[i - 1] + 1, `versions ${vs.join(',')}`);
  });

  it('ping gets pong with the rid (string or number), before and after join; one answer only', async () => {
    const c = await Client.connect(srv.wsUrl, { label: 'P' });
    c.send({ type: 'ping', rid: 42 });
    const p1 = await c.next((m) => m.type === 'pong');
    assert.equal(p1.rid, 42);
    c.send({ type: 'ping', rid: 'abc' });
    const p2 = await c.next((m) => m.type === 'pong');
    assert.equal(p2.rid, 'abc');
    c.send({ type: 'ping' });
    const p3 = await c.next((m) => m.type === 'pong');
    assert.equal(p3.rid, undefined);
    await c.join(uniqueRoom('ping'), 'Pia');
    c.send({ type: 'ping', rid: 7 });
    const p4 = await c.next((m) => m.type === 'pong');
    assert.equal(p4.rid, 7);
    const extra = await c.expectNone((m) => m.rid === 42 || m.rid === 'abc' || m.rid === 7, 300);
    assert.deepEqual(extra, [], 'ping with rid is answered by one pong only');
  });

  it('a numeric rid comes back as the same number in ack and error', async () => {
    const c = await Client.connect(srv.wsUrl, { label: 'N' });
    c.send({ type: 'join', room: uniqueRoom('rid'), name: 'Nina', rid: 1234 });
    const ack = await c.next((m) => m.type === 'ack');
    assert.equal(ack.rid, 1234);
    await c.next((m) => m.type === 'welcome');
    c.send({ type: 'vote', card: 'nope', rid: 99 });
    const err = await c.next((m) => m.type === 'error');
    assert.equal(err.rid, 99);
    assert.equal(err.code, 'invalid_card');
  });

  it('autoReveal: the room reveals by itself when every online voter voted (cause.by null)', async () => {
    const room = uniqueRoom('auto');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(srv.wsUrl, room, 'Ben', {}, 'B');
    await joined(srv.wsUrl, room, 'Olga', { role: 'observer' }, 'O');
    const gone = await joined(srv.wsUrl, room, 'Gone', {}, 'G');
    await gone.close();
    await a.nextRoom((r) => participant(r, gone.participantId)?.online === false, 3000, 'G offline');
    await a.ok({ type: 'settings', autoReveal: true });
    await a.nextState('settings', a.participantId);
    await a.ok({ type: 'vote', card: '3' });
    const s1 = await a.nextState('vote', a.participantId);
    assert.equal(s1.room.stage, 'voting', 'not all voters voted yet');
    await b.ok({ type: 'vote', card: '5' });
    const rev = await a.nextRoom((r) => r.stage === 'revealed', 3000, 'auto reveal');
    assert.equal(rev.cause.by, null, `auto-reveal is the server's own change: ${JSON.stringify(rev.cause)}`);
    assert.equal(participant(rev.room, a.participantId).card, '3');
    assert.equal(participant(rev.room, b.participantId).card, '5');
    assert.equal(rev.room.result.votes, 2);
    const more = await a.expectNone((m) => m.type === 'state' && m.room.stage === 'revealed', 500);
    assert.equal(more.length, 0, 'revealed exactly once');
  });

  it('timer with autoReveal reveals exactly once when it runs out (cause.by null)', async () => {
    const room = uniqueRoom('timer');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(srv.wsUrl, room, 'Ben', {}, 'B');
    await a.ok({ type: 'vote', card: '8' });
    await a.ok({ type: 'timer', seconds: 1, autoReveal: true });
    const st = await b.nextState('timer', a.participantId);
    assert.equal(st.room.timer.seconds, 1);
    assert.equal(st.room.timer.autoReveal, true);
    assert.equal(st.room.stage, 'voting');
    const rev = await b.nextRoom((r) => r.stage === 'revealed', 4000, 'timer reveal');
    const took = Date.now() - Date.parse(st.room.timer.startedAt);
    assert.ok(took >= 900, `revealed after ${took} ms, before the timer ran out`);
    assert.equal(rev.cause.by, null);
    assert.equal(participant(rev.room, a.participantId).card, '8');
    const more = await b.expectNone((m) => m.type === 'state' && m.cause?.by === null && m.room.stage === 'revealed', 1200);
    assert.equal(more.length, 0, 'timer reveals exactly once');
  });

  it('timer expiry without autoReveal is a server change (cause.by null) and does not reveal', async () => {
    const room = uniqueRoom('expire');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    await a.ok({ type: 'vote', card: '3' });
    await a.ok({ type: 'timer', seconds: 1 });
    const st = await a.nextState('timer', a.participantId);
    const exp = await a.next((m) => m.type === 'state' && m.cause?.by === null, 4000, 'state for the timer running out');
    assert.equal(exp.room.version, st.room.version + 1);
    assert.equal(exp.room.stage, 'voting', 'no reveal without autoReveal');
    assert.ok(Date.now() - Date.parse(st.room.timer.startedAt) >= 900);
  });

  it('autoReveal also reveals when the last voter who has not voted goes offline', async () => {
    const room = uniqueRoom('autooff');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(srv.wsUrl, room, 'Ben', {}, 'B');
    await a.ok({ type: 'settings', autoReveal: true });
    await a.ok({ type: 'vote', card: '5' });
    await b.close();
    const rev = await a.nextRoom((r) => r.stage === 'revealed', 3000, 'reveal once every online voter voted');
    assert.equal(rev.cause.by, null);
    assert.equal(participant(rev.room, a.participantId).card, '5');
  });

  it('rooms are isolated: nothing of room X reaches a client of room Y', async () => {
    const x = uniqueRoom('iso-x');
    const y = uniqueRoom('iso-y');
    const ax = await joined(srv.wsUrl, x, 'Xavier', {}, 'AX');
    const ay = await joined(srv.wsUrl, y, 'Yara', {}, 'AY');
    const bx = await joined(srv.wsUrl, x, 'Xena', {}, 'BX');
    await ax.ok({ type: 'vote', card: '8' });
    await ax.ok({ type: 'reveal' });
    await bx.nextState('reveal', ax.participantId);
    await sleep(200);
    for (const m of ay.all()) {
      if (m.room) assert.equal(m.room.id, y, `room ${m.room.id} reached a client of ${y}`);
    }
    assert.equal(ay.states().length, 0, `AY got states: ${ay.states().map((s) => s.cause?.type)}`);
  });

  it('50 participants join one room at once: all welcomed, distinct versions, one facilitator', async () => {
    const room = uniqueRoom('crowd');
    const first = await joined(srv.wsUrl, room, 'First', {}, 'first');
    const clients = await Promise.all(Array.from({ length: 49 }, (_, i) =>
      joined(srv.wsUrl, room, `P${i}`, {}, `P${i}`)));
    const versions = clients.map((c) => c.welcome.room.version);
    assert.equal(new Set(versions).size, 49, 'every join is its own version');
    const max = Math.max(...versions);
    assert.equal(max, first.welcome.room.version + 49);
    const last = await first.nextRoom((r) => r.version === max, 5000, `state v${max}`);
    assert.equal(last.room.participants.length, 50);
    assert.equal(last.room.participants.filter((p) => p.role === 'facilitator').length, 1);
    assert.equal(participant(last.room, first.participantId).role, 'facilitator');
    assert.ok(last.room.participants.every((p) => p.online));
  });
});
