// render/participants.js: everyone in the room, their role, whether they are online,
// whether they voted (a face-down card) and, after reveal, their card.
import { h, replaceKeepingFocus } from '../dom.js';
import { isVoter } from '../store.js';
import { allowed } from '../rules.js';
import { cardFace, eyeIcon } from './cards.js';

const ROLE_ORDER = { facilitator: 0, voter: 1, observer: 2 };

export function mountParticipants(section, actions) {
  const summary = h('p', { class: 'muted seats-summary' });
  const list = h('ul', { class: 'seats', 'aria-label': 'Participants' });
  section.append(h('div', { class: 'panel-head' }, h('h2', { text: 'People' }), summary), list);
  let confirming = null; // participant id whose removal awaits confirmation
  let confirmTimer = null;
  let last = null;

  function seat(p, s) {
    const room = s.room;
    const revealed = room.stage === 'revealed';
    const isMe = p.id === s.participantId;
    const observer = !isVoter(p);
    let face;
    let status;
    if (observer) {
      face = h('span', { class: 'seat-card watch', 'aria-hidden': 'true' }, eyeIcon());
      status = 'observing';
    } else if (revealed && p.card != null) {
      face = h('span', { class: 'seat-card up', 'aria-hidden': 'true' }, cardFace(p.card));
      status = `card ${p.card}`;
    } else if (p.voted) {
      face = h('span', { class: 'seat-card down', 'aria-hidden': 'true' });
      status = revealed ? 'voted (hidden)' : 'voted';
    } else {
      face = h('span', { class: 'seat-card none', 'aria-hidden': 'true' });
      status = revealed ? 'no vote' : 'not voted';
    }
    const badges = [];
    if (p.role === 'facilitator') badges.push(h('span', { class: 'badge badge-host', text: '★ Facilitator' }));
    if (observer) badges.push(h('span', { class: 'badge', text: 'Observer' }));
    if (!p.online) badges.push(h('span', { class: 'badge badge-off', text: 'offline' }));

    const controls = [];
    const can = allowed(s);
    if (can.handover(p)) {
      controls.push(h('button', {
        type: 'button', class: 'mini', 'data-fk': `hand-${p.id}`, text: 'Hand over', disabled: !can.live,
        'aria-label': `Hand over to ${p.name}`, title: 'Make them the facilitator', onclick: () => actions.handover(p.id).catch(() => {}),
      }));
    }
    if (can.kick(p)) {
      const asking = confirming === p.id;
      controls.push(h('button', {
        type: 'button', class: asking ? 'mini danger' : 'mini', 'data-fk': `kick-${p.id}`, disabled: !can.live,
        text: asking ? 'Confirm' : 'Remove',
        'aria-label': asking ? `Confirm removing ${p.name}` : `Remove ${p.name}`,
        onclick: () => {
          if (confirming === p.id) {
            confirming = null;
            actions.kick(p.id).catch(() => {});
          } else {
            confirming = p.id;
            clearTimeout(confirmTimer);
            confirmTimer = setTimeout(() => { confirming = null; if (last) update(last); }, 5000);
          }
          update(last);
        },
      }));
    }
    return h('li', {
      class: `seat${p.online ? '' : ' offline'}${isMe ? ' me' : ''}`,
      dataset: { pid: p.id, voted: String(!!p.voted) },
    },
    face,
    h('span', { class: 'seat-name' }, h('span', { class: 'name-text', text: p.name }), isMe ? h('span', { class: 'you', text: ' (you)' }) : null),
    h('span', { class: `seat-status${p.voted ? ' done' : ''}`, text: status }),
    badges.length ? h('span', { class: 'badges' }, badges) : null,
    h('span', { class: 'sr-only', text: p.online ? 'online' : '' }),
    controls.length ? h('span', { class: 'seat-controls' }, controls) : null);
  }

  function update(s) {
    last = s;
    const room = s.room;
    if (!room) return;
    const people = [...room.participants].sort((a, b) => (ROLE_ORDER[a.role] ?? 3) - (ROLE_ORDER[b.role] ?? 3));
    const voters = room.participants.filter(isVoter);
    const voted = voters.filter((p) => p.voted).length;
    const online = room.participants.filter((p) => p.online).length;
    summary.textContent = `${online} online · ${voted} of ${voters.length} voted`;
    replaceKeepingFocus(list, people.map((p) => seat(p, s)));
  }
  return update;
}
