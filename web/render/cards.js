// render/cards.js: how a card value looks (coffee as a cup icon; the name stays the value).
import { h, svg } from '../dom.js';

export function coffeeIcon() {
  return svg('svg', { viewBox: '0 0 24 24', width: '1.2em', height: '1.2em', 'aria-hidden': 'true', class: 'icon' },
    svg('path', { d: 'M4 8h12v6a5 5 0 0 1-5 5H9a5 5 0 0 1-5-5z', fill: 'none', stroke: 'currentColor', 'stroke-width': '2' }),
    svg('path', { d: 'M16 10h2a2.5 2.5 0 0 1 0 5h-2', fill: 'none', stroke: 'currentColor', 'stroke-width': '2' }),
    svg('path', { d: 'M8 2.5c0 1.5 1.5 1.5 1.5 3M12 2.5c0 1.5 1.5 1.5 1.5 3', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.6', 'stroke-linecap': 'round' }));
}

export function eyeIcon() {
  return svg('svg', { viewBox: '0 0 24 24', width: '1.3em', height: '1.3em', 'aria-hidden': 'true', class: 'icon' },
    svg('path', { d: 'M2 12s3.6-6.5 10-6.5S22 12 22 12s-3.6 6.5-10 6.5S2 12 2 12z', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.8' }),
    svg('circle', { cx: '12', cy: '12', r: '3', fill: 'currentColor' }));
}

export function flameIcon() {
  return svg('svg', { viewBox: '0 0 24 24', width: '1.4em', height: '1.4em', 'aria-hidden': 'true', class: 'icon flame' },
    svg('path', { d: 'M12 2c1 3.5 5 6 5 11a5 5 0 0 1-10 0c0-2.5 1.2-4 2.5-5.2C9.8 10 10.5 11 11.5 11 11 8 11 5 12 2z', fill: 'currentColor' }));
}

// The visible face of a card; its accessible name is set by the caller.
export function cardFace(card) {
  if (card === 'coffee') return h('span', { class: 'face', 'aria-hidden': 'true' }, coffeeIcon());
  return h('span', { class: 'face', 'aria-hidden': 'true', text: card });
}
