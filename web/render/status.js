// render/status.js: the connection state (always visible) and short messages.
import { h } from '../dom.js';

export function mountConnection(el, { onRetry }) {
  const dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
  const label = h('span', { class: 'conn-label' });
  const retry = h('button', { type: 'button', class: 'link-button', text: 'Retry now', hidden: true, onclick: onRetry });
  el.replaceChildren(h('span', { class: 'conn-text', role: 'status', 'aria-live': 'polite' }, dot, label), retry);
  let tick = null;

  function update(s) {
    const c = s.conn;
    let state;
    let text;
    if (s.kicked) { state = 'off'; text = 'Removed'; }
    else if (s.fatal) { state = 'off'; text = 'Not joined'; }
    else if (c.state === 'open' && s.joined) { state = 'ok'; text = 'Connected'; }
    else if (c.state === 'open') { state = 'wait'; text = 'Joining…'; }
    else if (c.state === 'reconnecting') {
      state = 'wait';
      const secs = c.retryAt ? Math.max(0, Math.ceil((c.retryAt - Date.now()) / 1000)) : 0;
      text = secs > 0 ? `Reconnecting in ${secs} s…` : 'Reconnecting…';
    } else if (c.state === 'stopped') { state = 'off'; text = 'Disconnected'; }
    else { state = 'wait'; text = 'Connecting…'; }
    el.dataset.state = state;
    if (label.textContent !== text) label.textContent = text;
    retry.hidden = !(c.state === 'reconnecting' && c.retryAt && c.retryAt - Date.now() > 1500);
    clearTimeout(tick);
    if (c.state === 'reconnecting' && c.retryAt) tick = setTimeout(() => update(s), 1000);
  }
  return update;
}

export function createToaster(el) {
  return function toast(message, kind = 'error') {
    const item = h('div', { class: `toast toast-${kind}` },
      h('span', { text: message }),
      h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss message', text: '×', onclick: () => item.remove() }));
    el.append(item);
    while (el.children.length > 3) el.firstElementChild.remove();
    setTimeout(() => item.remove(), kind === 'error' ? 8000 : 5000);
  };
}
