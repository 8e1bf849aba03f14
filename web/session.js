// session.js: being in one room. Joins (with the remembered seat), keeps the store
// up to date, offers the actions, and, when the server lost the room (its version
// went backwards), brings back what this client honestly knows: settings, queue and
// story if it is the new facilitator (the story also as any controller), and its own
// unrevealed vote. It never restores anyone else's vote.

import { createConnection } from './connection.js';
import { observeServerTime } from './clock.js';
import { errorText } from './errors.js';
import { findMe, isController, isVoter, storyKey } from './store.js';

const RESTORE_WINDOW_MS = 60000;
const RESTORE_MAX_AGE_MS = 12 * 3600 * 1000;
const STORY_FALLBACK_MS = 3000;
const PRESETS = ['fibonacci', 'modified', 'tshirt', 'powers'];

export function wsUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

export function createSession({ roomId, store, memory, toast }) {
  let restore = null;
  const conn = createConnection({
    url: wsUrl(),
    onOpen: join,
    onMessage,
    onStatus: (s) => store.set({ conn: s, joined: s.state === 'open' ? store.state.joined : false }),
    onClose: ({ code }) => {
      store.set({ joined: false });
      if (code === 4001) { onKicked(); return false; }
      return true;
    },
  });

  const fail = (e) => { if (e) toast(errorText(e), 'error'); };

  // ---- joining ----
  function join() {
    const m = memory.get();
    const msg = { type: 'join', room: roomId, name: m.name, role: m.role === 'observer' ? 'observer' : 'voter' };
    if (m.participantId && m.resumeToken) {
      msg.participantId = m.participantId;
      msg.resumeToken = m.resumeToken;
    }
    conn.request(msg).catch((e) => {
      if (e.code === 'bad_resume') {
        memory.forgetSeat();
        toast('Your old seat was given up (removed or expired); you joined as a new participant.', 'info');
        join();
      } else if (e.code === 'invalid_name' || e.code === 'invalid_room' || e.code === 'room_full') {
        conn.stop();
        store.set({ fatal: { code: e.code, message: errorText(e) } });
      } else if (e.code === 'already_joined') {
        /* the welcome came: nothing to do */
      } else if (e.code !== 'disconnected' && e.code !== 'offline') {
        fail(e);
      }
    });
  }

  function onMessage(msg) {
    if (typeof msg.serverTime === 'string') observeServerTime(msg.serverTime);
    switch (msg.type) {
      case 'welcome': onWelcome(msg); break;
      case 'state': onState(msg); break;
      case 'kicked': onKicked(); break;
      case 'error':
        if (msg.code === 'not_joined' && store.state.joined) { store.set({ joined: false }); join(); }
        else fail(msg);
        break;
      default: break; // ack, pong, and message types this client does not know
    }
  }

  function onWelcome(msg) {
    const before = memory.get();
    conn.markStable();
    store.set({
      participantId: msg.participantId,
      myCard: msg.you?.card ?? null,
      pendingCard: undefined,
      joined: true,
      kicked: false,
      fatal: null,
      lastCause: { type: 'join', by: msg.participantId },
    });
    store.replaceRoom(msg.room);
    memory.update({ participantId: msg.participantId, resumeToken: msg.resumeToken });
    const seen = before.seen;
    const lost = !!seen && Date.now() - (seen.at || 0) < RESTORE_MAX_AGE_MS && roomWasLost(seen, msg.room);
    restore = null;
    if (lost) beginRestore(before, msg);
    remember();
    nameNewRoom(before);
  }

  function onState(msg) {
    if (!store.offerRoom(msg.room)) return;
    store.set({ lastCause: msg.cause || null });
    const s = store.state;
    const me = findMe(s);
    if (me && !me.voted && s.pendingCard === undefined) store.set({ myCard: null });
    if (me && s.room.stage === 'revealed' && me.card != null) store.set({ myCard: me.card });
    if (restore) onRestoreState(msg.cause);
    remember();
  }

  function onKicked() {
    restore = null;
    memory.forgetSeat();
    conn.stop();
    store.set({ kicked: true, joined: false, myCard: null, pendingCard: undefined });
  }

  // ---- what the browser remembers ----
  function remember() {
    const s = store.state;
    const room = s.room;
    if (!room) return;
    const me = findMe(s);
    const prev = memory.get();
    let vote = null;
    if (restore?.vote) vote = restore.vote;
    else if (room.stage === 'voting' && me?.voted) {
      vote = s.myCard != null ? { card: s.myCard, storyKey: storyKey(room.story) } : prev.vote || null;
    }
    const patch = {
      seen: {
        version: room.version,
        at: Date.now(),
        name: room.name,
        story: room.story || null,
        deck: room.deck,
        settings: room.settings || {},
        queue: room.queue || [],
        newestResult: room.history?.[0]?.resultId || null,
        facilitator: room.participants.find((p) => p.role === 'facilitator')?.id || null,
      },
      vote,
    };
    if (me && (me.role !== 'facilitator' || typeof me.voter === 'boolean')) patch.role = isVoter(me) ? 'voter' : 'observer';
    if (me) patch.name = me.name;
    memory.update(patch);
  }

  // A room created from the lobby with a display name: the facilitator names it.
  function nameNewRoom(before) {
    const wanted = before.desiredRoomName;
    if (!wanted) return;
    memory.update({ desiredRoomName: null });
    const s = store.state;
    if (findMe(s)?.role === 'facilitator' && s.room.name !== wanted) {
      conn.request({ type: 'settings', name: wanted }).catch(fail);
    }
  }

  // ---- restoring a room the server lost ----
  function beginRestore(before, welcome) {
    const seen = before.seen;
    restore = {
      vote: welcome.you?.card == null && before.vote?.card != null ? before.vote : null,
      story: seen.story || null,
      seen,
      joinRole: before.role === 'observer' ? 'observer' : 'voter',
      until: Date.now() + RESTORE_WINDOW_MS,
      votesSent: 0,
      inFlight: false,
      busy: false,
      again: false,
      setupDone: false,
      storySent: false,
      handedBack: false,
      roleFixed: false,
    };
    const r = restore;
    if (r.story && !store.state.room.story && findMe(store.state)?.role !== 'facilitator') {
      // The facilitator restores the story; step in only if it is still missing.
      setTimeout(() => {
        if (restore === r && !store.state.room?.story && isController(store.state)) restoreStory(r);
      }, STORY_FALLBACK_MS);
    }
    restoreStep();
  }

  // One step of the restore, run after the welcome and after every state in the
  // restore window; never two at once.
  function restoreStep() {
    const r = restore;
    if (!r) return;
    maybeRestoreVote();
    if (r.busy) { r.again = true; return; }
    r.busy = true;
    runRestoreStep(r).catch(() => {}).finally(() => {
      r.busy = false;
      if (restore === r && r.again) { r.again = false; restoreStep(); }
    });
  }

  async function runRestoreStep(r) {
    const s = store.state;
    const me = findMe(s);
    if (!me || !s.room) return;
    if (me.role === 'facilitator') {
      if (!r.setupDone) {
        r.setupDone = true;
        await restoreAsFacilitator(r);
      }
      // The first one back became facilitator: hand the room back to the one who
      // was facilitator before, once that participant is back.
      const old = r.seen.facilitator;
      const back = old && old !== s.participantId && store.state.room.participants.some((p) => p.id === old && p.online);
      if (back && !r.handedBack && restore === r) {
        r.handedBack = true;
        await conn.request({ type: 'handover', participantId: old }).catch(fail);
      }
    } else if (r.handedBack && !r.roleFixed && r.joinRole === 'observer' && isVoter(me)) {
      r.roleFixed = true;
      await conn.request({ type: 'role', role: 'observer' }).catch(fail);
    }
  }

  async function restoreAsFacilitator(r) {
    const room = store.state.room;
    const patch = settingsPatch(r.seen, room);
    if (patch) await conn.request({ type: 'settings', ...patch }).catch(fail);
    if (restore !== r) return;
    const queue = r.seen.queue || [];
    if (queue.length && !(store.state.room.queue || []).length) {
      for (let i = 0; i < queue.length; i += 100) {
        const stories = queue.slice(i, i + 100).map(cleanStory);
        await conn.request({ type: 'queue.add', stories }).catch(fail);
      }
    }
    if (restore !== r) return;
    if (r.story && !store.state.room.story) await restoreStory(r);
  }

  async function restoreStory(r) {
    if (r.storySent) return;
    r.storySent = true;
    await conn.request({ type: 'story', ...cleanStory(r.story) }).catch(fail);
  }

  function onRestoreState(cause) {
    const t = cause?.type;
    if (Date.now() > restore.until) {
      restore = null;
      return;
    }
    // Someone moved the round on: the old vote no longer belongs here.
    if (t === 'reveal' || t === 'reset' || t === 'finalize') restore.vote = null;
    restoreStep();
  }

  // Vote again with the own remembered card, once the room shows the same story
  // and a deck holding the card; again if a late story/settings change cleared it.
  function maybeRestoreVote() {
    const r = restore;
    if (!r?.vote || r.inFlight) return;
    const s = store.state;
    const me = findMe(s);
    const room = s.room;
    const cancel = () => { r.vote = null; };
    if (!isVoter(me) || room.stage !== 'voting') return cancel();
    if (storyKey(room.story) !== r.vote.storyKey) {
      if (!room.story) return undefined; // the story may still come back
      return cancel();
    }
    if (!room.deck.includes(r.vote.card)) return undefined; // the deck may still come back
    if (me.voted) return undefined;
    if (r.votesSent >= 5) return cancel();
    r.inFlight = true;
    r.votesSent++;
    const card = r.vote.card;
    store.set({ pendingCard: card });
    conn.request({ type: 'vote', card })
      .then(() => store.set({ myCard: card }))
      .catch(fail)
      .finally(() => {
        r.inFlight = false;
        if (store.state.pendingCard === card) store.set({ pendingCard: undefined });
        remember();
      });
    return undefined;
  }

  function cancelVoteRestore() {
    if (restore) restore.vote = null;
  }

  // ---- actions offered to the page ----
  const send = (msg) => conn.request(msg).catch((e) => { fail(e); throw e; });

  function vote(card) {
    cancelVoteRestore();
    store.set({ pendingCard: card });
    return conn.request({ type: card === null ? 'unvote' : 'vote', ...(card === null ? {} : { card }) })
      .then(() => store.set({ myCard: card }))
      .catch(fail)
      .finally(() => {
        if (store.state.pendingCard === card) store.set({ pendingCard: undefined });
        remember();
      });
  }

  const actions = {
    vote: (card) => vote(card),
    unvote: () => vote(null),
    reveal: () => send({ type: 'reveal' }),
    reset: () => send({ type: 'reset' }),
    story: (story) => send({ type: 'story', ...cleanStory(story) }),
    queueAdd: async (stories) => {
      for (let i = 0; i < stories.length; i += 100) {
        await send({ type: 'queue.add', stories: stories.slice(i, i + 100).map(cleanStory) });
      }
    },
    queueRemove: (index) => send({ type: 'queue.remove', index }),
    finalize: (estimate) => send({ type: 'finalize', estimate }),
    settings: (patch) => send({ type: 'settings', ...patch }),
    timer: (seconds, autoReveal) => send({ type: 'timer', seconds, autoReveal: !!autoReveal }),
    handover: (participantId) => send({ type: 'handover', participantId }),
    kick: (participantId) => send({ type: 'kick', participantId }),
    rename: (name) => send({ type: 'rename', name }).then(() => memory.update({ name })),
    role: (role) => send({ type: 'role', role }).then(() => memory.update({ role })),
    retryNow: () => conn.retryNow(),
    rejoin: () => { store.set({ kicked: false, fatal: null }); conn.start(); },
  };

  window.addEventListener('online', () => conn.retryNow());
  document.addEventListener('visibilitychange', () => { if (!document.hidden) conn.retryNow(); });

  return { start: () => conn.start(), stop: () => conn.stop(), actions };
}

// The server lost the room (restart without storage) when the version went
// backwards, or the newest finalized result this client saw is gone from the
// last-20 history (a live room never drops its newest result).
export function roomWasLost(seen, room) {
  if (seen.version > room.version) return true;
  if (seen.newestResult && !(room.history || []).some((r) => r.resultId === seen.newestResult)) return true;
  return false;
}

function cleanStory(st) {
  const out = { title: st.title };
  if (st.ref) out.ref = st.ref;
  if (st.url) out.url = st.url;
  return out;
}

// The settings to send so the new room matches what was seen before it was lost.
export function settingsPatch(seen, room) {
  const patch = {};
  const was = seen.settings || {};
  const now = room.settings || {};
  const sameDeck = JSON.stringify(seen.deck || []) === JSON.stringify(room.deck || []);
  if (seen.deck && !sameDeck) patch.deck = PRESETS.includes(was.deckName) ? was.deckName : seen.deck;
  // autoReveal is not turned back on: with only some voters back it would reveal
  // early. The facilitator turns it on again when everyone is back.
  for (const k of ['hostOnly', 'anonymous']) {
    if (typeof was[k] === 'boolean' && was[k] !== !!now[k]) patch[k] = was[k];
  }
  if (seen.name && seen.name !== room.name) patch.name = seen.name;
  return Object.keys(patch).length ? patch : null;
}
