// render/queue.js: the stories waiting their turn. Paste several lines at once,
// one story a line ("FP-12 Login page https://…": ref and link are optional).
import { h, field, replaceKeepingFocus, clipCodePoints } from '../dom.js';
import { allowed, queueProblem } from '../rules.js';
import { safeUrl } from './story.js';

const REF = /^(#\d+|[A-Za-z][A-Za-z0-9_]*-\d+)\s*[:\-–]?\s+/;

export function parseStoryLine(line) {
  let text = line.trim().replace(/^[-*•]\s+/, '');
  if (!text) return null;
  let url = null;
  const m = text.match(/\bhttps?:\/\/\S+/);
  if (m && safeUrl(m[0]) && m[0].length <= 512) {
    url = m[0];
    text = (text.slice(0, m.index) + text.slice(m.index + m[0].length)).replace(/\s+/g, ' ').trim();
  }
  let ref = null;
  const r = (text + ' ').match(REF);
  if (r && r[1].length <= 64) {
    ref = r[1];
    text = (text + ' ').slice(r[0].length).trim();
  }
  const title = clipCodePoints(text || ref || url || '', 256);
  if (!title) return null;
  return { title, ref, url };
}

export function parseStoryLines(text) {
  return text.split(/\r?\n/).map(parseStoryLine).filter(Boolean);
}

export function mountQueue(section, actions) {
  const count = h('span', { class: 'muted' });
  const list = h('ol', { class: 'queue', 'aria-label': 'Queued stories' });
  const area = h('textarea', { rows: 3, name: 'stories', placeholder: 'FP-13 Signup form\nFP-14 Password reset https://…' });
  const add = h('button', { type: 'submit', class: 'secondary', text: 'Add to queue' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'queue-form' }, field('Add stories (one a line)', area), problem, h('div', { class: 'row' }, add));
  let queueLength = 0;
  let wasFull = false;
  area.addEventListener('input', () => { problem.textContent = ''; });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const stories = parseStoryLines(area.value);
    if (!stories.length) { area.focus(); return; }
    // The server takes at most 500 queued stories: say so instead of sending what it refuses.
    const tooMany = queueProblem(stories.length, queueLength);
    if (tooMany) { problem.textContent = tooMany; area.focus(); return; }
    problem.textContent = '';
    actions.queueAdd(stories).then(() => { area.value = ''; }).catch(() => {});
  });
  section.append(h('div', { class: 'panel-head' }, h('h2', { text: 'Up next' }), count), list, form);

  return function update(s) {
    const room = s.room;
    if (!room) return;
    const q = room.queue || [];
    queueLength = q.length;
    const can = allowed(s);
    count.textContent = q.length ? `${q.length} stor${q.length === 1 ? 'y' : 'ies'}` : '';
    const items = q.map((st, i) => h('li', { class: 'queue-item' },
      h('span', { class: 'q-text' },
        st.ref ? [h('span', { class: 'ref', text: st.ref }), ' '] : null,
        h('span', { class: 'q-title', text: st.title })),
      can.queueRemove ? h('button', {
        type: 'button', class: 'mini', 'data-fk': `q-${i}`, text: 'Remove', 'aria-label': `Remove "${st.title}" from the queue`,
        disabled: !can.live, onclick: () => actions.queueRemove(i).catch(() => {}),
      }) : null));
    if (!items.length) items.push(h('li', { class: 'muted empty', text: 'No stories queued.' }));
    replaceKeepingFocus(list, items);
    form.hidden = !can.story; // a controller: the form stays, saying when the queue is full
    add.disabled = !can.live || !can.queueAdd;
    const full = !can.queueAdd && can.story;
    if (full) problem.textContent = queueProblem(1, q.length);
    else if (wasFull) problem.textContent = '';
    wasFull = full;
  };
}
