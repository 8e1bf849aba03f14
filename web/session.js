// session.js: being in one room. Joins (with the remembered seat), keeps the store
// up to date, offers the actions, and, when the server lost the room (its version
// went backwards), brings back what this client honestly knows: settings, queue and
// story if it is the new facilitator (the story also as any controller), and its own
// unrevealed vote. It never restores anyone else's vote.

import { createConnection } from './connection.js';
import { observeServerTime } from './clock.js';
import { errorText } from './errors.js';
import { findMe, isVoter, storyKey } from './store.js';
import { createRestore, startCommands, step, factsOf, finished, restoringVote, cleanStory } from './restore.js';

// A snapshot older than this is not restored from (the room was left long ago).
const RESTORE_MAX_AGE_MS = 12 * 3600 * 1000;

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
      // The server's deck presets (name -> cards, in its order); kept when a server sends none.
      decks: msg.decks && typeof msg.decks === 'object' ? msg.decks : store.state.decks,
    });
    store.replaceRoom(msg.room);
    memory.update({ participantId: msg.participantId, resumeToken: msg.resumeToken });
    const seen = before.seen;
    const lost = !!seen && Date.now() - (seen.at || 0) < RESTORE_MAX_AGE_MS && roomWasLost(seen, msg.room);
    endRestore();
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
    dispatch({ type: 'changed', cause: msg.cause || null });
    remember();
  }

  function onKicked() {
    endRestore();
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
    const restoring = restoringVote(restore?.machine);
    if (restoring) vote = restoring;
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

  // ---- restoring a room the server lost: restore.js decides, this carries it out ----
  function beginRestore(before, welcome) {
    const r = {
      machine: createRestore({
        seen: before.seen,
        vote: welcome.you?.card == null && before.vote?.card != null ? before.vote : null,
        joinRole: before.role === 'observer' ? 'observer' : 'voter',
      }),
      timers: [],
    };
    restore = r;
    for (const c of startCommands()) carryOut(r, c);
    dispatch({ type: 'start' });
  }

  function endRestore() {
    if (!restore) return;
    for (const t of restore.timers) clearTimeout(t);
    restore = null;
  }

  // Feeds one event (with the facts of the current state) to the machine.
  function dispatch(event) {
    const r = restore;
    if (!r) return;
    const { machine, commands } = step(r.machine, { ...event, facts: factsOf(store.state) });
    r.machine = machine;
    for (const c of commands) carryOut(r, c);
    if (finished(machine) && restore === r) endRestore();
  }

  function carryOut(r, c) {
    if (c.do === 'after') {
      r.timers.push(setTimeout(() => { if (restore === r) dispatch({ type: c.event }); }, c.ms));
      return;
    }
    // c.do === 'send'
    const card = c.region === 'vote' ? c.message.card : undefined;
    if (card !== undefined) store.set({ pendingCard: card });
    let ok = false;
    conn.request(c.message)
      .then(() => {
        ok = true;
        if (card !== undefined) store.set({ myCard: card });
      })
      .catch(fail)
      .finally(() => {
        if (card !== undefined && store.state.pendingCard === card) store.set({ pendingCard: undefined });
        if (restore === r) dispatch({ type: c.region === 'vote' ? 'voteReply' : 'roomReply', ok });
        remember();
      });
  }

  // ---- actions offered to the page ----
  const send = (msg) => conn.request(msg).catch((e) => { fail(e); throw e; });

  function vote(card) {
    dispatch({ type: 'ownVote' });
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
    // With no current story the round is named in the same request (`story`), so it is
    // recorded as it was revealed; a refusal leaves the round and the form as they were.
    finalize: (estimate, story = null) => send({ type: 'finalize', estimate, ...(story ? { story: cleanStory(story) } : {}) }),
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
