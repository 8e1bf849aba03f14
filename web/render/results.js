// render/results.js: after reveal, the round's statistics, a distribution bar chart
// (plain CSS), earlier rounds of this story, and finalizing with an estimate.
import { h, field, nextId } from '../dom.js';
import { storyKey } from '../store.js';
import { allowed, estimateProblem, storyProblem, suggestedTitle, trimText, MAX_TITLE } from '../rules.js';
import { fmtNumber, fmtCard, fmtPercent, mostCommonCard, distributionRows, statsLine } from '../stats.js';
import { cardFace } from './cards.js';

export function mountResults(section, actions) {
  const consensus = h('p', { class: 'consensus' });
  const stats = h('dl', { class: 'stats' });
  const chart = h('ul', { class: 'chart', 'aria-label': 'Distribution of votes' });
  const earlier = h('div', { class: 'earlier' });
  const listId = nextId('deck-list');
  const datalist = h('datalist', { id: listId });
  const estimate = h('input', { type: 'text', name: 'estimate', maxlength: 16, required: true, autocomplete: 'off', list: listId });
  // With no current story, finalizing names the round in the same step (the server records
  // it under this title); pre-filled with "Story N", editable.
  const title = h('input', { type: 'text', name: 'story-title', maxlength: MAX_TITLE, autocomplete: 'off' });
  const titleField = field('Title of the result', title, 'No story was set: the result is recorded as a story with this title.');
  titleField.classList.add('finalize-title');
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const finalize = h('button', { type: 'submit', class: 'primary', text: 'Finalize' });
  const form = h('form', { class: 'finalize', novalidate: true },
    titleField, h('div', { class: 'finalize-row' }, field('Estimate', estimate), datalist, finalize), problem);
  let current = null;
  let sending = false;
  for (const input of [title, estimate]) input.addEventListener('input', () => { problem.textContent = ''; });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const room = current?.room;
    if (!room) return;
    const v = trimText(estimate.value);
    const bad = estimateProblem(v, room.deck);
    if (bad) { problem.textContent = bad; estimate.focus(); return; }
    let story = null;
    if (!room.story) {
      story = { title: trimText(title.value) };
      const badTitle = storyProblem(story);
      if (badTitle) { problem.textContent = badTitle; title.focus(); return; }
    }
    problem.textContent = '';
    sending = true;
    finalize.disabled = true;
    actions.finalize(v, story)
      .then(() => { titleKey = ''; })
      .catch(() => { /* shown as a message; the round and the form stay as they were */ })
      .finally(() => { sending = false; if (current) update(current); });
  });
  section.append(h('div', { class: 'panel-head' }, h('h2', { text: 'Result' }), consensus),
    stats, h('h3', { class: 'sr-only', text: 'Distribution' }), chart, form, earlier);

  let prefillKey = '';
  let titleKey = '';

  function stat(label, value) {
    return [h('dt', { text: label }), h('dd', { text: value })];
  }

  function update(s) {
    current = s;
    const room = s.room;
    const r = room?.result;
    const show = !!room && room.stage === 'revealed' && !!r;
    section.hidden = !show;
    if (!show) return;
    const estimates = Object.entries(r.distribution || {}).filter(([c]) => c !== '?' && c !== 'coffee').reduce((n, [, k]) => n + k, 0);
    consensus.textContent = !estimates ? 'No estimates' : r.consensus ? '✓ Consensus' : 'No consensus';
    consensus.dataset.ok = String(!!r.consensus && estimates > 0);
    stats.replaceChildren(
      ...stat('Average', fmtNumber(r.average)),
      ...stat('Median', fmtNumber(r.median)),
      ...stat('Min', fmtCard(r.min)),
      ...stat('Max', fmtCard(r.max)),
      ...stat('Agreement', fmtPercent(r.agreement)),
      ...stat('Votes', String(r.votes ?? 0)));
    chart.replaceChildren(...distributionRows(r, room.deck).map(({ card, count, share }) => h('li', { class: 'bar-row' },
      h('span', { class: 'bar-card' }, cardFace(card)),
      h('span', { class: 'bar-track', 'aria-hidden': 'true' }, h('span', { class: 'bar', style: `width:${Math.round(share * 100)}%` })),
      h('span', { class: 'bar-count', 'aria-hidden': 'true', text: String(count) }),
      h('span', { class: 'sr-only', text: `${card}: ${count} vote${count === 1 ? '' : 's'}` }))));
    if (!chart.children.length) chart.append(h('li', { class: 'muted', text: 'Nobody voted.' }));

    datalist.replaceChildren(...room.deck.map((c) => h('option', { value: c })));
    const key = `${room.round}|${storyKey(room.story)}|${JSON.stringify(r.distribution)}`;
    if (key !== prefillKey) {
      prefillKey = key;
      estimate.value = mostCommonCard(r, room.deck) || '';
    }
    const can = allowed(s);
    form.hidden = !can.finalize;
    if (!sending) finalize.disabled = !can.live;
    titleField.hidden = !can.finalizeNeedsTitle;
    // A fresh suggestion for each round without a story (kept while the user edits it).
    const tKey = `${room.round}|${(room.history || [])[0]?.resultId || ''}`;
    if (can.finalizeNeedsTitle && tKey !== titleKey && document.activeElement !== title) {
      titleKey = tKey;
      title.value = suggestedTitle(room.history);
    }

    const rounds = room.earlierRounds || [];
    earlier.replaceChildren(...(rounds.length ? [
      h('h3', { text: 'Earlier rounds' }),
      h('ul', { class: 'plain' }, rounds.map((er) => h('li', { text: `Round ${er.round}: ${statsLine(er.stats) || 'no votes'}` })))] : []));
  }
  return update;
}
