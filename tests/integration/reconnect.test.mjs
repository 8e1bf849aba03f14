// Reconnect with participantId + resumeToken, tabs, kick, grace period, restart without storage.
import { describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, testWithLogs, sleep } from './lib/server.mjs';
import { Client, joined, closeAllClients, uniqueRoom, participant } from './lib/client.mjs';

let srv;
let graceSrv;
const extra = [];
const it = testWithLogs(() => [srv, graceSrv, ...extra]);

function tamper(token) {
  const last = token[token.length - 1];
  return token.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

describe('reconnect (default grace period)', () => {
  before(async () => { srv = await startServer(); });
  after(async () => {
    await closeAllClients();
    if (srv) await srv.stop();
    await Promise.all(extra.map((s) => s.stop()));
  });
  afterEach(async () => { await closeAllClients(); });

  it('rejoin with participantId + resumeToken keeps id, vote and facilitator rights', async () => {
    const room = uniqueRoom('resume');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(srv.wsUrl, room, 'Ben', {}, 'B');
    const A = a.participantId;
    await a.ok({ type: 'vote', card: '8' });
    await a.close();
    const off = await b.nextRoom((r) => participant(r, A)?.online === false, 3000, 'A offline');
    assert.equal(participant(off.room, A).role, 'facilitator', 'still facilitator while offline');
    assert.equal(participant(off.room, A).voted, true, 'vote kept while offline');

    const a2 = await Client.connect(srv.wsUrl, { label: 'A2' });
    const { welcome } = await a2.join(room, 'Aiko', { participantId: A, resumeToken: a.resumeToken });
    assert.equal(welcome.participantId, A, 'same participantId');
    assert.equal(welcome.you.card, '8', 'vote restored in welcome.you.card');
    assert.equal(participant(welcome.room, A).role, 'facilitator');
    assert.equal(participant(welcome.room, A).online, true);
    assert.equal(participant(welcome.room, A).voted, true);
    assert.equal(welcome.room.participants.length, 2, 'no duplicate seat');
    assert.equal(typeof welcome.resumeToken, 'string');
    assert.ok(welcome.resumeToken.length >= 16);
    const on = await b.nextState('join', A);
    assert.equal(participant(on.room, A).online, true);
    assert.equal(on.room.version, welcome.room.version);
    // facilitator rights: settings is facilitator-only
    await a2.ok({ type: 'settings', hostOnly: true });
    await a2.ok({ type: 'reveal' });
    const rev = await b.nextState('reveal', A);
    assert.equal(participant(rev.room, A).card, '8');
    // the token from the second welcome works as well
    await a2.close();
    const a3 = await Client.connect(srv.wsUrl, { label: 'A3' });
    const { welcome: w3 } = await a3.join(room, 'Aiko', { participantId: A, resumeToken: welcome.resumeToken });
    assert.equal(w3.participantId, A);
  });

  it('resume keeps the role: an observer rejoining without a role stays observer', async () => {
    const room = uniqueRoom('role');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const o = await joined(srv.wsUrl, room, 'Olga', { role: 'observer' }, 'O');
    await o.close();
    await a.nextRoom((r) => participant(r, o.participantId)?.online === false, 3000, 'O offline');
    const o2 = await Client.connect(srv.wsUrl, { label: 'O2' });
    const { welcome } = await o2.join(room, 'Olga', { participantId: o.participantId, resumeToken: o.resumeToken });
    assert.equal(welcome.you.role, 'observer');
    assert.equal(participant(welcome.room, o.participantId).role, 'observer');
    await o2.fails({ type: 'vote', card: '5' }, 'forbidden');
  });

  it('a bad token, a token of someone else, or a token from another room gives bad_resume', async () => {
    const roomX = uniqueRoom('x');
    const roomY = uniqueRoom('y');
    const a = await joined(srv.wsUrl, roomX, 'Aiko', {}, 'A');
    const b = await joined(srv.wsUrl, roomX, 'Ben', {}, 'B');
    await joined(srv.wsUrl, roomY, 'Yuri', {}, 'Y');
    await b.close();
    const c = await Client.connect(srv.wsUrl, { label: 'C' });
    const e1 = await c.fails({ type: 'join', room: roomX, name: 'Ben', participantId: b.participantId, resumeToken: tamper(b.resumeToken) }, 'bad_resume');
    assert.equal(typeof e1.message, 'string');
    await c.fails({ type: 'join', room: roomX, name: 'Ben', participantId: b.participantId, resumeToken: 'x'.repeat(40) }, 'bad_resume');
    await c.fails({ type: 'join', room: roomX, name: 'Ben', participantId: b.participantId, resumeToken: a.resumeToken }, 'bad_resume');
    await c.fails({ type: 'join', room: roomX, name: 'Ben', participantId: 'p_doesnotexist', resumeToken: b.resumeToken }, 'bad_resume');
    // token from room X used in room Y (existing) and in room Z (not existing)
    await c.fails({ type: 'join', room: roomY, name: 'Ben', participantId: b.participantId, resumeToken: b.resumeToken }, 'bad_resume');
    await c.fails({ type: 'join', room: uniqueRoom('z'), name: 'Ben', participantId: b.participantId, resumeToken: b.resumeToken }, 'bad_resume');
    // none of that joined anything: the connection can still join, with the right token
    const { welcome } = await c.join(roomX, 'Ben', { participantId: b.participantId, resumeToken: b.resumeToken });
    assert.equal(welcome.participantId, b.participantId);
    assert.equal(welcome.room.participants.length, 2);
    const roomYState = await srv.http(`/api/rooms/${roomY}`);
    assert.equal(roomYState.json.participants.length, 1, 'bad_resume must not add anyone to room Y');
  });

  it('kicked: every tab gets `kicked` then close 4001; the token is void; a fresh join works', async () => {
    const room = uniqueRoom('kick');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const k1 = await joined(srv.wsUrl, room, 'Karl', {}, 'K1');
    const k2 = await Client.connect(srv.wsUrl, { label: 'K2' });
    await k2.join(room, 'Karl', { participantId: k1.participantId, resumeToken: k1.resumeToken });
    await a.ok({ type: 'kick', participantId: k1.participantId });
    const st = await a.nextState('kick', a.participantId);
    assert.equal(participant(st.room, k1.participantId), undefined);
    for (const k of [k1, k2]) {
      const closed = await k.waitClose(3000);
      assert.equal(closed.code, 4001, `${k.label} close code`);
      const types = k.all().map((m) => m.type);
      assert.ok(types.includes('kicked'), `${k.label} got no kicked message: ${types.join(',')}`);
    }
    const again = await Client.connect(srv.wsUrl, { label: 'K3' });
    await again.fails({ type: 'join', room, name: 'Karl', participantId: k1.participantId, resumeToken: k1.resumeToken }, 'bad_resume');
    const { welcome } = await again.join(room, 'Karl');
    assert.notEqual(welcome.participantId, k1.participantId, 'a fresh join is a new participant');
    assert.equal(participant(welcome.room, welcome.participantId).role, 'voter');
    const seen = await a.nextState('join', welcome.participantId);
    assert.equal(seen.room.participants.length, 2);
  });

  it('a second tab keeps the participant online until the last connection closes', async () => {
    const room = uniqueRoom('tabs');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const t1 = await joined(srv.wsUrl, room, 'Tess', {}, 'T1');
    const T = t1.participantId;
    const t2 = await Client.connect(srv.wsUrl, { label: 'T2' });
    const { welcome } = await t2.join(room, 'Tess', { participantId: T, resumeToken: t1.resumeToken });
    assert.equal(welcome.participantId, T);
    assert.equal(welcome.room.participants.length, 2);
    await t1.ok({ type: 'vote', card: '5' });
    const v = await t2.nextState('vote', T);
    assert.equal(participant(v.room, T).voted, true, 'the other tab sees its own vote counted');
    await t1.close();
    await sleep(600);
    const latest = a.latestRoom();
    assert.equal(participant(latest, T).online, true, 'still online through the second tab');
    const http = await srv.http(`/api/rooms/${room}`);
    assert.equal(participant(http.json, T).online, true);
    await t2.ok({ type: 'rename', name: 'Tess Two' }); // the remaining tab still works
    await t2.close();
    const off = await a.nextRoom((r) => participant(r, T)?.online === false, 3000, 'T offline');
    assert.equal(participant(off.room, T).name, 'Tess Two');
    assert.equal(participant(off.room, T).voted, true);
  });

  it('seats survive a restart that lost storage (same secret): same id, first one back is facilitator, no vote', async () => {
    const s1 = await startServer();
    extra.push(s1);
    const room = uniqueRoom('restart');
    const a = await joined(s1.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(s1.wsUrl, room, 'Ben', {}, 'B');
    await a.ok({ type: 'vote', card: '13' });
    await b.ok({ type: 'vote', card: '3' });
    await closeAllClients();
    const r1 = await s1.stop();
    assert.equal(r1.code, 0);
    const s2 = await startServer();
    extra.push(s2);
    try {
      const b2 = await Client.connect(s2.wsUrl, { label: 'B2' });
      const { welcome: wb } = await b2.join(room, 'Ben', { participantId: b.participantId, resumeToken: b.resumeToken });
      assert.equal(wb.participantId, b.participantId, 'seat restored with the same participantId');
      assert.equal(participant(wb.room, b.participantId).role, 'facilitator', 'first one back is facilitator');
      assert.equal(wb.you.card, null, 'votes are not restored from nowhere');
      const a2 = await Client.connect(s2.wsUrl, { label: 'A2' });
      const { welcome: wa } = await a2.join(room, 'Aiko', { participantId: a.participantId, resumeToken: a.resumeToken });
      assert.equal(wa.participantId, a.participantId);
      assert.equal(participant(wa.room, a.participantId).role, 'voter');
      assert.equal(participant(wa.room, a.participantId).voted, false);
      assert.equal(wa.room.participants.length, 2);
      await a2.ok({ type: 'vote', card: '5' }); // may vote again in the new round
      // a forged token is still refused in the recreated room
      const c = await Client.connect(s2.wsUrl, { label: 'C' });
      await c.fails({ type: 'join', room, name: 'X', participantId: 'p_forged', resumeToken: tamper(a.resumeToken) }, 'bad_resume');
    } finally {
      await closeAllClients();
      await s2.stop();
    }
  });

  it('a token from a server with another secret gives bad_resume after a restart', async () => {
    const s1 = await startServer();
    extra.push(s1);
    const room = uniqueRoom('secret');
    const a = await joined(s1.wsUrl, room, 'Aiko', {}, 'A');
    await closeAllClients();
    await s1.stop();
    const s2 = await startServer({ env: { FP_RESUME_SECRET: 'another-secret-another-secret-another-secret-42' } });
    extra.push(s2);
    try {
      const c = await Client.connect(s2.wsUrl, { label: 'C' });
      await c.fails({ type: 'join', room, name: 'Aiko', participantId: a.participantId, resumeToken: a.resumeToken }, 'bad_resume');
    } finally {
      await closeAllClients();
      await s2.stop();
    }
  });
});

describe('grace period (graceSeconds 1)', () => {
  before(async () => { graceSrv = await startServer({ config: { server: { graceSeconds: 1 } } }); });
  after(async () => { await closeAllClients(); if (graceSrv) await graceSrv.stop(); });
  afterEach(async () => { await closeAllClients(); });

  it('an offline participant is removed after the grace period; its token then gives bad_resume', async () => {
    const room = uniqueRoom('grace');
    const a = await joined(graceSrv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(graceSrv.wsUrl, room, 'Ben', {}, 'B');
    await b.ok({ type: 'vote', card: '5' });
    const t0 = Date.now();
    await b.close();
    await a.nextRoom((r) => participant(r, b.participantId)?.online === false, 3000, 'B offline');
    const gone = await a.nextRoom((r) => !participant(r, b.participantId), 10000, 'B removed');
    const took = Date.now() - t0;
    assert.ok(took >= 900, `removed after ${took} ms, before the grace period`);
    assert.equal(gone.room.participants.length, 1);
    const c = await Client.connect(graceSrv.wsUrl, { label: 'C' });
    await c.fails({ type: 'join', room, name: 'Ben', participantId: b.participantId, resumeToken: b.resumeToken }, 'bad_resume');
    await c.join(room, 'Ben again');
  });

  it('when the facilitator leaves for good, the longest-present remaining participant becomes facilitator', async () => {
    const room = uniqueRoom('succession');
    const a = await joined(graceSrv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(graceSrv.wsUrl, room, 'Ben', { role: 'observer' }, 'B');
    const c = await joined(graceSrv.wsUrl, room, 'Cleo', {}, 'C');
    await a.close();
    const gone = await c.nextRoom((r) => !participant(r, a.participantId), 10000, 'A removed');
    assert.equal(participant(gone.room, b.participantId).role, 'facilitator', 'B joined before C');
    assert.equal(participant(gone.room, c.participantId).role, 'voter');
    await b.ok({ type: 'settings', hostOnly: true }); // has facilitator rights
    const x = await Client.connect(graceSrv.wsUrl, { label: 'X' });
    await x.fails({ type: 'join', room, name: 'Aiko', participantId: a.participantId, resumeToken: a.resumeToken }, 'bad_resume');
  });

  it('reconnecting within the grace period keeps the seat', async () => {
    const room = uniqueRoom('quick');
    const a = await joined(graceSrv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(graceSrv.wsUrl, room, 'Ben', {}, 'B');
    b.terminate(); // abrupt close, no close frame
    await b.closed;
    const b2 = await Client.connect(graceSrv.wsUrl, { label: 'B2' });
    const { welcome } = await b2.join(room, 'Ben', { participantId: b.participantId, resumeToken: b.resumeToken });
    assert.equal(welcome.participantId, b.participantId);
    await sleep(2500);
    const r = a.latestRoom();
    assert.equal(participant(r, b.participantId)?.online, true, 'reconnected participant must not be removed');
  });
});
