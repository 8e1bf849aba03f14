// render/history.js: finalized stories with their estimates and statistics, and
// the full history as CSV or Markdown from the server.
import { h } from '../dom.js';
import { statsLine } from '../stats.js';
import { safeUrl } from './story.js';

function when(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return new Date(t).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

export function mountHistory(section, roomId) {
  const base = `/api/rooms/${encodeURIComponent(roomId)}/history`;
  const list = h('ol', { class: 'history', 'aria-label': 'Finalized stories' });
  const links = h('p', { class: 'downloads' },
    h('a', { href: `${base}?format=csv`, download: `${roomId}-history.csv`, text: 'Download CSV' }),
    h('a', { href: `${base}?format=md`, download: `${roomId}-history.md`, text: 'Download Markdown' }));
  section.append(h('div', { class: 'panel-head' }, h('h2', { text: 'History' })), list, links);
  let key = '';

  return function update(s) {
    const hist = s.room?.history || [];
    const k = JSON.stringify(hist.map((r) => r.resultId));
    if (k === key) return;
    key = k;
    const items = hist.map((r) => {
      const href = r.story?.url ? safeUrl(r.story.url) : null;
      const title = r.story?.title || '(no story)';
      return h('li', { class: 'hist-item' },
        h('span', { class: 'estimate' }, h('span', { class: 'sr-only', text: 'Estimate ' }), r.estimate),
        h('span', { class: 'hist-body' },
          h('span', { class: 'hist-title' },
            r.story?.ref ? [h('span', { class: 'ref', text: r.story.ref }), ' '] : null,
            href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer', text: title }) : h('span', { text: title })),
          h('span', { class: 'muted small', text: [statsLine(r.stats), r.rounds > 1 ? `${r.rounds} rounds` : '', when(r.finalizedAt)].filter(Boolean).join(' · ') })));
    });
    if (!items.length) items.push(h('li', { class: 'muted empty', text: 'Nothing finalized yet.' }));
    list.replaceChildren(...items);
    links.hidden = !hist.length;
  };
}
