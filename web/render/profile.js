// render/profile.js: the own seat (rename, voter/observer) and the room link to share.
import { h, field, setIfIdle, markDirtyOnInput, clearDirty } from '../dom.js';
import { findMe, isVoter } from '../store.js';
import { allowed } from '../rules.js';
import { nameProblem } from '../names.js';

export function mountProfile(section, actions, toast) {
  const link = h('input', { type: 'text', readonly: true, value: location.origin + location.pathname });
  const copy = h('button', {
    type: 'button', class: 'secondary', text: 'Copy link',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(link.value);
        toast('Room link copied.', 'info');
      } catch {
        link.focus();
        link.select();
        toast('Select the link and copy it.', 'info');
      }
    },
  });
  const name = h('input', { type: 'text', maxlength: 64, autocomplete: 'nickname' });
  markDirtyOnInput(name);
  const rename = h('button', { type: 'submit', class: 'secondary', text: 'Rename' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  name.addEventListener('input', () => { problem.textContent = ''; });
  const renameForm = h('form', { class: 'inline-form', novalidate: true }, field('Your name', name), rename);
  renameForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const bad = nameProblem(name.value);
    if (bad) { problem.textContent = bad; name.focus(); return; }
    problem.textContent = '';
    actions.rename(name.value.trim()).then(() => clearDirty(name)).catch(() => {});
  });
  const roleBtn = h('button', { type: 'button', class: 'secondary' });
  let meRole = 'voter';
  roleBtn.addEventListener('click', () => actions.role(meRole === 'observer' ? 'voter' : 'observer').catch(() => {}));
  section.append(h('div', { class: 'panel-head' }, h('h2', { text: 'You & the room' })),
    h('div', { class: 'inline-form' }, field('Room link', link), copy), renameForm, problem, h('div', { class: 'row' }, roleBtn));

  return function update(s) {
    const me = findMe(s);
    if (!me) return;
    meRole = isVoter(me) ? 'voter' : 'observer';
    setIfIdle(name, me.name);
    roleBtn.textContent = meRole === 'observer' ? 'Switch to voter' : 'Switch to observer';
    const can = allowed(s);
    roleBtn.disabled = !can.live;
    rename.disabled = !can.live;
  };
}
