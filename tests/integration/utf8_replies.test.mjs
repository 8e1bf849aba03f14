// Issue 17: every text frame the server sends is valid UTF-8 and one JSON object, whatever the
// client sent. 500 malformed messages built from JSON punctuation, letters, digits, é ß € 😀,
// NUL and tab, cut at random places, plus escaped lone surrogates, through a real WebSocket
// client that validates UTF-8 itself (`ws` fails the connection with 1007 on a bad frame), and
// every frame's bytes checked again here with a fatal UTF-8 decoder.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startServer, testWithLogs } from './lib/server.mjs';
import { uniqueRoom } from './lib/client.mjs';

let srv;
const test = testWithLogs(() => srv);

before(async () => {
  // A client this test floods on purpose: lift the message rate.
  srv = await startServer({ config: { server: { messagesPerSecond: 10000, messageBurst: 10000 } } });
});
after(async () => { await srv?.stop(); });

// A small deterministic generator (mulberry32), so a failure names a reproducible seed.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['{', '}', '[', ']', '"', ':', ',', '\\', ' ', 'a', 'b', 'c', 'x', 'y', 'z', '0', '1', '9',
  'é', 'ß', '€', '😀', '\u0000', '\t', '"type"', '"vote"', '"card"', '\\ud800', '\\udc00', '\\u00e9'];

function malformed(next) {
  let text = '';
  const length = 1 + Math.floor(next() * 40);
  for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
  if (next() < 0.5) text = `{"type":"${text}"}`;  // a type that is itself odd
  if (next() < 0.5) text = text.slice(0, Math.floor(next() * text.length) + 1);  // cut anywhere
  return text;
}

test('500 malformed messages: every reply is valid UTF-8 JSON and the connection stays open', { timeout: 60000 }, async () => {
  const seed = Number(process.env.FP_UTF8_SEED || 20261207);
  const next = random(seed);
  const ws = new WebSocket(srv.wsUrl, { perMessageDeflate: false });  // validates UTF-8 itself
  const replies = [];
  const bad = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let closed = null;
  ws.on('close', (code, reason) => { closed = { code, reason: reason.toString() }; });
  ws.on('message', (data, isBinary) => {
    try {
      const message = JSON.parse(decoder.decode(data));
      assert.equal(isBinary, false);
      assert.equal(typeof message.type, 'string');
      replies.push(message);
    } catch (e) {
      bad.push(`${e.message}: ${data.toString('hex').slice(0, 200)}`);
    }
  });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  // Joined, so room commands get as far as the rules too.
  ws.send(JSON.stringify({ type: 'join', room: uniqueRoom('utf8'), name: 'Zoë 😀', rid: 'join' }));
  const sent = [];
  for (let i = 0; i < 500; i++) {
    const text = malformed(next);
    sent.push(text);
    ws.send(text);
  }
  // Then a ping: its pong comes after every answer to what came before.
  ws.send(JSON.stringify({ type: 'ping', rid: 'last' }));
  const deadline = Date.now() + 20000;
  while (!replies.some((m) => m.type === 'pong' && m.rid === 'last') && closed === null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(closed, null, `the connection was closed: ${JSON.stringify(closed)} (seed ${seed})`);
  assert.deepEqual(bad, [], `frames that are not UTF-8 JSON (seed ${seed})`);
  assert.ok(replies.some((m) => m.type === 'pong' && m.rid === 'last'), 'no pong after the 500 messages');
  const errors = replies.filter((m) => m.type === 'error');
  assert.ok(errors.length >= 400, `only ${errors.length} errors for 500 malformed messages`);
  // The messages quote client text by whole code points, or escape a byte as the text \xNN.
  for (const e of errors) assert.equal(typeof e.message, 'string');
  ws.close();
});

test('the bytes a JSON parser stops at are quoted as \\xNN, not as half a character', async () => {
  const ws = new WebSocket(srv.wsUrl, { perMessageDeflate: false });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const answers = [];
  ws.on('message', (data) => answers.push(JSON.parse(data.toString('utf8'))));
  for (const text of ['{"type":é}', '{"type":"vote","card":"5"€', '{"type":"\\ud800x"}', '😀']) ws.send(text);
  const deadline = Date.now() + 5000;
  while (answers.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(answers.length, 4, JSON.stringify(answers));
  for (const a of answers) assert.equal(a.type, 'error');
  assert.deepEqual(answers.map((a) => a.code), ['bad_json', 'bad_json', 'bad_json', 'bad_json']);
  // The parser stops at the first byte of é (C3 A9) and of 😀 (F0 9F 98 80): that byte alone
  // would not be UTF-8, so it is quoted as the text \xC3 and \xF0.
  assert.match(answers[0].message, /unexpected byte '\\xC3'/, answers[0].message);
  assert.match(answers[3].message, /unexpected byte '\\xF0'/, answers[3].message);
  assert.match(answers[2].message, /surrogate/, answers[2].message);
  ws.close();
});
