// store.js: the client's state. The room content is only ever replaced by one with
// a higher version (a `welcome` starts over: after a server restart versions restart).
// Subscribers are notified once per microtask, however many changes happened.

export function createStore() {
  const state = {
    room: null,            // RoomState, highest version seen on this connection
    participantId: null,
    myCard: null,          // own vote as the server accepted it
    pendingCard: undefined, // own vote on its way (null = withdrawing)
    conn: { state: 'connecting', attempt: 0 },
    joined: false,
    kicked: false,
    fatal: null,           // {code, message}: joining cannot succeed as is
    lastCause: null,
    decks: null,           // the server's deck presets from welcome: {name: [cards]}
  };
  const subs = new Set();
  let queued = false;

  function notify() {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      for (const fn of subs) fn(state);
    });
  }

  return {
    state,
    subscribe(fn) { subs.add(fn); return () => subs.delete(fn); },
    set(patch) { Object.assign(state, patch); notify(); },
    replaceRoom(room) { state.room = room; notify(); },
    // Returns true when the room was newer and was taken.
    offerRoom(room) {
      if (!room) return false;
      if (state.room && room.id === state.room.id && !(room.version > state.room.version)) return false;
      state.room = room;
      notify();
      return true;
    },
  };
}

// ---- selectors (plain functions of the state) ----

export const findMe = (s) => s.room?.participants?.find((p) => p.id === s.participantId) || null;

export const isFacilitator = (s) => findMe(s)?.role === 'facilitator';

export function isController(s) {
  if (!s.room || !findMe(s)) return false;
  return !s.room.settings?.hostOnly || isFacilitator(s);
}

// Whether a participant votes: the server's `voter` flag when given (a facilitator
// may be an observer too), else its role.
export const isVoter = (p) => !!p && (typeof p.voter === 'boolean' ? p.voter : p.role !== 'observer');

export const canVote = (s) => isVoter(findMe(s));

export const storyKey = (story) => (story ? `${story.title}\u0000${story.ref || ''}` : '');

export const selectedCard = (s) => (s.pendingCard !== undefined ? s.pendingCard : s.myCard);

export const isLive = (s) => s.conn.state === 'open' && s.joined;
