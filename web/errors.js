// errors.js: server error codes as short sentences for people.

const TEXT = {
  bad_json: 'The server could not read a message.',
  bad_message: 'The server refused a malformed request.',
  unknown_type: 'The server does not know that request.',
  not_joined: 'Not in the room yet; joining again.',
  already_joined: 'Already joined.',
  invalid_card: 'That card is not in the deck.',
  invalid_name: 'That name is not allowed (1 to 64 characters, no control characters).',
  invalid_room: 'That room name is not allowed (letters, digits, - and _, up to 64).',
  forbidden: 'Only the facilitator may do that here.',
  wrong_stage: 'Not possible at this stage of the round.',
  room_full: 'This room is full.',
  rate_limited: 'Too many requests; slow down a little.',
  bad_resume: 'Your old seat is no longer valid.',
  unavailable: 'The server\'s storage is unavailable; nothing was changed. Try again.',
  internal: 'The server hit an internal error.',
  offline: 'Not connected to the server right now.',
  disconnected: 'The connection dropped before the server answered.',
  timeout: 'The server did not answer in time.',
};

export function errorText(err) {
  const code = err?.code;
  const known = TEXT[code];
  const detail = err?.message && err.message !== code ? err.message : '';
  if (known && detail && code === 'bad_message') return `${known} (${detail})`;
  return known || detail || 'Something went wrong.';
}
