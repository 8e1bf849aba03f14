// render/settings.js: room settings. The facilitator edits them (deck preset or
// custom cards, auto-reveal, host-only, anonymous, room name); others see a summary.
// The presets and their cards are the server's (`welcome.decks`), never a copy.
import { h, field, checkbox, setIfIdle, markDirtyOnInput, clearDirty, codePoints } from '../dom.js';
import { allowed, textProblem } from '../rules.js';

// Friendlier names for the presets this server is known to offer; any other is shown by name.
const PRESET_NAMES = { fibonacci: 'Fibonacci', modified: 'Modified Fibonacci', tshirt: 'T-shirt sizes', powers: 'Powers of 2' };

// "Fibonacci (0 1 2 3 5 8 13 21 …)": the name and the first cards that are estimates.
export function presetLabel(name, cards) {
  const shown = cards.filter((c) => c !== '?' && c !== 'coffee');
  const head = shown.slice(0, 8).join(' ') + (shown.length > 8 ? ' …' : '');
  return `${PRESET_NAMES[name] || name} (${head})`;
}

export function parseCustomDeck(text) {
  const parts = text.split(/[,\s]+/).map((c) => c.trim()).filter(Boolean);
  const cards = [...new Set(parts)];
  if (cards.length < 2 || cards.length > 30) return { error: 'A deck has 2 to 30 different cards.' };
  if (cards.some((c) => codePoints(c) > 8)) return { error: 'A card has at most 8 characters.' };
  if (cards.some((c) => /[\u0000-\u001f\u007f-\u009f]/.test(c))) return { error: 'A card cannot contain control characters.' };
  return { cards };
}

export function mountSettings(section, actions, toast) {
  const summary = h('p', { class: 'muted small' });
  const name = h('input', { type: 'text', maxlength: 64, autocomplete: 'off' });
  const deck = h('select', {});
  let presetsKey = null;
  function fillPresets(decks) {
    const key = JSON.stringify(decks || null);
    if (key === presetsKey) return;
    presetsKey = key;
    const keep = deck.value;
    deck.replaceChildren(
      ...Object.entries(decks || {}).map(([v, cards]) => h('option', { value: v, text: presetLabel(v, cards) })),
      h('option', { value: 'custom', text: 'Custom cards…' }));
    if (keep && [...deck.options].some((o) => o.value === keep)) deck.value = keep;
  }
  fillPresets(null);
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
  let decks = null;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!room) return;
    const patch = {};
    const badName = textProblem('The room name', name.value, { min: 0, max: 64 });
    if (badName) { toast(badName, 'error'); name.focus(); return; }
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
    decks = s.decks;
    fillPresets(decks);
    const deckName = st.deckName && decks && decks[st.deckName] ? st.deckName : 'custom';
    const on = [st.autoReveal && 'auto-reveal', st.hostOnly && 'host-only', st.anonymous && 'anonymous'].filter(Boolean);
    summary.textContent = `Deck: ${deckName === 'custom' ? room.deck.join(' ') : deckName}${on.length ? ' · ' + on.join(' · ') : ''}`;
    const can = allowed(s);
    form.hidden = !can.settings;
    if (!can.settings) return;
    setIfIdle(name, room.name || '');
    setIfIdle(deck, deckName);
    setIfIdle(custom, room.deck.join(', '));
    setIfIdle(autoReveal.input, st.autoReveal);
    setIfIdle(hostOnly.input, st.hostOnly);
    setIfIdle(anonymous.input, st.anonymous);
    customField.hidden = deck.value !== 'custom';
    save.disabled = !can.live;
  };
}
