// stats.js: how the round's numbers are shown, and the card to suggest as estimate.

export const NON_ESTIMATES = new Set(['?', 'coffee']);

export function fmtNumber(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '–';
  const v = Number(n);
  if (Number.isInteger(v)) return String(v);
  return (Math.round(v * 10) / 10).toString();
}

export const fmtCard = (c) => (c === null || c === undefined ? '–' : String(c));

export const fmtPercent = (x) => (x === null || x === undefined ? '–' : `${Math.round(Number(x) * 100)}%`);

// Most common estimate card; a tie goes to the larger card (deck order).
export function mostCommonCard(result, deck) {
  const dist = result?.distribution || {};
  let best = null;
  let bestCount = 0;
  let bestIndex = -1;
  for (const [card, count] of Object.entries(dist)) {
    if (NON_ESTIMATES.has(card) || !(count > 0)) continue;
    const index = deck ? deck.indexOf(card) : -1;
    if (count > bestCount || (count === bestCount && index > bestIndex)) {
      best = card;
      bestCount = count;
      bestIndex = index;
    }
  }
  return best;
}

// Distribution rows in deck order (cards not in the deck, e.g. from an old deck, last).
export function distributionRows(result, deck) {
  const dist = result?.distribution || {};
  const cards = Object.keys(dist).filter((c) => dist[c] > 0);
  const order = (c) => { const i = (deck || []).indexOf(c); return i < 0 ? 1e6 : i; };
  cards.sort((a, b) => order(a) - order(b));
  const max = Math.max(1, ...cards.map((c) => dist[c]));
  return cards.map((card) => ({ card, count: dist[card], share: dist[card] / max }));
}

export function statsLine(stats) {
  if (!stats) return '';
  const parts = [];
  if (stats.average !== null && stats.average !== undefined) parts.push(`avg ${fmtNumber(stats.average)}`);
  if (stats.median !== null && stats.median !== undefined) parts.push(`median ${fmtNumber(stats.median)}`);
  if (stats.agreement !== null && stats.agreement !== undefined) parts.push(`${fmtPercent(stats.agreement)} agreement`);
  if (stats.votes !== undefined) parts.push(`${stats.votes} vote${stats.votes === 1 ? '' : 's'}`);
  return parts.join(' · ');
}
