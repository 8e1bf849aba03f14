// web/restore.js, the state machine that restores a room the server lost: one test per
// transition of its table (no browser, no server: the machine is pure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SOURCE_DIR = process.env.FP_SOURCE_DIR || '/work/main';
const {
  createRestore, startCommands, step, finished, restoringVote, factsOf, settingsPatch, TRANSITIONS,
  RESTORE_WINDOW_MS, STORY_FALLBACK_MS, MAX_VOTE_SENDS,
} = await import(pathToFileURL(path.join(SOURCE_DIR, 'web', 'restore.js')).href);

const FIB = ['0', '1', '2', '3', '5', '8', '13', '?'];
const DECKS = { fibonacci: FIB, tshirt: ['S', 'M', 'L'] };
const STORY = { title: 'Login', ref: 'FP-1', url: null };
const KEY = 'Login\u0000FP-1';

// What the client saw before the room was lost: Alice (p_a) was facilitator.
const SEEN = {
  version: 40, name: 'Team', story: STORY, deck: FIB, queue: [],
  settings: { deckName: 'fibonacci', hostOnly: false, anonymous: false }, facilitator: 'p_a',
};

// Facts as factsOf would give them; `over` changes some.
function facts(over = {}) {
  return {
    me: 'p_b', facilitator: false, controller: true, voter: true, voted: false, stage: 'voting',
    storyKey: KEY, hasStory: true, deck: FIB, settings: { deckName: 'fibonacci' }, name: 'Team',
    queueLength: 0, online: ['p_b'], decks: DECKS, ...over,
  };
}
const noStory = { storyKey: '', hasStory: false };

function machine({ seen = {}, vote = null, joinRole = 'voter', room, voteState } = {}) {
  const m = createRestore({ seen: { ...SEEN, ...seen }, vote, joinRole });
  if (room) m.room = room;
  if (voteState) m.vote = voteState;
  return m;
}
const sends = (commands, region) => commands.filter((c) => c.do === 'send' && (!region || c.region === region)).map((c) => c.message);
const run = (m, type, f, extra = {}) => step(m, { type, facts: f, ...extra });

test('the machine starts with the restore window as its first command', () => {
  assert.deepEqual(startCommands(), [{ do: 'after', ms: RESTORE_WINDOW_MS, event: 'expired' }]);
  const m = machine();
  assert.equal(m.room, 'idle');
  assert.equal(m.vote, 'idle');
});

test('every transition leads to a state of its own region', () => {
  const fx = facts();
  for (const [region, states] of Object.entries(TRANSITIONS)) {
    for (const [state, events] of Object.entries(states)) {
      for (const [type, handler] of Object.entries(events)) {
        const out = handler(machine().ctx, { type, facts: fx, ok: true, cause: null });
        assert.ok(out.to in states, `${region}.${state}.${type} -> ${out.to}`);
      }
    }
  }
});

test('step is pure: the machine it is given stays as it was', () => {
  const m = machine({ vote: { card: '5', storyKey: KEY } });
  const copy = structuredClone(m);
  run(m, 'start', facts({ facilitator: true }));
  assert.deepEqual(m, copy);
});

// ---- room region ----

test('room idle --start--> follower, asking for the story fallback when the story is missing', () => {
  const { machine: m, commands } = run(machine(), 'start', facts(noStory));
  assert.equal(m.room, 'follower');
  assert.deepEqual(commands, [{ do: 'after', ms: STORY_FALLBACK_MS, event: 'storyTimeout' }]);
  const present = run(machine(), 'start', facts());
  assert.equal(present.machine.room, 'follower');
  assert.deepEqual(present.commands, [], 'story there: no fallback');
});

test('room idle --start--> settingUp as the first one back, sending the settings seen', () => {
  const seen = { settings: { deckName: 'tshirt', hostOnly: true }, deck: DECKS.tshirt, name: 'Team A' };
  const { machine: m, commands } = run(machine({ seen }), 'start', facts({ facilitator: true }));
  assert.equal(m.room, 'settingUp');
  assert.deepEqual(sends(commands), [{ type: 'settings', deck: 'tshirt', hostOnly: true, name: 'Team A' }]);
});

test('room idle --start--> done when the facilitator is back as facilitator with nothing to set up', () => {
  const { machine: m, commands } = run(machine(), 'start', facts({ me: 'p_a', facilitator: true }));
  assert.equal(m.room, 'done');
  assert.deepEqual(sends(commands), []);
});

test('room idle --expired--> done', () => {
  assert.equal(run(machine(), 'expired', facts()).machine.room, 'done');
});

test('room follower --changed--> follower, or settingUp once the room is handed to it', () => {
  const f = machine({ room: 'follower' });
  assert.equal(run(f, 'changed', facts()).machine.room, 'follower');
  const { machine: m, commands } = run(f, 'changed', facts({ me: 'p_a', facilitator: true, ...noStory }));
  assert.equal(m.room, 'settingUp');
  assert.deepEqual(sends(commands), [{ type: 'story', title: 'Login', ref: 'FP-1' }]);
});

test('room follower --storyTimeout--> sendingStory when the story is still missing', () => {
  const f = machine({ room: 'follower' });
  const { machine: m, commands } = run(f, 'storyTimeout', facts(noStory));
  assert.equal(m.room, 'sendingStory');
  assert.deepEqual(sends(commands, 'room'), [{ type: 'story', title: 'Login', ref: 'FP-1' }]);
  assert.equal(m.ctx.storySent, true);
  // The story came back meanwhile, or this participant may not set it (host-only): nothing.
  assert.deepEqual(run(f, 'storyTimeout', facts()).commands, []);
  assert.deepEqual(run(f, 'storyTimeout', facts({ ...noStory, controller: false })).commands, []);
  // At most once.
  assert.deepEqual(run(m, 'storyTimeout', facts(noStory)).commands, []);
});

test('room follower --expired--> done', () => {
  assert.equal(run(machine({ room: 'follower' }), 'expired', facts()).machine.room, 'done');
});

test('room sendingStory --roomReply--> follower (or setting up, if it became facilitator)', () => {
  const m = machine({ room: 'sendingStory' });
  assert.equal(run(m, 'roomReply', facts(), { ok: true }).machine.room, 'follower');
  assert.equal(run(m, 'roomReply', facts(), { ok: false }).machine.room, 'follower');
});

test('room settingUp --roomReply--> the queue in chunks of 100, then the story, one at a time', () => {
  const queue = Array.from({ length: 150 }, (_, i) => ({ title: `Q${i}`, ref: null, url: null }));
  const seen = { name: 'Team B', queue };
  let out = run(machine({ seen }), 'start', facts({ me: 'p_a', facilitator: true, ...noStory }));
  assert.deepEqual(sends(out.commands), [{ type: 'settings', name: 'Team B' }]);
  out = run(out.machine, 'roomReply', facts({ me: 'p_a', facilitator: true, ...noStory }), { ok: true });
  assert.equal(out.machine.room, 'settingUp');
  assert.equal(sends(out.commands)[0].stories.length, 100);
  assert.deepEqual(sends(out.commands)[0].stories[0], { title: 'Q0' });
  out = run(out.machine, 'roomReply', facts({ me: 'p_a', facilitator: true, ...noStory, queueLength: 100 }), { ok: true });
  assert.equal(sends(out.commands)[0].stories.length, 50);
  out = run(out.machine, 'roomReply', facts({ me: 'p_a', facilitator: true, ...noStory, queueLength: 150 }), { ok: false });
  assert.deepEqual(sends(out.commands), [{ type: 'story', title: 'Login', ref: 'FP-1' }], 'a refusal does not stop the rest');
  out = run(out.machine, 'roomReply', facts({ me: 'p_a', facilitator: true, queueLength: 150 }), { ok: true });
  assert.equal(out.machine.room, 'done', 'it was the facilitator before: nothing to hand back');
  assert.deepEqual(out.commands, []);
});

test('room settingUp leaves a queue alone that another client already restored', () => {
  const seen = { queue: [{ title: 'Q', ref: null, url: null }] };
  const out = run(machine({ seen }), 'start', facts({ me: 'p_a', facilitator: true, queueLength: 1 }));
  assert.equal(out.machine.room, 'done');
  assert.deepEqual(sends(out.commands), []);
});

test('room settingUp --roomReply--> awaitingFacilitator, or handingBack when the old facilitator is online', () => {
  const setting = run(machine({ seen: { name: 'X' } }), 'start', facts({ facilitator: true })).machine;
  assert.equal(setting.room, 'settingUp');
  assert.equal(run(setting, 'roomReply', facts({ facilitator: true }), { ok: true }).machine.room, 'awaitingFacilitator');
  const back = run(setting, 'roomReply', facts({ facilitator: true, online: ['p_b', 'p_a'] }), { ok: true });
  assert.equal(back.machine.room, 'handingBack');
  assert.deepEqual(sends(back.commands), [{ type: 'handover', participantId: 'p_a' }]);
});

test('room settingUp --expired--> done', () => {
  assert.equal(run(machine({ room: 'settingUp' }), 'expired', facts()).machine.room, 'done');
});

test('room awaitingFacilitator --changed--> handingBack once the old facilitator is online', () => {
  const m = machine({ room: 'awaitingFacilitator' });
  const wait = run(m, 'changed', facts({ facilitator: true }));
  assert.equal(wait.machine.room, 'awaitingFacilitator');
  assert.deepEqual(wait.commands, []);
  const back = run(m, 'changed', facts({ facilitator: true, online: ['p_a', 'p_b'] }));
  assert.equal(back.machine.room, 'handingBack');
  assert.deepEqual(sends(back.commands), [{ type: 'handover', participantId: 'p_a' }]);
  assert.equal(run(m, 'expired', facts()).machine.room, 'done', 'the old facilitator never came back');
});

test('room handingBack --roomReply--> handedBack, fixingRole or done', () => {
  const m = machine({ room: 'handingBack', joinRole: 'observer' });
  assert.equal(run(m, 'roomReply', facts({ facilitator: true }), { ok: true }).machine.room, 'handedBack', 'the handover is not in the state yet');
  const fix = run(m, 'roomReply', facts({ voter: true }), { ok: true });
  assert.equal(fix.machine.room, 'fixingRole');
  assert.deepEqual(sends(fix.commands), [{ type: 'role', role: 'observer' }]);
  assert.equal(run(machine({ room: 'handingBack' }), 'roomReply', facts(), { ok: true }).machine.room, 'done', 'joined as voter: done');
  assert.equal(run(m, 'roomReply', facts({ facilitator: true }), { ok: false }).machine.room, 'done', 'refused: done');
});

test('room handedBack --changed--> fixingRole or done once the handover shows', () => {
  const obs = machine({ room: 'handedBack', joinRole: 'observer' });
  assert.equal(run(obs, 'changed', facts({ facilitator: true })).machine.room, 'handedBack');
  assert.equal(run(obs, 'changed', facts({ voter: true })).machine.room, 'fixingRole');
  assert.equal(run(obs, 'changed', facts({ voter: false })).machine.room, 'done', 'already an observer');
});

test('room fixingRole --roomReply--> done', () => {
  assert.equal(run(machine({ room: 'fixingRole' }), 'roomReply', facts(), { ok: true }).machine.room, 'done');
});

test('room done ignores every event', () => {
  const m = machine({ room: 'done' });
  for (const type of ['start', 'changed', 'roomReply', 'storyTimeout', 'expired']) {
    const out = run(m, type, facts({ facilitator: true, ...noStory }), { ok: true });
    assert.equal(out.machine.room, 'done');
    assert.deepEqual(sends(out.commands, 'room'), []);
  }
});

// ---- vote region ----

const VOTE = { card: '5', storyKey: KEY };

test('vote idle --start--> done without a remembered vote', () => {
  assert.equal(run(machine(), 'start', facts()).machine.vote, 'done');
});

test('vote idle --start--> sending when the room shows the same story and the card', () => {
  const { machine: m, commands } = run(machine({ vote: VOTE }), 'start', facts());
  assert.equal(m.vote, 'sending');
  assert.deepEqual(sends(commands, 'vote'), [{ type: 'vote', card: '5' }]);
  assert.equal(m.ctx.votesSent, 1);
  assert.deepEqual(restoringVote(m), VOTE, 'remembered while being restored');
});

test('vote idle --start--> waiting while the story or the deck has not come back', () => {
  assert.equal(run(machine({ vote: VOTE }), 'start', facts(noStory)).machine.vote, 'waiting');
  assert.equal(run(machine({ vote: VOTE }), 'start', facts({ deck: DECKS.tshirt })).machine.vote, 'waiting');
});

test('vote idle --start--> done when the vote no longer belongs', () => {
  const v = machine({ vote: VOTE });
  assert.equal(run(v, 'start', facts({ storyKey: 'Other\u0000', hasStory: true })).machine.vote, 'done', 'another story');
  assert.equal(run(v, 'start', facts({ voter: false })).machine.vote, 'done', 'an observer now');
  assert.equal(run(v, 'start', facts({ stage: 'revealed' })).machine.vote, 'done', 'revealed');
  assert.equal(run(v, 'start', facts({ voted: true })).machine.vote, 'holding', 'already voted: watch');
});

test('vote waiting --changed--> sending once the story comes back; done when the round moves on', () => {
  const w = machine({ vote: VOTE, voteState: 'waiting' });
  assert.equal(run(w, 'changed', facts(noStory), { cause: { type: 'join' } }).machine.vote, 'waiting');
  const back = run(w, 'changed', facts(), { cause: { type: 'story' } });
  assert.equal(back.machine.vote, 'sending');
  assert.deepEqual(sends(back.commands), [{ type: 'vote', card: '5' }]);
  for (const type of ['reveal', 'reset', 'finalize']) {
    assert.equal(run(w, 'changed', facts(), { cause: { type } }).machine.vote, 'done', type);
  }
});

test('vote sending --voteReply--> holding once the vote shows, or sends again, at most five times', () => {
  const s = machine({ vote: VOTE, voteState: 'sending' });
  assert.equal(run(s, 'voteReply', facts({ voted: true }), { ok: true }).machine.vote, 'holding');
  const again = run(s, 'voteReply', facts(), { ok: false });
  assert.equal(again.machine.vote, 'sending');
  assert.deepEqual(sends(again.commands), [{ type: 'vote', card: '5' }]);
  const spent = { ...s, ctx: { ...s.ctx, votesSent: MAX_VOTE_SENDS } };
  assert.equal(run(spent, 'voteReply', facts(), { ok: false }).machine.vote, 'done');
});

test('vote sending --changed--> stays, unless the round moved on', () => {
  const s = machine({ vote: VOTE, voteState: 'sending' });
  const out = run(s, 'changed', facts(), { cause: { type: 'join' } });
  assert.equal(out.machine.vote, 'sending');
  assert.deepEqual(out.commands, [], 'never two votes out at once');
  assert.equal(run(s, 'changed', facts(), { cause: { type: 'reveal' } }).machine.vote, 'done');
});

test('vote holding --changed--> sending again when a late story or settings change cleared it', () => {
  const h = machine({ vote: VOTE, voteState: 'holding' });
  assert.equal(run(h, 'changed', facts({ voted: true }), { cause: { type: 'vote' } }).machine.vote, 'holding');
  const cleared = run(h, 'changed', facts(), { cause: { type: 'story' } });
  assert.equal(cleared.machine.vote, 'sending');
  assert.deepEqual(sends(cleared.commands), [{ type: 'vote', card: '5' }]);
  assert.equal(run(h, 'changed', facts(), { cause: { type: 'reset' } }).machine.vote, 'done');
});

test('vote --ownVote--> done in every state: the user decided', () => {
  for (const state of ['idle', 'waiting', 'sending', 'holding']) {
    const out = run(machine({ vote: VOTE, voteState: state }), 'ownVote', facts());
    assert.equal(out.machine.vote, 'done', state);
    assert.equal(restoringVote(out.machine), null);
  }
});

test('vote --expired--> done in every state', () => {
  for (const state of ['idle', 'waiting', 'sending', 'holding']) {
    assert.equal(run(machine({ vote: VOTE, voteState: state }), 'expired', facts()).machine.vote, 'done', state);
  }
});

test('the machine is finished when both regions are done', () => {
  const out = run(machine({ room: 'follower', vote: VOTE, voteState: 'holding' }), 'expired', facts());
  assert.equal(finished(out.machine), true);
  assert.equal(finished(machine({ room: 'done' })), false);
});

test('factsOf reads the client state; settingsPatch restores presets by the server\'s names', () => {
  const s = {
    participantId: 'p_b',
    decks: DECKS,
    room: {
      stage: 'voting', story: STORY, deck: FIB, name: 'T', settings: { hostOnly: true }, queue: [{}],
      participants: [{ id: 'p_a', role: 'facilitator', online: false }, { id: 'p_b', role: 'voter', online: true, voted: true }],
    },
  };
  const f = factsOf(s);
  assert.equal(f.me, 'p_b');
  assert.equal(f.facilitator, false);
  assert.equal(f.controller, false, 'host-only');
  assert.equal(f.voted, true);
  assert.equal(f.storyKey, KEY);
  assert.equal(f.queueLength, 1);
  assert.deepEqual(f.online, ['p_b']);

  const seen = { name: 'Team', deck: ['S', 'M', 'L'], settings: { deckName: 'tshirt', autoReveal: true, hostOnly: true, anonymous: false } };
  const fresh = { name: 'team', deck: FIB, settings: { deckName: 'fibonacci', autoReveal: false, hostOnly: false } };
  assert.deepEqual(settingsPatch(seen, fresh, DECKS), { deck: 'tshirt', hostOnly: true, name: 'Team' }, 'auto-reveal stays off');
  assert.deepEqual(settingsPatch(seen, fresh, { fibonacci: FIB }), { deck: ['S', 'M', 'L'], hostOnly: true, name: 'Team' }, 'a preset this server lacks goes as cards');
  const custom = { ...seen, deck: ['1', '2'], settings: { deckName: 'custom' } };
  assert.deepEqual(settingsPatch(custom, fresh, DECKS), { deck: ['1', '2'], name: 'Team' });
  assert.equal(settingsPatch({ deck: FIB, settings: fresh.settings, name: 'team' }, fresh, DECKS), null);
});
