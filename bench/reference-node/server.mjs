// The benchmark's reference: the core of PROTOCOL.md (join, vote, unvote, reveal, reset,
// ping, the state broadcast) written the way a Node.js team would, with the `ws` package and
// rooms in memory. The same load generator drives it and the C++ server unchanged, so the
// table in docs/performance.md can show ratios measured together on one machine.
//
// usage: node server.mjs --port 9000   (prints "listening PORT" when ready)
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { WebSocketServer } from 'ws';

const DECK = ['0', '1', '2', '3', '5', '8', '13', '21', '34', '55', '89', '?', 'coffee'];
const MAX_PAYLOAD = 16 * 1024;
const MAX_PARTICIPANTS = 100;

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;

const rooms = new Map(); // id -> { state fields, participants: Map, sockets: Set }

function newRoom(id) {
  return {
    id, name: id, version: 0, stage: 'voting', round: 1, facilitator: null,
    participants: new Map(), sockets: new Set(),
  };
}

function publicState(room) {
  const revealed = room.stage === 'revealed';
  const participants = [];
  const cards = [];
  for (const p of room.participants.values()) {
    if (p.card !== null) cards.push(p.card);
    participants.push({
      id: p.id, name: p.name, role: p.id === room.facilitator ? 'facilitator' : p.role,
      online: p.connections > 0, voted: p.card !== null, card: revealed ? p.card : null,
      voter: p.role !== 'observer',
    });
  }
  return {
    id: room.id, name: room.name, version: room.version, stage: room.stage, deck: DECK,
    settings: { autoReveal: false, hostOnly: false, deckName: 'fibonacci', anonymous: false },
    story: null, round: room.round, earlierRounds: [], queue: [], participants,
    result: revealed ? stats(cards) : null, timer: null, history: [],
  };
}

function stats(cards) {
  const distribution = {};
  for (const c of cards) distribution[c] = (distribution[c] || 0) + 1;
  const numeric = cards.filter((c) => c !== '?' && c !== 'coffee').map(Number).sort((a, b) => a - b);
  const average = numeric.length ? numeric.reduce((a, b) => a + b, 0) / numeric.length : null;
  const mid = numeric.length >> 1;
  const median = numeric.length ? (numeric.length % 2 ? numeric[mid] : (numeric[mid - 1] + numeric[mid]) / 2) : null;
  const counts = Object.values(distribution);
  const most = counts.length ? Math.max(...counts) : 0;
  return {
    average, median, min: numeric.length ? String(numeric[0]) : null,
    max: numeric.length ? String(numeric[numeric.length - 1]) : null, distribution,
    consensus: counts.length === 1, agreement: cards.length ? most / cards.length : 0, votes: cards.length,
  };
}

// Sent as a text frame, uncompressed: the options object is made once, not per socket.
const TEXT_FRAME = { binary: false, compress: false, fin: true };

function broadcast(room, type, by) {
  room.version += 1;
  // Serialized and UTF-8 encoded once into one Buffer; the same Buffer goes to every socket
  // (ws writes its small frame header and this Buffer with one writev, no copy, no per-socket
  // string conversion). This is what a Node engineer who cares about fan-out writes.
  const bytes = Buffer.from(JSON.stringify({
    type: 'state', cause: { type, by }, serverTime: new Date().toISOString(), room: publicState(room),
  }));
  for (const socket of room.sockets) socket.send(bytes, TEXT_FRAME);
}

function reply(socket, message, rid) {
  if (rid !== undefined) message.rid = rid;
  socket.send(JSON.stringify(message));
}

function fail(socket, code, message, rid) {
  reply(socket, { type: 'error', code, message }, rid);
}

function handle(socket, session, text) {
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    return fail(socket, 'bad_json', 'not JSON');
  }
  if (typeof message !== 'object' || message === null || typeof message.type !== 'string') {
    return fail(socket, 'bad_message', 'missing type');
  }
  const { rid } = message;
  if (message.type === 'ping') return reply(socket, { type: 'pong' }, rid);
  if (message.type === 'join') {
    if (session.room) return fail(socket, 'already_joined', 'joined already', rid);
    if (typeof message.room !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(message.room)) {
      return fail(socket, 'invalid_room', 'bad room id', rid);
    }
    const name = typeof message.name === 'string' ? message.name.trim() : '';
    if (name.length < 1 || name.length > 64) return fail(socket, 'invalid_name', 'bad name', rid);
    let room = rooms.get(message.room);
    if (!room) rooms.set(message.room, (room = newRoom(message.room)));
    let participant = room.participants.get(message.participantId);
    if (participant && participant.resumeToken !== message.resumeToken) {
      return fail(socket, 'bad_resume', 'cannot resume', rid);
    }
    if (!participant) {
      if (room.participants.size >= MAX_PARTICIPANTS) return fail(socket, 'room_full', 'full', rid);
      participant = {
        id: `p_${randomBytes(4).toString('hex')}`, name, role: message.role === 'observer' ? 'observer' : 'voter',
        card: null, connections: 0, resumeToken: randomBytes(16).toString('hex'),
      };
      room.participants.set(participant.id, participant);
      if (!room.facilitator) room.facilitator = participant.id;
    }
    participant.connections += 1;
    session.room = room;
    session.participant = participant;
    room.sockets.add(socket);
    broadcast(room, 'join', participant.id);
    reply(socket, {
      type: 'welcome', participantId: participant.id, resumeToken: participant.resumeToken,
      you: { role: participant.role, card: participant.card }, room: publicState(room),
      serverTime: new Date().toISOString(),
    });
    if (rid !== undefined) reply(socket, { type: 'ack' }, rid);
    return undefined;
  }
  const { room, participant } = session;
  if (!room) return fail(socket, 'not_joined', 'join first', rid);
  switch (message.type) {
    case 'vote':
      if (!DECK.includes(message.card)) return fail(socket, 'invalid_card', 'not in the deck', rid);
      if (room.stage !== 'voting') return fail(socket, 'wrong_stage', 'revealed', rid);
      if (participant.card === message.card) break;
      participant.card = message.card;
      broadcast(room, 'vote', participant.id);
      break;
    case 'unvote':
      if (room.stage !== 'voting') return fail(socket, 'wrong_stage', 'revealed', rid);
      if (participant.card === null) break;
      participant.card = null;
      broadcast(room, 'unvote', participant.id);
      break;
    case 'reveal':
      if (room.stage !== 'voting') return fail(socket, 'wrong_stage', 'revealed', rid);
      room.stage = 'revealed';
      broadcast(room, 'reveal', participant.id);
      break;
    case 'reset':
      for (const p of room.participants.values()) p.card = null;
      room.stage = 'voting';
      room.round += 1;
      broadcast(room, 'reset', participant.id);
      break;
    default:
      return fail(socket, 'unknown_type', `unknown message type '${message.type}'`, rid);
  }
  if (rid !== undefined) reply(socket, { type: 'ack' }, rid);
  return undefined;
}

const server = http.createServer((request, response) => {
  response.writeHead(request.url === '/healthz' ? 200 : 404).end();
});
const wss = new WebSocketServer({
  server, path: '/ws', maxPayload: MAX_PAYLOAD, backlog: 4096, perMessageDeflate: false, clientTracking: true,
});
wss.on('connection', (socket) => {
  const session = { room: null, participant: null };
  socket.on('message', (data, isBinary) => {
    if (isBinary) return socket.close(1003, 'text frames only');
    return handle(socket, session, data.toString());
  });
  socket.on('close', () => {
    const { room, participant } = session;
    if (!room) return;
    room.sockets.delete(socket);
    participant.connections -= 1;
    if (participant.connections === 0) broadcast(room, 'presence', null);
  });
  socket.on('error', () => {});
});
// Pings every 30 s as the protocol asks.
setInterval(() => {
  for (const socket of wss.clients) socket.ping();
}, 30000).unref();
server.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => {
  console.log(`listening ${server.address().port}`);
});
