// render/story.js: the current story and round, the round's main actions
// (Reveal, Revote) and the form to set the story.
import { h, field, setIfIdle, markDirtyOnInput, clearDirty } from '../dom.js';
import { allowed, storyProblem } from '../rules.js';

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
  const problem = h('p', { class: 'form-error', role: 'alert' });
  for (const input of [tIn, rIn, uIn]) input.addEventListener('input', () => { problem.textContent = ''; });
  const setStory = h('button', { type: 'submit', class: 'secondary', text: 'Set story' });
  const form = h('form', { class: 'story-form', novalidate: true },
    field('Story title', tIn), h('div', { class: 'two' }, field('Ref', rIn), field('Link', uIn)),
    problem, h('div', { class: 'row' }, setStory));
  const details = h('details', { class: 'story-edit' }, h('summary', { text: 'Set or edit the story' }), form);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const story = { title: tIn.value.trim(), ref: rIn.value.trim() || null, url: uIn.value.trim() || null };
    const bad = storyProblem(story);
    if (bad) { problem.textContent = bad; (/link/i.test(bad) ? uIn : /ref/i.test(bad) ? rIn : tIn).focus(); return; }
    problem.textContent = '';
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
    const can = allowed(s);
    const revealed = room.stage === 'revealed';
    // Others see Reveal/Revote greyed out with the reason (host-only), never a live button.
    reveal.hidden = revealed;
    reveal.disabled = !can.reveal || !can.live;
    revote.disabled = !can.reset || !can.live;
    revote.className = revealed ? 'primary' : 'secondary';
    why.hidden = can.reset || !room.settings?.hostOnly;
    details.hidden = !can.story;
    setStory.disabled = !can.live;
    if (details.open) fill();
  };
}
