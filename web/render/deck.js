// render/deck.js: the cards to pick from. Each card is a real button named by its
// value, aria-pressed when chosen. Keys: arrows/Home/End move between cards, typing a
// card value (digits, ?, letters) picks it, Backspace/Delete withdraws the vote.
import { h } from '../dom.js';
import { canVote, selectedCard } from '../store.js';
import { allowed } from '../rules.js';
import { cardFace } from './cards.js';

const TYPE_DELAY_MS = 700;

export function mountDeck(section, actions) {
  const heading = h('h2', { id: 'deck-h', text: 'Your card' });
  const hint = h('p', { class: 'muted deck-hint' });
  const group = h('div', { class: 'deck', role: 'group', 'aria-labelledby': 'deck-h' });
  const withdraw = h('button', { type: 'button', class: 'secondary', text: 'Withdraw vote', onclick: () => actions.unvote() });
  const observerNote = h('p', { class: 'muted', hidden: true });
  const becomeVoter = h('button', { type: 'button', class: 'secondary', text: 'Become a voter', hidden: true, onclick: () => actions.role('voter').catch(() => {}) });
  section.append(h('div', { class: 'panel-head' }, heading, hint), group, h('div', { class: 'row' }, withdraw, observerNote, becomeVoter));

  let deckKey = '';
  let buttons = [];
  let current = null;
  let typed = '';
  let typeTimer = null;

  function pick(card) {
    const s = current;
    const can = s && allowed(s);
    if (!can || !can.vote || !can.live) return;
    if (selectedCard(s) === card) actions.unvote();
    else actions.vote(card);
  }

  function build(deck) {
    buttons = deck.map((card, i) => h('button', {
      type: 'button', class: 'card', 'aria-label': card, 'aria-pressed': 'false',
      tabindex: i === 0 ? '0' : '-1', dataset: { card },
      onclick: () => pick(card),
    }, cardFace(card)));
    group.replaceChildren(...buttons);
  }

  function focusCard(i) {
    if (!buttons.length) return;
    const n = (i + buttons.length) % buttons.length;
    buttons.forEach((b, j) => { b.tabIndex = j === n ? 0 : -1; });
    buttons[n].focus();
  }

  // Typing a value: commit at once unless a longer card starts with what was typed.
  function typeKey(key) {
    const deck = current?.room?.deck || [];
    typed += key.toLowerCase();
    clearTimeout(typeTimer);
    const exact = deck.find((c) => c.toLowerCase() === typed);
    const longer = deck.some((c) => c.toLowerCase().startsWith(typed) && c.toLowerCase() !== typed);
    const starts = deck.find((c) => c.toLowerCase().startsWith(typed));
    if (!starts) { typed = ''; return false; }
    const commit = () => {
      const card = deck.find((c) => c.toLowerCase() === typed) || (!exact && starts);
      typed = '';
      if (card) {
        focusCard(deck.indexOf(card));
        pick(card);
      }
    };
    if (exact && !longer) commit();
    else typeTimer = setTimeout(commit, TYPE_DELAY_MS);
    return true;
  }

  function onKey(ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const inDeck = group.contains(document.activeElement);
    const t = ev.target;
    const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
    if (typing) return;
    if (inDeck) {
      const i = buttons.indexOf(document.activeElement);
      const moves = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: buttons.length - 1 };
      if (ev.key in moves) { ev.preventDefault(); focusCard(moves[ev.key]); return; }
      if (ev.key === 'Backspace' || ev.key === 'Delete') {
        ev.preventDefault();
        const can = current && allowed(current);
        if (can && can.vote && can.live && selectedCard(current) != null) actions.unvote();
        return;
      }
    }
    // Card values are typed anywhere on the page except in form fields.
    const isButton = t && t.tagName === 'BUTTON' && !inDeck;
    if (ev.key.length === 1 && ev.key !== ' ' && !(isButton && ev.key === 'Enter')) {
      const can = current && allowed(current);
      if (can && can.vote && can.live && typeKey(ev.key)) ev.preventDefault();
    }
  }
  document.addEventListener('keydown', onKey);

  function update(s) {
    current = s;
    const room = s.room;
    if (!room) return;
    const key = room.deck.join('\u0000');
    if (key !== deckKey) { deckKey = key; build(room.deck); }
    const can = allowed(s);
    const voter = canVote(s); // a voter sees the deck (greyed out after reveal)
    const voting = room.stage === 'voting';
    const chosen = selectedCard(s);
    section.classList.toggle('observing', !voter);
    group.hidden = !voter;
    observerNote.hidden = voter;
    becomeVoter.hidden = voter;
    becomeVoter.disabled = !can.live;
    observerNote.textContent = voter ? '' : 'You are observing: you see the round but do not vote.';
    for (const b of buttons) {
      const on = b.dataset.card === chosen;
      b.setAttribute('aria-pressed', String(on));
      b.disabled = !can.vote || !can.live;
    }
    if (!group.contains(document.activeElement)) {
      const i = Math.max(0, room.deck.indexOf(chosen));
      buttons.forEach((b, j) => { b.tabIndex = j === i ? 0 : -1; });
    }
    withdraw.hidden = !voter;
    withdraw.disabled = !can.vote || chosen == null || !can.live;
    if (!voter) hint.textContent = '';
    else if (!voting) hint.textContent = 'Cards are revealed. Revote to play again.';
    else if (chosen != null) hint.textContent = `You picked ${chosen}. Pick again to change, or withdraw.`;
    else hint.textContent = 'Pick a card (click, or type its value).';
  }
  return update;
}
