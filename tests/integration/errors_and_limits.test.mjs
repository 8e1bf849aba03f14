// Every error code a client can provoke, frame size limits, binary frames, floods, room_full.
import { describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, testWithLogs, sleep } from './lib/server.mjs';
import { Client, joined, closeAllClients, uniqueRoom, participant, describeMsg } from './lib/client.mjs';

let srv;
let smallSrv;
let envSrv;
const it = testWithLogs(() => [srv, smallSrv, envSrv]);

/** `{"type":"ping","rid":...,"pad":"..."}` of exactly totalBytes UTF-8 bytes. */
function paddedPing(rid, totalBytes, padChar = 'x') {
  const head = `{"type":"ping","rid":"${rid}","pad":"`;
  const tail = '"}';
  const n = totalBytes - Buffer.byteLength(head + tail);
  const cb = Buffer.byteLength(padChar);
  const s = head + padChar.repeat(Math.floor(n / cb)) + 'x'.repeat(n % cb) + tail;
  assert.equal(Buffer.byteLength(s), totalBytes);
  return s;
}

/** Ping until a pong arrives (retrying while rate_limited), within deadlineMs. */
async function pingWorks(c, deadlineMs = 6000) {
  const end = Date.now() + deadlineMs;
  let last;
  while (Date.now() < end) {
    const rid = c.newRid();
    c.send({ type: 'ping', rid });
    try {
      last = await c.next((m) => m.rid === rid && ['pong', 'error', 'ack'].includes(m.type), 1500, `pong ${rid}`);
    } catch (e) {
      last = e.message;
      if (!c.isOpen) break;
      continue;
    }
    if (last.type === 'pong') return last;
    if (last.type === 'error' && last.code === 'rate_limited') { await sleep(500); continue; }
    break;
  }
  throw new Error(`ping did not work: ${typeof last === 'string' ? last : describeMsg(last)}; open=${c.isOpen} close=${c.closeCode}`);
}

describe('errors', () => {
  before(async () => { srv = await startServer(); });
  after(async () => { await closeAllClients(); if (srv) await srv.stop(); });
  afterEach(async () => { await closeAllClients(); });

  it('non-JSON text gets bad_json and the connection stays open', async () => {
    const c = await Client.connect(srv.wsUrl, { label: 'C' });
    c.sendRaw('this is { not json');
    const e = await c.next((m) => m.type === 'error');
    assert.equal(e.code, 'bad_json');
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length > 0);
    for (const bad of ['[1,2,3]', '"a string"', '42', 'null']) {
      c.sendRaw(bad);
      const e2 = await c.next((m) => m.type === 'error', 2000, `error for ${bad}`);
      assert.ok(['bad_json', 'bad_message'].includes(e2.code), `${bad} -> ${e2.code}`);
    }
    assert.ok(c.isOpen);
    await pingWorks(c);
  });

  it('missing or non-string type gets bad_message (with rid); unknown type gets unknown_type', async () => {
    const c = await Client.connect(srv.wsUrl, { label: 'C' });
    const e1 = await c.request({ room: 'x' });
    assert.equal(e1.type, 'error');
    assert.equal(e1.code, 'bad_message');
    const e2 = await c.request({ type: 17 });
    assert.equal(e2.code, 'bad_message');
    const e3 = await c.request({ type: 'dance' });
    assert.equal(e3.code, 'unknown_type');
    c.send({ type: 'dance' }); // without rid: still an error, without rid
    const e4 = await c.next((m) => m.type === 'error' && m.rid === undefined);
    assert.equal(e4.code, 'unknown_type');
    await pingWorks(c);
  });

  it('room commands before join get not_joined; a second join gets already_joined', async () => {
    const c = await Client.connect(srv.wsUrl, { label: 'C' });
    for (const cmd of [{ type: 'vote', card: '5' }, { type: 'reveal' }, { type: 'reset' }, { type: 'rename', name: 'X' },
      { type: 'story', title: 'T' }, { type: 'unvote' }]) {
      const e = await c.request(cmd);
      assert.equal(e.code, 'not_joined', `${cmd.type} before join -> ${describeMsg(e)}`);
    }
    const room = uniqueRoom('twice');
    await c.join(room, 'Once');
    await c.fails({ type: 'join', room, name: 'Twice' }, 'already_joined');
    await c.fails({ type: 'join', room: uniqueRoom('other'), name: 'Twice' }, 'already_joined');
    const r = await srv.http(`/api/rooms/${room}`);
    assert.equal(r.json.participants.length, 1);
  });

  it('invalid names: empty, blank, 65 code points, control characters', async () => {
    const room = uniqueRoom('names');
    const c = await Client.connect(srv.wsUrl, { label: 'C' });
    for (const name of ['', '   ', 'x'.repeat(65), '😀'.repeat(65), 'a\u0007b', 'tab\there', 'new\nline', 'del\u007f', 'c1\u0085x']) {
      await c.fails({ type: 'join', room, name }, 'invalid_name');
    }
    // 64 code points is fine even when it is 128 UTF-16 units
    const { welcome } = await c.join(room, '😀'.repeat(64));
    assert.equal(participant(welcome.room, welcome.participantId).name, '😀'.repeat(64));
    await c.fails({ type: 'rename', name: '' }, 'invalid_name');
    await c.fails({ type: 'rename', name: 'y'.repeat(65) }, 'invalid_name');
    await c.fails({ type: 'rename', name: 'bell\u0007' }, 'invalid_name');
    await c.ok({ type: 'rename', name: 'z'.repeat(64) });
  });

  it('invalid room ids get invalid_room', async () => {
    const c = await Client.connect(srv.wsUrl, { label: 'C' });
    for (const room of ['', 'has space', 'a/b', 'dot.dot', 'ü-umlaut', 'r'.repeat(65), '../etc']) {
      await c.fails({ type: 'join', room, name: 'Rita' }, 'invalid_room');
    }
    const ok = `${'R_-9'.repeat(16)}`; // 64 chars of the allowed set
    const { welcome } = await c.join(ok, 'Rita');
    assert.equal(welcome.room.id, ok);
  });

  it('invalid card and wrong fields: nothing changes', async () => {
    const room = uniqueRoom('fields');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const v0 = a.welcome.room.version;
    await a.fails({ type: 'vote', card: '4' }, 'invalid_card');
    await a.fails({ type: 'vote', card: 'XL' }, 'invalid_card');
    const checks = [
      { type: 'vote' },
      { type: 'story', title: '' },
      { type: 'story', title: 't'.repeat(257) },
      { type: 'story', title: 'ok', ref: 'r'.repeat(65) },
      { type: 'story', title: 'ok', url: 'ftp://example.com/x' },
      { type: 'story', title: 'ok', url: 'javascript:alert(1)' },
      { type: 'story', title: 'ok', url: `https://example.com/${'u'.repeat(600)}` },
      { type: 'queue.add', stories: [] },
      { type: 'queue.add', stories: Array.from({ length: 101 }, (_, i) => ({ title: `S${i}` })) },
      { type: 'queue.add', stories: [{ title: '' }] },
      { type: 'queue.add' },
      { type: 'queue.remove', index: 0 },
      { type: 'timer', seconds: 3601 },
      { type: 'timer', seconds: -1 },
      { type: 'timer' },
      { type: 'settings', deck: ['1'] },
      { type: 'settings', deck: Array.from({ length: 31 }, (_, i) => `c${i}`) },
      { type: 'settings', deck: 'nosuchpreset' },
      { type: 'settings', hostOnly: 'yes' },
      { type: 'role', role: 'admin' },
    ];
    const wrong = [];
    for (const cmd of checks) {
      const e = await a.request(cmd);
      if (e.type !== 'error' || e.code !== 'bad_message') wrong.push(`${describeMsg(cmd).slice(0, 100)} -> ${describeMsg(e)}`);
    }
    // a bad card inside a deck definition: bad_message or invalid_card are both fair
    for (const deck of [['1', '1', '2'], ['1', 'ninechars']]) {
      const e = await a.request({ type: 'settings', deck });
      if (e.type !== 'error' || !['bad_message', 'invalid_card'].includes(e.code)) wrong.push(`deck ${JSON.stringify(deck)} -> ${describeMsg(e)}`);
    }
    assert.deepEqual(wrong, [], 'commands with a missing or wrong field must get bad_message');
    const e = await a.request({ type: 'handover', participantId: 'p_nobody' });
    assert.equal(e.type, 'error', 'handover to an unknown participant must fail');
    const k = await a.request({ type: 'kick', participantId: 'p_nobody' });
    assert.equal(k.type, 'error', 'kick of an unknown participant must fail');
    const unknownRole = await Client.connect(srv.wsUrl, { label: 'R' });
    await unknownRole.fails({ type: 'join', room, name: 'Rolf', role: 'king' }, 'bad_message');
    await sleep(100);
    assert.deepEqual(a.states().filter((s) => s.room.version > v0).map((s) => s.cause), [], 'rejected commands changed the room');
    const http = await srv.http(`/api/rooms/${room}`);
    assert.equal(http.json.version, v0, 'rejected commands must not change the version');
    // a story title of 256 code points is fine (512 UTF-16 units)
    await a.ok({ type: 'story', title: '𝄞'.repeat(256) });
    const s = await a.nextState('story', a.participantId);
    assert.equal(s.room.version, v0 + 1);
    assert.equal(s.room.story.title, '𝄞'.repeat(256));
    // finalize's estimate, checked where finalize is otherwise allowed (story set, revealed)
    await a.ok({ type: 'vote', card: '3' });
    await a.ok({ type: 'reveal' });
    const rv = await a.nextState('reveal', a.participantId);
    // an estimate that is neither a card nor 1..16 characters: bad_message or invalid_card are both fair
    for (const cmd of [{ type: 'finalize', estimate: '' }, { type: 'finalize', estimate: 'e'.repeat(17) }, { type: 'finalize' }]) {
      const e = await a.request(cmd);
      assert.equal(e.type, 'error', `${describeMsg(cmd)} accepted`);
      assert.ok(['bad_message', 'invalid_card'].includes(e.code), `${describeMsg(cmd)} -> ${describeMsg(e)}`);
    }
    await sleep(100);
    assert.equal((await srv.http(`/api/rooms/${room}`)).json.version, rv.room.version, 'a refused finalize changed the room');
    await a.ok({ type: 'finalize', estimate: '𝄞'.repeat(16) }); // 16 code points of free text
    const fin = await a.nextState('finalize', a.participantId);
    assert.equal(fin.room.history[0].estimate, '𝄞'.repeat(16));
  });

  it('forbidden: hostOnly restricts controls to the facilitator; settings/kick/handover are facilitator-only; observers do not vote', async () => {
    const room = uniqueRoom('forbid');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(srv.wsUrl, room, 'Ben', {}, 'B');
    const o = await joined(srv.wsUrl, room, 'Olga', { role: 'observer' }, 'O');
    // hostOnly off: everyone controls, but settings/kick/handover stay the facilitator's
    await b.ok({ type: 'story', title: 'Anyone may set it' });
    await b.fails({ type: 'settings', autoReveal: true }, 'forbidden');
    await b.fails({ type: 'kick', participantId: o.participantId }, 'forbidden');
    await b.fails({ type: 'handover', participantId: b.participantId }, 'forbidden');
    await o.fails({ type: 'vote', card: '3' }, 'forbidden');
    await a.ok({ type: 'settings', hostOnly: true });
    for (const cmd of [{ type: 'reveal' }, { type: 'reset' }, { type: 'story', title: 'No' }, { type: 'queue.add', stories: [{ title: 'No' }] },
      { type: 'finalize', estimate: '3' }, { type: 'timer', seconds: 10 }]) {
      await b.fails(cmd, 'forbidden');
    }
    await b.ok({ type: 'vote', card: '3' }); // voting is not a control
    await b.ok({ type: 'rename', name: 'Benny' });
    await a.ok({ type: 'reveal' });
    const rev = await o.nextState('reveal', a.participantId);
    assert.equal(participant(rev.room, b.participantId).card, '3');
    assert.equal(rev.room.story.title, 'Anyone may set it');
    assert.equal(rev.room.queue.length, 0);
    assert.equal(rev.room.timer, null);
  });

  it('the story queue holds at most 500 stories', async () => {
    const room = uniqueRoom('queue');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    await a.ok({ type: 'story', title: 'Current' }); // so no queued story is taken as the current one
    for (let k = 0; k < 5; k++) {
      await a.ok({ type: 'queue.add', stories: Array.from({ length: 100 }, (_, i) => ({ title: `Q${k * 100 + i}` })) });
    }
    const e = await a.request({ type: 'queue.add', stories: [{ title: 'one too many' }] });
    assert.equal(e.type, 'error', 'queue grew past 500');
    const r = await srv.http(`/api/rooms/${room}`);
    assert.equal(r.json.queue.length, 500);
    assert.equal(r.json.queue[0].title, 'Q0');
    assert.equal(r.json.queue[499].title, 'Q499');
  });

  it('wrong_stage: vote and unvote after reveal', async () => {
    const room = uniqueRoom('stage');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    await a.ok({ type: 'vote', card: '2' });
    await a.ok({ type: 'reveal' });
    await a.fails({ type: 'vote', card: '3' }, 'wrong_stage');
    await a.fails({ type: 'unvote' }, 'wrong_stage');
    const r = await srv.http(`/api/rooms/${room}`);
    assert.equal(participant(r.json, a.participantId).card, '2');
  });

  it('a frame of exactly 16,384 bytes is accepted; 16,385 closes with 1009 (bytes, not characters)', async () => {
    const c = await Client.connect(srv.wsUrl, { label: 'exact' });
    c.sendRaw(paddedPing('big', 16384));
    const r = await c.next((m) => m.rid === 'big', 3000, 'answer to the 16384-byte frame');
    assert.ok(['pong', 'ack', 'error'].includes(r.type), describeMsg(r));
    c.sendRaw(paddedPing('big2', 16384, 'é'));
    await c.next((m) => m.rid === 'big2', 3000, 'answer to the 16384-byte frame of 2-byte characters');
    assert.ok(c.isOpen, 'connection must stay open');
    await pingWorks(c);

    const d = await Client.connect(srv.wsUrl, { label: 'over' });
    d.sendRaw(paddedPing('over', 16385));
    const closed = await d.waitClose(3000);
    assert.equal(closed.code, 1009);

    // 16,385 bytes in fewer than 16,384 characters
    const e = await Client.connect(srv.wsUrl, { label: 'over-utf8' });
    const s = paddedPing('over2', 16385, 'é');
    assert.ok(s.length < 16384);
    e.sendRaw(s);
    assert.equal((await e.waitClose(3000)).code, 1009);

    // the server still serves others
    const f = await Client.connect(srv.wsUrl, { label: 'after' });
    await pingWorks(f);
  });

  it('fragmented messages are reassembled; a fragmented message over 16 KiB closes with 1009', async () => {
    const c = await Client.connect(srv.wsUrl, { label: 'frag' });
    const msg = JSON.stringify({ type: 'ping', rid: 'frag' });
    c.ws.send(msg.slice(0, 5), { fin: false });
    c.ws.send(msg.slice(5, 12), { fin: false });
    c.ws.send(msg.slice(12), { fin: true });
    const p = await c.next((m) => m.rid === 'frag', 3000, 'pong to a fragmented ping');
    assert.equal(p.type, 'pong');
    const big = paddedPing('fragbig', 20000);
    c.ws.send(big.slice(0, 10000), { fin: false });
    c.ws.send(big.slice(10000), { fin: true });
    assert.equal((await c.waitClose(3000)).code, 1009);
  });

  it('a binary frame closes with 1003', async () => {
    const c = await Client.connect(srv.wsUrl, { label: 'bin' });
    c.sendRaw(Buffer.from(JSON.stringify({ type: 'ping', rid: 1 })), { binary: true });
    const closed = await c.waitClose(3000);
    assert.equal(closed.code, 1003);
    const d = await Client.connect(srv.wsUrl, { label: 'after' });
    await pingWorks(d);
  });

  it('a flood of 500 malformed messages gets clear errors and the connection keeps working', async () => {
    const room = uniqueRoom('flood');
    const a = await joined(srv.wsUrl, room, 'Aiko', {}, 'A');
    const other = await joined(srv.wsUrl, room, 'Ben', {}, 'B');
    for (let i = 0; i < 500; i++) a.sendRaw(i % 2 ? `{"broken": ${i}` : `garbage ${i}`);
    await pingWorks(a, 8000);
    const errors = a.all().filter((m) => m.type === 'error');
    assert.ok(errors.length > 0, 'malformed messages got no error at all');
    const codes = new Set(errors.map((e) => e.code));
    for (const code of codes) assert.ok(['bad_json', 'rate_limited'].includes(code), `unexpected code ${code}`);
    assert.ok(a.isOpen);
    // still a full participant
    await pingWorks(other);
    let voted;
    for (let i = 0; i < 12 && !voted; i++) {
      const r = await a.request({ type: 'vote', card: '5' });
      if (r.type === 'ack') voted = r;
      else if (r.code === 'rate_limited') await sleep(500);
      else assert.fail(`vote after flood: ${describeMsg(r)}`);
    }
    assert.ok(voted, 'vote after flood never accepted');
    await other.nextState('vote', a.participantId, 3000);
  });
});

describe('room_full (maxParticipantsPerRoom 2 in the config)', () => {
  before(async () => { smallSrv = await startServer({ config: { server: { maxParticipantsPerRoom: 2 } } }); });
  after(async () => { await closeAllClients(); if (smallSrv) await smallSrv.stop(); });
  afterEach(async () => { await closeAllClients(); });

  it('the third join gets room_full; a resuming participant still gets its seat back', async () => {
    const room = uniqueRoom('full');
    const a = await joined(smallSrv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await joined(smallSrv.wsUrl, room, 'Ben', {}, 'B');
    await a.nextState('join', b.participantId);
    a.skipAll();
    const c = await Client.connect(smallSrv.wsUrl, { label: 'C' });
    await c.fails({ type: 'join', room, name: 'Cleo' }, 'room_full');
    await c.fails({ type: 'join', room, name: 'Cleo', role: 'observer' }, 'room_full');
    const none = await a.expectNone((m) => m.type === 'state', 200);
    assert.deepEqual(none, [], 'a refused join must not change the room');
    await b.close();
    await a.nextRoom((r) => participant(r, b.participantId)?.online === false, 3000, 'B offline');
    await c.fails({ type: 'join', room, name: 'Cleo' }, 'room_full'); // offline B still holds a seat
    const b2 = await Client.connect(smallSrv.wsUrl, { label: 'B2' });
    const { welcome } = await b2.join(room, 'Ben', { participantId: b.participantId, resumeToken: b.resumeToken });
    assert.equal(welcome.participantId, b.participantId);
    // another room is not affected, and a kick frees a seat
    await c.join(uniqueRoom('other'), 'Cleo');
    await a.ok({ type: 'kick', participantId: b.participantId });
    const d = await Client.connect(smallSrv.wsUrl, { label: 'D' });
    await d.join(room, 'Dana');
  });
});

describe('settings from the environment (FP_SERVER_MAXPARTICIPANTSPERROOM=1)', () => {
  before(async () => { envSrv = await startServer({ env: { FP_SERVER_MAXPARTICIPANTSPERROOM: '1' } }); });
  after(async () => { await closeAllClients(); if (envSrv) await envSrv.stop(); });
  afterEach(async () => { await closeAllClients(); });

  it('an env var overrides the config: the second join gets room_full', async () => {
    const room = uniqueRoom('env');
    await joined(envSrv.wsUrl, room, 'Aiko', {}, 'A');
    const b = await Client.connect(envSrv.wsUrl, { label: 'B' });
    await b.fails({ type: 'join', room, name: 'Ben' }, 'room_full');
  });
});
