// rules.js: what the server would accept from this participant right now, so the page
// offers only that. Mirrors core/src/room/room_rules*.cpp (who may do what in which stage):
//   vote, unvote        a participant who votes (not an observer), stage voting
//   reveal              a controller, stage voting
//   reset, story, queue a controller, any stage (the queue holds at most 500 stories)
//   finalize            a controller, stage revealed, with a current story (or a title for
//                       the round when there is none: `finalize` with `story`)
//   timer               a controller; stopping needs a running timer
//   settings, handover, kick  the facilitator; never handing over to or removing oneself
//   rename, role        anyone in the room
// Controllers are everyone unless hostOnly is on, then only the facilitator. While the
// connection is down or the join unanswered nothing can be sent (`live`). Pure: plain
// functions of the store's state, no DOM.
import { findMe, isLive, isVoter } from './store.js';

export const MAX_QUEUE = 500;
export const MAX_QUEUE_ADD = 100;
export const MAX_TITLE = 256;
export const MAX_REF = 64;
export const MAX_URL = 512;
export const MAX_ESTIMATE = 16;
export const MAX_NAME = 64;

// What the server accepts from this participant in the room as the client last saw it, as
// booleans (the page hides what is false). `live`: requests can go out now (the page
// disables, rather than hides, while it is false). `finalizeNeedsTitle`: there is no current
// story, so finalizing also names the round.
export function allowed(s) {
  const room = s.room;
  const me = room ? findMe(s) : null;
  const facilitator = !!me && me.role === 'facilitator';
  const controller = !!me && (!room.settings?.hostOnly || facilitator);
  const voting = room?.stage === 'voting';
  const revealed = room?.stage === 'revealed';
  const votes = !!me && isVoter(me);
  return {
    live: isLive(s) && !!me,
    vote: votes && voting,
    unvote: votes && voting && !!me.voted,
    reveal: controller && voting,
    reset: controller,
    story: controller,
    queueAdd: controller && (room.queue || []).length < MAX_QUEUE,
    queueRemove: controller,
    finalize: controller && revealed && !!room.result,
    finalizeNeedsTitle: !!room && !room.story,
    timerStart: controller,
    timerStop: controller && !!room.timer,
    settings: facilitator,
    rename: !!me,
    role: !!me,
    handover: (p) => facilitator && !!p && p.id !== me.id,
    kick: (p) => facilitator && !!p && p.id !== me.id,
  };
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const SPACE = /^[\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

// Trimmed as the server trims (Unicode white space).
export const trimText = (v) => String(v ?? '').replace(SPACE, '');
const length = (v) => [...v].length;

// The server's text check: '' when fine, else a sentence naming the field.
export function textProblem(label, value, { min = 1, max }) {
  const v = trimText(value);
  if (CONTROL.test(v)) return `${label} cannot contain control characters.`;
  if (length(v) < min) return `${label} cannot be empty.`;
  if (length(v) > max) return `${label} has at most ${max} characters (this one has ${length(v)}).`;
  return '';
}

export function urlProblem(value) {
  const v = trimText(value);
  if (!v) return '';
  const basic = textProblem('The link', v, { min: 0, max: MAX_URL });
  if (basic) return basic;
  const m = /^https?:\/\//i.exec(v);
  if (!m) return 'The link must start with http:// or https://.';
  if (v.length === m[0].length || v[m[0].length] === '/') return 'The link has no host.';
  if (/[\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(v)) return 'The link cannot contain spaces.';
  return '';
}

// {title, ref?, url?} as the server checks a story: '' when fine.
export function storyProblem(story) {
  return textProblem('The title', story?.title, { max: MAX_TITLE })
    || textProblem('The ref', story?.ref, { min: 0, max: MAX_REF })
    || urlProblem(story?.url);
}

// An estimate is a card of the deck or a text of 1..16 characters.
export function estimateProblem(value, deck = []) {
  if (deck.includes(value)) return '';
  return textProblem('The estimate', value, { max: MAX_ESTIMATE });
}

// How many more stories the queue takes ('' when all fit).
export function queueProblem(count, queueLength) {
  const room = MAX_QUEUE - queueLength;
  if (count <= room) return '';
  return room <= 0 ? `The queue is full (${MAX_QUEUE} stories).`
    : `The queue takes ${room} more stor${room === 1 ? 'y' : 'ies'}; ${count} were given.`;
}

// The title offered when a round without a story is finalized: "Story N", N one more than
// the highest such number (or the number of results) in the history.
export function suggestedTitle(history = []) {
  let n = history.length;
  for (const r of history) {
    const m = /^Story (\d+)$/.exec(r.story?.title || '');
    if (m) n = Math.max(n, Number(m[1]));
  }
  return `Story ${n + 1}`;
}
