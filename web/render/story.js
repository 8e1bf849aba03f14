// render/story.js: the current story and round, the round's main actions
// (Reveal, Revote) and the form to set the story.
import { h, field, setIfIdle, markDirtyOnInput, clearDirty } from '../dom.js';
import { isController, isLive } from '../store.js';

export function safeUrl(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch { return null; }
}

export function mountStory(section, actions) {
  const stage = h('p', { class: 'stage' });
  const title = h('p', { class: 'story-title' });
  const meta = h('p', { class: 'story-meta' });
  const reveal = h('button', { type: 'button', class: 'primary', text: 'Reveal', onclick: () => actions.reveal().catch(() => {}) });
  const revote = h('button', { type: 'button', class: 'secondary', text: 'Revote', onclick: () => actions.reset().catch(() => {}) });
  const why = h('p', { class: 'muted small', hidden: true, text: 'Host-only is on: the facilitator runs the round.' });

  const tIn = h('input', { type: 'text', name: 'title', required: true, maxlength: 256, autocomplete: 'off' });
  const rIn = h('input', { type: 'text', name: 'ref', maxlength: 64, autocomplete: 'off', placeholder: 'FP-12' });
  const uIn = h('input', { type: 'url', name: 'url', maxlength: 512, autocomplete: 'off', placeholder: 'https://…' });
  markDirtyOnInput(tIn, rIn, uIn);
  const form = h('form', { class: 'story-form' },
    field('Story title', tIn), h('div', { class: 'two' }, field('Ref', rIn), field('Link', uIn)),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'secondary', text: 'Set story' })));
  const details = h('details', { class: 'story-edit' }, h('summary', { text: 'Set or edit the story' }), form);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const story = { title: tIn.value.trim(), ref: rIn.value.trim() || null, url: uIn.value.trim() || null };
    if (!story.title) { tIn.focus(); return; }
    actions.story(story).then(() => { clearDirty(tIn, rIn, uIn); details.open = false; }).catch(() => {});
  });
  details.addEventListener('toggle', () => { if (details.open) { clearDirty(tIn, rIn, uIn); fill(); } });

  section.append(h('h2', { class: 'sr-only', text: 'Current story' }), stage, title, meta,
    h('div', { class: 'row actions' }, reveal, revote), why, details);

  let last = null;
  function fill() {
    const st = last?.room?.story;
    setIfIdle(tIn, st?.title || '');
    setIfIdle(rIn, st?.ref || '');
    setIfIdle(uIn, st?.url || '');
  }

  return function update(s) {
    last = s;
    const room = s.room;
    if (!room) return;
    const st = room.story;
    stage.textContent = `Round ${room.round ?? 1} · ${room.stage === 'revealed' ? 'Revealed' : 'Voting'}`;
    stage.dataset.stage = room.stage;
    title.textContent = st ? st.title : 'No story: estimating freely';
    title.classList.toggle('muted', !st);
    const bits = [];
    if (st?.ref) bits.push(h('span', { class: 'ref', text: st.ref }));
    const href = st?.url ? safeUrl(st.url) : null;
    if (href) bits.push(h('a', { href, target: '_blank', rel: 'noopener noreferrer', text: 'Open link' }));
    meta.replaceChildren(...bits);
    meta.hidden = !bits.length;
    const ctl = isController(s) && isLive(s);
    const revealed = room.stage === 'revealed';
    reveal.hidden = revealed;
    reveal.disabled = !ctl;
    revote.disabled = !ctl;
    revote.className = revealed ? 'primary' : 'secondary';
    why.hidden = isController(s) || !room.settings?.hostOnly;
    details.hidden = !isController(s);
    if (details.open) fill();
  };
}
