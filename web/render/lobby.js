// render/lobby.js: the start page (room name, display name, voter or observer) and
// the short form a shared room link shows (only a name).
import { h, field, nextId } from '../dom.js';
import { generateRoomId, roomIdFrom, nameProblem } from '../names.js';
import { prefs, recentRooms } from '../storage.js';

function roleChoice(initial) {
  const id = nextId('role');
  const radio = (value, label, hint) => {
    const input = h('input', { type: 'radio', name: id, value, checked: initial === value });
    return { input, el: h('label', { class: 'choice' }, input, h('span', {}, h('strong', { text: label }), h('small', { class: 'muted', text: hint }))) };
  };
  const voter = radio('voter', 'Voter', 'picks cards');
  const observer = radio('observer', 'Observer', 'watches, does not vote');
  return {
    el: h('fieldset', { class: 'roles' }, h('legend', { text: 'Join as' }), voter.el, observer.el),
    get value() { return observer.input.checked ? 'observer' : 'voter'; },
  };
}

// onEnter({roomId, roomName, name, role}); roomId given: the room link form.
export function renderLobby(view, { roomId = null, error = '', onEnter }) {
  const suggested = generateRoomId();
  const nameIn = h('input', { type: 'text', name: 'name', maxlength: 64, required: true, autocomplete: 'nickname', value: prefs.name });
  const problem = h('p', { class: 'form-error', role: 'alert', text: error });
  const role = roleChoice(prefs.role);
  let roomIn = null;
  const parts = [];
  if (roomId) {
    parts.push(h('h1', {}, 'Join room ', h('span', { class: 'room-id', text: roomId })),
      h('p', { class: 'muted', text: 'Enter the name the others will see.' }));
  } else {
    roomIn = h('input', { type: 'text', name: 'room', maxlength: 64, autocomplete: 'off', placeholder: suggested });
    parts.push(h('h1', { text: 'Planning poker, in real time' }),
      h('p', { class: 'muted', text: 'Create a room or join one: everybody who opens the same room link estimates together.' }),
      field('Room name', roomIn, `Leave empty for “${suggested}”. Letters, digits, - and _ make the link.`));
  }
  parts.push(field('Your name', nameIn), role.el, problem,
    h('button', { type: 'submit', class: 'primary wide', text: roomId ? 'Join' : 'Enter room' }));
  const form = h('form', { class: 'panel lobby', novalidate: true }, ...parts);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const bad = nameProblem(nameIn.value);
    if (bad) { problem.textContent = bad; nameIn.focus(); return; }
    let id = roomId;
    let roomName = null;
    if (!id) {
      const typed = roomIn.value.trim();
      id = typed ? roomIdFrom(typed) : suggested;
      if (!id) id = generateRoomId();
      if (typed && typed !== id) roomName = [...typed].slice(0, 64).join('');
    }
    prefs.name = nameIn.value.trim();
    prefs.role = role.value;
    onEnter({ roomId: id, roomName, name: nameIn.value.trim(), role: role.value });
  });
  const recent = roomId ? [] : recentRooms();
  view.replaceChildren(h('div', { class: 'lobby-wrap' }, form,
    recent.length ? h('nav', { class: 'panel recent', 'aria-label': 'Recent rooms' },
      h('h2', { text: 'Recent rooms' }),
      h('ul', { class: 'plain' }, recent.map((r) => h('li', {},
        h('a', { href: `/r/${encodeURIComponent(r.id)}`, text: r.name && r.name !== r.id ? `${r.name} (${r.id})` : r.id }))))) : null));
  (roomIn || nameIn).focus();
}
