// web/rules.js: what the page offers, checked against the server's rules (room_rules*.cpp)
// for each role and stage. No browser: the module is pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SOURCE_DIR = process.env.FP_SOURCE_DIR || '/work/main';
const {
  allowed, storyProblem, urlProblem, estimateProblem, queueProblem, suggestedTitle, textProblem, MAX_QUEUE,
} = await import(pathToFileURL(path.join(SOURCE_DIR, 'web', 'rules.js')).href);

const DECK = ['1', '2', '3', '5', '8', '?'];
const people = [
  { id: 'p_f', role: 'facilitator', voter: true, voted: false, online: true },
  { id: 'p_v', role: 'voter', voted: true, online: true },
  { id: 'p_o', role: 'observer', voted: false, online: true },
];

// The client state of participant `me` in a room; `room` changes some fields.
function state(me, room = {}, { live = true } = {}) {
  return {
    participantId: me,
    conn: { state: live ? 'open' : 'reconnecting' },
    joined: live,
    room: {
      stage: 'voting', deck: DECK, story: { title: 'S' }, settings: { hostOnly: false }, queue: [],
      result: null, timer: null, participants: people, history: [], ...room,
    },
  };
}
const revealed = { stage: 'revealed', result: { votes: 1, distribution: { 5: 1 } } };
const who = (id) => people.find((p) => p.id === id);

test('voting: voters and the facilitator vote; observers do not; every controller reveals', () => {
  const f = allowed(state('p_f'));
  const v = allowed(state('p_v'));
  const o = allowed(state('p_o'));
  assert.equal(f.vote, true);
  assert.equal(v.vote, true);
  assert.equal(o.vote, false, 'observers do not vote (forbidden)');
  assert.equal(f.unvote, false, 'nothing to withdraw');
  assert.equal(v.unvote, true);
  for (const c of [f, v, o]) {
    assert.equal(c.reveal, true, 'hostOnly off: everyone controls');
    assert.equal(c.reset, true);
    assert.equal(c.story, true);
    assert.equal(c.queueAdd, true);
    assert.equal(c.timerStart, true);
    assert.equal(c.timerStop, false, 'no timer running');
    assert.equal(c.finalize, false, 'finalize needs a revealed round (wrong_stage)');
    assert.equal(c.rename, true);
    assert.equal(c.role, true);
    assert.equal(c.live, true);
  }
});

test('revealed: no vote, no second reveal; finalize for controllers; reset still allowed', () => {
  for (const id of ['p_f', 'p_v', 'p_o']) {
    const c = allowed(state(id, revealed));
    assert.equal(c.vote, false, 'vote after reveal is wrong_stage');
    assert.equal(c.unvote, false);
    assert.equal(c.reveal, false, 'reveal twice is wrong_stage');
    assert.equal(c.reset, true);
    assert.equal(c.finalize, true);
    assert.equal(c.finalizeNeedsTitle, false);
  }
});

test('host-only: the round belongs to the facilitator; everyone still votes, renames and switches role', () => {
  const hostOnly = { settings: { hostOnly: true } };
  const v = allowed(state('p_v', hostOnly));
  for (const k of ['reveal', 'reset', 'story', 'queueAdd', 'queueRemove', 'timerStart', 'settings']) assert.equal(v[k], false, k);
  assert.equal(allowed(state('p_v', { ...hostOnly, ...revealed })).finalize, false);
  assert.equal(v.vote, true);
  assert.equal(v.rename, true);
  assert.equal(v.role, true);
  const f = allowed(state('p_f', hostOnly));
  for (const k of ['reveal', 'reset', 'story', 'queueAdd', 'queueRemove', 'timerStart', 'settings']) assert.equal(f[k], true, k);
});

test('facilitator only: settings, hand over and remove, never to or of oneself', () => {
  const f = allowed(state('p_f'));
  const v = allowed(state('p_v'));
  assert.equal(f.settings, true);
  assert.equal(v.settings, false);
  assert.equal(f.handover(who('p_v')), true);
  assert.equal(f.kick(who('p_o')), true);
  assert.equal(f.handover(who('p_f')), false, 'handing over to oneself changes nothing');
  assert.equal(f.kick(who('p_f')), false, 'the facilitator cannot kick themselves (forbidden)');
  assert.equal(v.handover(who('p_o')), false);
  assert.equal(v.kick(who('p_o')), false);
});

test('no story: finalize names the round in the same step', () => {
  const c = allowed(state('p_v', { ...revealed, story: null }));
  assert.equal(c.finalize, true);
  assert.equal(c.finalizeNeedsTitle, true);
});

test('timer: stop only while one runs; queue: full at 500', () => {
  assert.equal(allowed(state('p_v', { timer: { endsAt: 'x' } })).timerStop, true);
  const full = { queue: Array.from({ length: MAX_QUEUE }, () => ({ title: 'q' })) };
  assert.equal(allowed(state('p_v', full)).queueAdd, false);
  assert.equal(allowed(state('p_v', full)).queueRemove, true);
  assert.equal(queueProblem(1, MAX_QUEUE), 'The queue is full (500 stories).');
  assert.equal(queueProblem(3, MAX_QUEUE - 2), 'The queue takes 2 more stories; 3 were given.');
  assert.equal(queueProblem(2, MAX_QUEUE - 2), '');
});

test('offline or not joined: nothing is live; a participant not in the room may do nothing', () => {
  const off = allowed(state('p_f', {}, { live: false }));
  assert.equal(off.live, false);
  const stranger = allowed(state('p_x'));
  for (const k of ['vote', 'reveal', 'reset', 'story', 'queueAdd', 'settings', 'rename', 'role', 'live']) assert.equal(stranger[k], false, k);
  assert.equal(stranger.handover(who('p_v')), false);
});

test('texts are checked as the server checks them (trimmed, code points, no control characters)', () => {
  assert.equal(storyProblem({ title: '  Login  ' }), '');
  assert.match(storyProblem({ title: '   ' }), /title cannot be empty/);
  assert.match(storyProblem({ title: 'x'.repeat(257) }), /at most 256/);
  assert.equal(storyProblem({ title: '😀'.repeat(256) }), '', '256 code points, 512 UTF-16 units');
  assert.match(storyProblem({ title: 'a\tb' }), /control/);
  assert.match(storyProblem({ title: 'ok', ref: 'r'.repeat(65) }), /ref has at most 64/);
  assert.equal(urlProblem(''), '');
  assert.equal(urlProblem('https://example.com/x'), '');
  assert.match(urlProblem('ftp://example.com'), /http/);
  assert.match(urlProblem('https:///path'), /no host/);
  assert.match(urlProblem('https://a b'), /spaces/);
  assert.equal(estimateProblem('5', DECK), '');
  assert.equal(estimateProblem('later', DECK), '');
  assert.match(estimateProblem('x'.repeat(17), DECK), /at most 16/);
  assert.match(estimateProblem('', DECK), /empty/);
  assert.equal(textProblem('The room name', '', { min: 0, max: 64 }), '');
});

test('a round without a story is offered the next "Story N"', () => {
  assert.equal(suggestedTitle([]), 'Story 1');
  assert.equal(suggestedTitle([{ story: { title: 'Login' } }]), 'Story 2');
  assert.equal(suggestedTitle([{ story: { title: 'Story 7' } }, { story: { title: 'Login' } }]), 'Story 8');
});
