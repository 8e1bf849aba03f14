// dom.js: build DOM nodes safely. Every string becomes a text node (never HTML),
// so names and story titles show literally whatever they contain.

const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'htmlFor', 'open']);

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (PROPS.has(k)) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

// Replace a container's children, keeping keyboard focus on the element with the
// same data-fk (focus key) if one had focus before.
export function replaceKeepingFocus(container, children) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.fk : undefined;
  container.replaceChildren(...children);
  if (key) {
    const again = [...container.querySelectorAll('[data-fk]')].find((e) => e.dataset.fk === key);
    if (again) again.focus();
  }
}

// Set a field's value only when the user is not editing it.
export function setIfIdle(input, value) {
  if (document.activeElement === input || input.dataset.dirty === '1') return;
  if (input.type === 'checkbox') input.checked = !!value;
  else input.value = value ?? '';
}

export function markDirtyOnInput(...inputs) {
  for (const i of inputs) i.addEventListener('input', () => { i.dataset.dirty = '1'; });
}

export function clearDirty(...inputs) {
  for (const i of inputs) delete i.dataset.dirty;
}

let uid = 0;
export const nextId = (prefix) => `${prefix}-${++uid}`;

// A labelled form field: <label for=id>text</label><input id=id ...>
export function field(labelText, input, hint) {
  if (!input.id) input.id = nextId('f');
  return h('div', { class: 'field' },
    h('label', { htmlFor: input.id, text: labelText }),
    input,
    hint ? h('small', { class: 'hint', text: hint }) : null);
}

export function checkbox(labelText, props) {
  const input = h('input', { type: 'checkbox', ...props });
  return { input, el: h('label', { class: 'check' }, input, h('span', { text: labelText })) };
}

// Count Unicode code points, as the server does.
export const codePoints = (s) => [...s].length;
export const clipCodePoints = (s, n) => [...s].slice(0, n).join('');
