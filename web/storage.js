// storage.js: what the browser remembers, in localStorage. Per room: name, role,
// seat (participantId + resumeToken), the last room content seen and the own
// unrevealed vote, so a reload or a lost server can be recovered from.

const PREFIX = 'fp.';

function read(key) {
  try { return JSON.parse(localStorage.getItem(PREFIX + key)); } catch { return null; }
}
function write(key, value) {
  try { localStorage.setItem(PREFIX + key, JSON.stringify(value)); } catch { /* private mode or full */ }
}

export const prefs = {
  get name() { return read('name') || ''; },
  set name(v) { write('name', v); },
  get role() { return read('role') || 'voter'; },
  set role(v) { write('role', v); },
};

export function roomMemory(roomId) {
  const key = 'room.' + roomId;
  return {
    get: () => read(key) || {},
    update(patch) {
      const next = { ...(read(key) || {}), ...patch, at: Date.now() };
      write(key, next);
      return next;
    },
    forgetSeat() { return this.update({ participantId: null, resumeToken: null, vote: null }); },
  };
}

export function recentRooms(limit = 5) {
  const out = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (!k || !k.startsWith(PREFIX + 'room.')) continue;
      const v = read(k.slice(PREFIX.length));
      if (v) out.push({ id: k.slice(PREFIX.length + 5), name: v.seen?.name || '', at: v.at || 0 });
    }
  } catch { /* ignore */ }
  return out.sort((a, b) => b.at - a.at).slice(0, limit);
}
