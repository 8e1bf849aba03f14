// Drives one room of a running Fire Poker server to a final estimate, the way a person does in
// the web client: join, set a story, vote, reveal, finalize. Prints the result id, which every
// sink then receives. For trying a sink (or a storage) without clicking through a browser.
//
//   node finalize-story.mjs [ws://127.0.0.1:8080/ws] [room] [story title] [estimate]
//
// Uses the WebSocket built into Node 22 (Node 20: node --experimental-websocket), else the `ws`
// package from the current folder or NODE_PATH (Debian 12's Node 18: npm install ws). The
// messages are those of docs/protocol.md: one JSON object a frame; a message with a "rid" is
// answered by one "ack" or "error" with it.
import { createRequire } from 'node:module';

const [url = 'ws://127.0.0.1:8080/ws', room = 'try-a-plugin', title = 'A story to estimate',
  estimate = '5'] = process.argv.slice(2);
function webSocketClass() {
  if (globalThis.WebSocket) return globalThis.WebSocket;
  try {
    return createRequire(`${process.cwd()}/`)('ws');
  } catch {
    console.error('finalize-story: no WebSocket here: use Node 22, node --experimental-websocket '
      + '(Node 20), or run `npm install ws` in the current folder');
    process.exit(2);
  }
}
const WebSocketClass = webSocketClass();

const socket = new WebSocketClass(url);
const waiting = new Map(); // rid -> { resolve, reject }
const states = [];
let nextRid = 1;

socket.onmessage = (event) => {
  const message = JSON.parse(String(event.data));
  if (message.type === 'welcome' || message.type === 'state') states.push(message);
  const pending = waiting.get(message.rid);
  if (!pending) return;
  waiting.delete(message.rid);
  if (message.type === 'error') pending.reject(new Error(`${message.code}: ${message.message}`));
  else pending.resolve(message);
};

/** Sends a message with a fresh rid; resolves with its ack (or welcome), rejects on error. */
function request(message) {
  const rid = nextRid++;
  return new Promise((resolve, reject) => {
    waiting.set(rid, { resolve, reject });
    socket.send(JSON.stringify({ ...message, rid }));
  });
}

try {
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error(`cannot connect to ${url}`));
  });
  await request({ type: 'join', room, name: 'finalize-story.mjs' });
  await request({ type: 'story', title });
  await request({ type: 'vote', card: estimate });
  await request({ type: 'reveal' });
  await request({ type: 'finalize', estimate });
  // The state caused by the finalize carries the new result first in the room's history.
  const deadline = Date.now() + 5000;
  let finalized;
  while (!finalized && Date.now() < deadline) {
    finalized = states.find((s) => s.cause?.type === 'finalize');
    if (!finalized) await new Promise((r) => setTimeout(r, 20));
  }
  if (!finalized) throw new Error('no state after the finalize within 5 s');
  console.log(finalized.room.history[0].resultId);
  socket.close();
} catch (error) {
  console.error(`finalize-story: ${error.message}`);
  socket.close();
  process.exit(1);
}
