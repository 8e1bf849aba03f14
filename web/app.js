// app.js: the entry point. `/` shows the lobby; `/r/{room}` joins the room (asking
// for a name first if this browser has none for it).
import { roomMemory } from './storage.js';
import { ROOM_ID } from './names.js';
import { createStore } from './store.js';
import { createSession } from './session.js';
import { renderLobby } from './render/lobby.js';
import { mountRoom } from './render/room.js';
import { mountConnection, createToaster } from './render/status.js';

const view = document.getElementById('view');

// The sticky top bar's height, for scroll-padding-top (style.css): kept current as it wraps.
const topbar = document.querySelector('.topbar');
const setHeaderHeight = () => document.documentElement.style.setProperty('--header-h', `${topbar.offsetHeight}px`);
setHeaderHeight();
if (window.ResizeObserver) new ResizeObserver(setHeaderHeight).observe(topbar);
const connEl = document.getElementById('conn');
const toast = createToaster(document.getElementById('toasts'));

function roomFromPath() {
  const m = location.pathname.match(/^\/r\/([^/]+)\/?$/);
  if (!m) return null;
  try { return decodeURIComponent(m[1]); } catch { return ''; }
}

function enterRoom(roomId) {
  const store = createStore();
  const memory = roomMemory(roomId);
  const session = createSession({ roomId, store, memory, toast });
  connEl.hidden = false;
  store.subscribe(mountConnection(connEl, { onRetry: () => session.actions.retryNow() }));
  mountRoom(view, {
    roomId, store, actions: session.actions, toast,
    onChangeName: () => { session.stop(); askName(roomId, store.state.fatal?.message || ''); },
  });
  session.start();
}

function askName(roomId, error = '') {
  connEl.hidden = true;
  document.getElementById('room-title').textContent = roomId;
  renderLobby(view, {
    roomId,
    error,
    onEnter: ({ name, role }) => {
      const memory = roomMemory(roomId);
      memory.update({ name, role });
      enterRoom(roomId);
    },
  });
}

function lobby(error = '') {
  connEl.hidden = true;
  renderLobby(view, {
    error,
    onEnter: ({ roomId, roomName, name, role }) => {
      roomMemory(roomId).update({ name, role, desiredRoomName: roomName });
      location.assign(`/r/${encodeURIComponent(roomId)}`);
    },
  });
}

function main() {
  const roomId = roomFromPath();
  if (roomId === null) lobby();
  else if (!ROOM_ID.test(roomId)) lobby(`“${roomId}” is not a valid room name.`);
  else if (roomMemory(roomId).get().name) enterRoom(roomId);
  else askName(roomId);
}

main();
