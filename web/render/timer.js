// render/timer.js: the countdown, computed from the server's endsAt and the
// server clock (so every client shows the same time), and its controls.
import { h, field, checkbox } from '../dom.js';
import { serverNow } from '../clock.js';
import { allowed } from '../rules.js';

export function fmtClock(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const sec = total % 60;
  return `${m}:${String(sec).padStart(2, '0')}`;
}

export function mountTimer(section, actions) {
  const display = h('span', { class: 'timer-display', role: 'timer', 'aria-label': 'Time left' });
  const bar = h('span', { class: 'timer-bar' }, h('span', { class: 'timer-fill' }));
  const note = h('span', { class: 'muted small timer-note' });
  const secs = h('input', { type: 'number', min: 1, max: 3600, step: 1, value: '60', inputmode: 'numeric' });
  const auto = checkbox('Reveal when time is up', { checked: true });
  const start = h('button', { type: 'submit', class: 'secondary', text: 'Start timer' });
  const stop = h('button', { type: 'button', class: 'secondary', text: 'Stop timer', onclick: () => actions.timer(0, false).catch(() => {}) });
  const form = h('form', { class: 'timer-form' }, field('Seconds', secs), auto.el, h('div', { class: 'row' }, start, stop));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const n = Math.round(Number(secs.value));
    if (!(n >= 1 && n <= 3600)) { secs.focus(); return; }
    actions.timer(n, auto.input.checked).catch(() => {});
  });
  section.append(h('div', { class: 'timer-row' }, h('h2', { class: 'inline-h', text: 'Timer' }), display, bar, note), form);

  let timer = null;
  let tick = null;

  function paint() {
    if (!timer) {
      display.textContent = '–:––';
      bar.firstChild.style.width = '0%';
      section.dataset.state = 'idle';
      return;
    }
    const end = Date.parse(timer.endsAt);
    const left = end - serverNow();
    const full = (timer.seconds || 1) * 1000;
    display.textContent = fmtClock(left);
    bar.firstChild.style.width = `${Math.max(0, Math.min(100, (left / full) * 100))}%`;
    section.dataset.state = left <= 0 ? 'done' : left < 10000 ? 'ending' : 'running';
    note.textContent = left <= 0 ? 'Time is up' : timer.autoReveal ? 'reveals at zero' : '';
    if (left <= 0) { clearInterval(tick); tick = null; }
  }

  return function update(s) {
    const room = s.room;
    if (!room) return;
    const next = room.timer || null;
    if (JSON.stringify(next) !== JSON.stringify(timer)) {
      timer = next;
      clearInterval(tick);
      tick = timer ? setInterval(paint, 250) : null;
      if (!timer) note.textContent = '';
    }
    paint();
    const can = allowed(s);
    form.hidden = !can.timerStart;
    start.disabled = !can.live;
    stop.disabled = !can.live || !can.timerStop;
  };
}
