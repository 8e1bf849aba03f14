// render/room.js: the room page. Lays out the sections and hands each store change to
// every section; shows the "removed" and "cannot join" pages instead when needed.
// The main column follows the round, so on a phone what matters now comes right under
// the story: while voting your own cards, after reveal the result (then the table).
// The DOM order is the visual order, so keyboard and screen readers read it the same way.
import { h } from '../dom.js';
import { mountStory } from './story.js';
import { mountTimer } from './timer.js';
import { mountParticipants } from './participants.js';
import { mountDeck } from './deck.js';
import { mountResults } from './results.js';
import { mountQueue } from './queue.js';
import { mountHistory } from './history.js';
import { mountSettings } from './settings.js';
import { mountProfile } from './profile.js';

const panel = (cls, label) => h('section', { class: `panel ${cls}`, 'aria-label': label });

// The main column's sections, top to bottom, per stage.
export const MAIN_ORDER = {
  voting: ['story', 'deck', 'people', 'results'],
  revealed: ['story', 'results', 'people', 'deck'],
};

// Puts the column's children in `order`, moving as little as possible and keeping focus
// where it was (moving a node out of the DOM would blur it).
function arrange(column, sections, order) {
  const wanted = order.map((k) => sections[k]);
  if (wanted.every((el, i) => column.children[i] === el)) return;
  const active = document.activeElement;
  wanted.forEach((el, i) => { if (column.children[i] !== el) column.insertBefore(el, column.children[i] || null); });
  if (active && active !== document.activeElement && active.isConnected) active.focus({ preventScroll: true });
}

export function mountRoom(view, { roomId, store, actions, toast, onChangeName }) {
  const sections = {
    story: panel('story', 'Story'),
    timer: panel('timer', 'Timer'),
    people: panel('people', 'People'),
    deck: panel('deck-panel', 'Your card'),
    results: panel('results', 'Result'),
    queue: panel('queue-panel', 'Up next'),
    history: panel('history-panel', 'History'),
    settings: panel('settings', 'Settings'),
    profile: panel('profile', 'You and the room'),
  };
  const updaters = [
    mountStory(sections.story, actions),
    mountTimer(sections.timer, actions),
    mountParticipants(sections.people, actions),
    mountResults(sections.results, actions),
    mountDeck(sections.deck, actions),
    mountQueue(sections.queue, actions),
    mountHistory(sections.history, roomId),
    mountSettings(sections.settings, actions, toast),
    mountProfile(sections.profile, actions, toast),
  ];
  const loading = h('p', { class: 'panel loading', text: 'Joining the room…' });
  const mainCol = h('div', { class: 'main-col' }, ...MAIN_ORDER.voting.map((k) => sections[k]));
  const layout = h('div', { class: 'room', hidden: true, dataset: { stage: 'voting' } },
    mainCol,
    h('div', { class: 'side-col' }, sections.timer, sections.queue, sections.history, sections.settings, sections.profile));
  const notice = h('div', { class: 'notice-wrap', hidden: true });
  view.replaceChildren(loading, layout, notice);
  const roomTitle = document.getElementById('room-title');

  function showNotice(s) {
    if (s.kicked) {
      notice.replaceChildren(h('div', { class: 'panel notice', role: 'alert' },
        h('h1', { text: 'You were removed from this room' }),
        h('p', { text: 'The facilitator removed you. You can join again as a new participant.' }),
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'primary', text: 'Join again', onclick: () => actions.rejoin() }),
          h('a', { href: '/', class: 'button-link', text: 'Go to start' }))));
    } else {
      const nameIssue = s.fatal.code === 'invalid_name';
      notice.replaceChildren(h('div', { class: 'panel notice', role: 'alert' },
        h('h1', { text: 'Could not join the room' }),
        h('p', { text: s.fatal.message }),
        h('div', { class: 'row' },
          nameIssue ? h('button', { type: 'button', class: 'primary', text: 'Change name', onclick: onChangeName })
            : h('button', { type: 'button', class: 'primary', text: 'Try again', onclick: () => actions.rejoin() }),
          h('a', { href: '/', class: 'button-link', text: 'Go to start' }))));
    }
  }

  let noticeShown = '';
  store.subscribe((s) => {
    const blocked = s.kicked ? 'kicked' : s.fatal ? 'fatal' : '';
    if (blocked !== noticeShown) {
      noticeShown = blocked;
      if (blocked) showNotice(s);
    }
    notice.hidden = !blocked;
    layout.hidden = !!blocked || !s.room;
    loading.hidden = !!blocked || !!s.room;
    if (s.room) {
      const name = s.room.name || roomId;
      if (roomTitle.textContent !== name) roomTitle.textContent = name;
      document.title = `${name} · Fire Poker`;
      const stage = s.room.stage === 'revealed' ? 'revealed' : 'voting';
      layout.dataset.stage = stage;
      arrange(mainCol, sections, MAIN_ORDER[stage]);
      for (const u of updaters) u(s);
    }
  });
}
