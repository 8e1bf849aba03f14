// restore.js: bringing back a room the server lost (a restart or deploy without its
// storage), as a state machine. Pure: no DOM, no socket, no clock. session.js feeds it
// events and carries out the commands it returns.
//
// Two regions run side by side, each with its own state:
//   room  what this participant restores for the room: as its new facilitator (the first
//         one back) the settings, queue and story it saw, then the facilitator role back
//         to whoever had it; as anyone else the story, if it is still missing after 3 s.
//   vote  its own unrevealed vote: cast again once the room shows the same story and a
//         deck holding the card, again if a late story/settings change cleared it.
// Nobody restores anyone else's vote: a client only ever knows its own.
//
// Events (each carries `facts`, see factsOf): start, changed {cause}, roomReply {ok},
// voteReply {ok}, storyTimeout, ownVote, expired.
// Commands: {do: 'send', region, message}  one request; its answer comes back as
//           roomReply/voteReply (a region never has two requests out at once);
//           {do: 'after', ms, event}         the event, later.
import { findMe, isController, isVoter, storyKey } from './store.js';

export const RESTORE_WINDOW_MS = 60000;
export const STORY_FALLBACK_MS = 3000;
export const MAX_VOTE_SENDS = 5;
export const QUEUE_CHUNK = 100;

// What the machine decides on, read from the client's state.
export function factsOf(s) {
  const room = s.room;
  const me = findMe(s);
  return {
    me: me?.id ?? null,
    facilitator: me?.role === 'facilitator',
    controller: isController(s),
    voter: isVoter(me),
    voted: !!me?.voted,
    stage: room?.stage ?? null,
    storyKey: storyKey(room?.story),
    hasStory: !!room?.story,
    deck: room?.deck || [],
    settings: room?.settings || {},
    name: room?.name ?? null,
    queueLength: (room?.queue || []).length,
    online: (room?.participants || []).filter((p) => p.online).map((p) => p.id),
    decks: s.decks || null,
  };
}

// The settings to send so the new room matches what was seen before it was lost. A preset
// goes back by name when the server still offers it (`decks` from welcome), else as cards.
export function settingsPatch(seen, room, decks) {
  const patch = {};
  const was = seen.settings || {};
  const now = room.settings || {};
  const sameDeck = JSON.stringify(seen.deck || []) === JSON.stringify(room.deck || []);
  if (seen.deck && !sameDeck) patch.deck = decks && decks[was.deckName] ? was.deckName : seen.deck;
  // autoReveal is not turned back on: with only some voters back it would reveal
  // early. The facilitator turns it on again when everyone is back.
  for (const k of ['hostOnly', 'anonymous']) {
    if (typeof was[k] === 'boolean' && was[k] !== !!now[k]) patch[k] = was[k];
  }
  if (seen.name && seen.name !== room.name) patch.name = seen.name;
  return Object.keys(patch).length ? patch : null;
}

export function cleanStory(st) {
  const out = { title: st.title };
  if (st.ref) out.ref = st.ref;
  if (st.url) out.url = st.url;
  return out;
}

// A machine for one lost room. seen: the snapshot the client stored before (settings,
// deck, queue, story, name, facilitator); vote: {card, storyKey} or null; joinRole.
export function createRestore({ seen, vote = null, joinRole = 'voter' }) {
  return {
    room: 'idle',
    vote: 'idle',
    ctx: {
      seen,
      joinRole,
      vote,
      votesSent: 0,
      setup: { settings: false, queue: false, story: false },
      queueLeft: [],
      storySent: false,
    },
  };
}

// The commands to run when the machine starts (before the `start` event).
export const startCommands = () => [{ do: 'after', ms: RESTORE_WINDOW_MS, event: 'expired' }];

export const finished = (m) => m.room === 'done' && m.vote === 'done';

// The vote still being restored (the client keeps remembering it meanwhile), or null.
export const restoringVote = (m) => (m && m.vote !== 'done' ? m.ctx.vote : null);

// ---- room region ----

const stay = (to, ctx) => ({ to, ctx });
const sendRoom = (to, ctx, message) => ({ to, ctx, commands: [{ do: 'send', region: 'room', message }] });

function asFollower(ctx, f) {
  return f.facilitator ? setupStep(ctx, f) : stay('follower', ctx);
}

// One request at a time: settings, the queue (in chunks of 100), the story; then hand back.
function setupStep(ctx, f) {
  const done = ctx.setup;
  if (!done.settings) {
    ctx = { ...ctx, setup: { ...done, settings: true } };
    const patch = settingsPatch(ctx.seen, f, f.decks);
    return patch ? sendRoom('settingUp', ctx, { type: 'settings', ...patch }) : setupStep(ctx, f);
  }
  if (!done.queue) {
    const seenQueue = ctx.seen.queue || [];
    const chunks = [];
    if (seenQueue.length && !f.queueLength) {
      for (let i = 0; i < seenQueue.length; i += QUEUE_CHUNK) chunks.push(seenQueue.slice(i, i + QUEUE_CHUNK).map(cleanStory));
    }
    ctx = { ...ctx, setup: { ...done, queue: true }, queueLeft: chunks };
    return setupStep(ctx, f);
  }
  if (ctx.queueLeft.length) {
    const [stories, ...rest] = ctx.queueLeft;
    return sendRoom('settingUp', { ...ctx, queueLeft: rest }, { type: 'queue.add', stories });
  }
  if (!done.story) {
    ctx = { ...ctx, setup: { ...done, story: true } };
    if (ctx.seen.story && !f.hasStory && !ctx.storySent) {
      return sendRoom('settingUp', { ...ctx, storySent: true }, { type: 'story', ...cleanStory(ctx.seen.story) });
    }
  }
  return awaitFacilitator(ctx, f);
}

// The first one back became facilitator: give the room back once its facilitator is here.
function awaitFacilitator(ctx, f) {
  const old = ctx.seen.facilitator;
  if (!f.facilitator || !old || old === f.me) return stay('done', ctx);
  if (f.online.includes(old)) return sendRoom('handingBack', ctx, { type: 'handover', participantId: old });
  return stay('awaitingFacilitator', ctx);
}

// Handed back: one who joined as observer becomes observer again, once the handover shows.
function afterHandover(ctx, f) {
  if (f.facilitator) return stay('handedBack', ctx);
  if (ctx.joinRole === 'observer' && f.voter) return sendRoom('fixingRole', ctx, { type: 'role', role: 'observer' });
  return stay('done', ctx);
}

function storyFallback(ctx, f) {
  if (ctx.seen.story && !f.hasStory && f.controller && !ctx.storySent) {
    return sendRoom('sendingStory', { ...ctx, storySent: true }, { type: 'story', ...cleanStory(ctx.seen.story) });
  }
  return stay('follower', ctx);
}

function startRoom(ctx, f) {
  const out = asFollower(ctx, f);
  if (!f.facilitator && ctx.seen.story && !f.hasStory) {
    out.commands = [...(out.commands || []), { do: 'after', ms: STORY_FALLBACK_MS, event: 'storyTimeout' }];
  }
  return out;
}

const end = (ctx) => stay('done', ctx);

// ---- vote region ----

const ENDING_CAUSES = new Set(['reveal', 'reset', 'finalize']);

function decideVote(ctx, f) {
  const v = ctx.vote;
  if (!v) return stay('done', ctx);
  if (!f.voter || f.stage !== 'voting') return stay('done', ctx);
  if (f.storyKey !== v.storyKey) return stay(f.hasStory ? 'done' : 'waiting', ctx); // the story may still come back
  if (!f.deck.includes(v.card)) return stay('waiting', ctx); // so may the deck
  if (f.voted) return stay('holding', ctx);
  if (ctx.votesSent >= MAX_VOTE_SENDS) return stay('done', ctx);
  return {
    to: 'sending',
    ctx: { ...ctx, votesSent: ctx.votesSent + 1 },
    commands: [{ do: 'send', region: 'vote', message: { type: 'vote', card: v.card } }],
  };
}

function voteChanged(ctx, ev) {
  if (ENDING_CAUSES.has(ev.cause?.type)) return stay('done', ctx); // the round moved on
  return decideVote(ctx, ev.facts);
}

// ---- the transition table: region -> state -> event -> (ctx, event) => {to, ctx, commands} ----
// An event a state does not list leaves that region as it is.
export const TRANSITIONS = {
  room: {
    idle: {
      start: (c, e) => startRoom(c, e.facts),
      expired: end,
    },
    follower: {
      changed: (c, e) => asFollower(c, e.facts),
      storyTimeout: (c, e) => storyFallback(c, e.facts),
      expired: end,
    },
    sendingStory: {
      roomReply: (c, e) => asFollower(c, e.facts),
      expired: end,
    },
    settingUp: {
      roomReply: (c, e) => setupStep(c, e.facts),
      expired: end,
    },
    awaitingFacilitator: {
      changed: (c, e) => awaitFacilitator(c, e.facts),
      expired: end,
    },
    handingBack: {
      roomReply: (c, e) => (e.ok ? afterHandover(c, e.facts) : end(c)),
      expired: end,
    },
    handedBack: {
      changed: (c, e) => afterHandover(c, e.facts),
      expired: end,
    },
    fixingRole: {
      roomReply: end,
      expired: end,
    },
    done: {},
  },
  vote: {
    idle: {
      start: (c, e) => decideVote(c, e.facts),
      expired: end,
      ownVote: end,
    },
    waiting: {
      changed: voteChanged,
      expired: end,
      ownVote: end,
    },
    sending: {
      voteReply: (c, e) => decideVote(c, e.facts),
      changed: (c, e) => (ENDING_CAUSES.has(e.cause?.type) ? end(c) : stay('sending', c)),
      expired: end,
      ownVote: end,
    },
    holding: {
      changed: voteChanged,
      expired: end,
      ownVote: end,
    },
    done: {},
  },
};

export const REGIONS = Object.keys(TRANSITIONS);

// Applies one event to both regions (room first). Returns the next machine and the
// commands to carry out, in order.
export function step(machine, event) {
  let { ctx } = machine;
  const next = { ...machine };
  const commands = [];
  for (const region of REGIONS) {
    const handler = TRANSITIONS[region][machine[region]]?.[event.type];
    if (!handler) continue;
    const out = handler(ctx, event);
    next[region] = out.to;
    ctx = out.ctx || ctx;
    if (out.commands) commands.push(...out.commands);
  }
  next.ctx = ctx;
  return { machine: next, commands };
}
