// names.js: room ids (from a typed room name, or generated) and name checks.

const ADJECTIVES = ['brave', 'calm', 'clever', 'eager', 'fuzzy', 'gentle', 'happy', 'jolly', 'lucky', 'mighty', 'nimble', 'quiet', 'rapid', 'sunny', 'swift', 'witty'];
const ANIMALS = ['badger', 'beaver', 'falcon', 'gecko', 'heron', 'koala', 'lynx', 'otter', 'panda', 'puffin', 'raven', 'salmon', 'tiger', 'walrus', 'wombat', 'yak'];

export const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;

function rnd(n) {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return a[0] % n;
}

export function generateRoomId() {
  return `${ADJECTIVES[rnd(ADJECTIVES.length)]}-${ANIMALS[rnd(ANIMALS.length)]}-${10 + rnd(90)}`;
}

export function roomIdFrom(text) {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').trim()
    .replace(/\s+/g, '-').replace(/[^A-Za-z0-9_-]/g, '').replace(/-{2,}/g, '-').slice(0, 64);
}

// Returns an error sentence, or '' when the display name is acceptable.
export function nameProblem(name) {
  const n = name.trim();
  if (!n) return 'Please enter your name.';
  if ([...n].length > 64) return 'A name has at most 64 characters.';
  if (/[\u0000-\u001f\u007f-\u009f]/.test(n)) return 'A name cannot contain control characters.';
  return '';
}
