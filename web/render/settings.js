// render/settings.js: room settings. The facilitator edits them (deck preset or
// custom cards, auto-reveal, host-only, anonymous, room name); others see a summary.
import { h, field, checkbox, setIfIdle, markDirtyOnInput, clearDirty, codePoints } from '../dom.js';
import { isFacilitator, isLive } from '../store.js';

export const PRESETS = {
  fibonacci: 'Fibonacci (0 1 2 3 5 8 13 21 …)',
  modified: 'Modified Fibonacci (0 ½ 1 2 3 5 8 13 20 40 100)',
  tshirt: 'T-shirt sizes (XS S M L XL XXL)',
  powers: 'Powers of 2 (0 1 2 4 8 16 32 64)',
};

export function parseCustomDeck(text) {
  const parts = text.split(/[,\s]+/).map((c) => c.trim()).filter(Boolean);
  const cards = [...new Set(parts)];
  if (cards.length < 2 || cards.length > 30) return { error: 'A deck has 2 to 30 different cards.' };
  if (cards.some((c) => codePoints(c) > 8)) return { error: 'A card has at most 8 characters.' };
  return { cards };
}

export function mountSettings(section, actions, toast) {
  const summary = h('p', { class: 'muted small' });
  const name = h('input', { type: 'text', maxlength: 64, autocomplete: 'off' });
  const deck = h('select', {},
    ...Object.entries(PRESETS).map(([v, t]) => h('option', { value: v, text: t })),
    h('option', { value: 'custom', text: 'Custom cards…' }));
  const custom = h('input', { type: 'text', autocomplete: 'off', placeholder: '1, 2, 3, 5, 8, ?' });
  const customField = field('Custom cards (comma or space separated)', custom);
  const autoReveal = checkbox('Auto-reveal when everyone voted', {});
  const hostOnly = checkbox('Host-only controls (only the facilitator runs rounds)', {});
  const anonymous = checkbox('Anonymous votes (cards not tied to names)', {});
  const save = h('button', { type: 'submit', class: 'secondary', text: 'Save settings' });
  const form = h('form', { class: 'settings-form' },
    field('Room name', name), field('Deck', deck), customField,
    autoReveal.el, hostOnly.el, anonymous.el, h('div', { class: 'row' }, save));
  const inputs = [name, deck, custom, autoReveal.input, hostOnly.input, anonymous.input];
  markDirtyOnInput(...inputs);
  deck.addEventListener('change', () => { deck.dataset.dirty = '1'; customField.hidden = deck.value !== 'custom'; });
  for (const c of [autoReveal.input, hostOnly.input, anonymous.input]) c.addEventListener('change', () => { c.dataset.dirty = '1'; });
  section.append(h('div', { class: 'panel-head' }, h('h2', { text: 'Settings' })), summary, form);

  let room = null;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!room) return;
    const patch = {};
    const n = name.value.trim();
    if (n && n !== room.name) patch.name = n;
    if (deck.value === 'custom') {
      const parsed = parseCustomDeck(custom.value);
      if (parsed.error) { toast(parsed.error, 'error'); custom.focus(); return; }
      if (JSON.stringify(parsed.cards) !== JSON.stringify(room.deck)) patch.deck = parsed.cards;
    } else if (deck.value !== room.settings?.deckName) patch.deck = deck.value;
    const st = room.settings || {};
    if (autoReveal.input.checked !== !!st.autoReveal) patch.autoReveal = autoReveal.input.checked;
    if (hostOnly.input.checked !== !!st.hostOnly) patch.hostOnly = hostOnly.input.checked;
    if (anonymous.input.checked !== !!st.anonymous) patch.anonymous = anonymous.input.checked;
    if (!Object.keys(patch).length) { toast('Nothing changed.', 'info'); return; }
    actions.settings(patch).then(() => { clearDirty(...inputs); toast('Settings saved.', 'info'); }).catch(() => {});
  });

  return function update(s) {
    room = s.room;
    if (!room) return;
    const st = room.settings || {};
    const deckName = st.deckName && PRESETS[st.deckName] ? st.deckName : 'custom';
    const on = [st.autoReveal && 'auto-reveal', st.hostOnly && 'host-only', st.anonymous && 'anonymous'].filter(Boolean);
    summary.textContent = `Deck: ${deckName === 'custom' ? room.deck.join(' ') : deckName}${on.length ? ' · ' + on.join(' · ') : ''}`;
    const fac = isFacilitator(s);
    form.hidden = !fac;
    if (!fac) return;
    setIfIdle(name, room.name || '');
    setIfIdle(deck, deckName);
    setIfIdle(custom, room.deck.join(', '));
    setIfIdle(autoReveal.input, st.autoReveal);
    setIfIdle(hostOnly.input, st.hostOnly);
    setIfIdle(anonymous.input, st.anonymous);
    customField.hidden = deck.value !== 'custom';
    save.disabled = !isLive(s);
  };
}
