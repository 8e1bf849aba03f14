// The WebSocket checks of scripts/image-test.sh, against servers running in containers (real
// sockets, the protocol client of the integration tests). Prints one line per check; exits 1 on
// the first failure, with what was expected and the last messages received.
//
//   node ws-check.mjs join URL ROOM            a join is answered by `welcome` (and its ack)
//   node ws-check.mjs across URL_A URL_B ROOM  a participant joined on A is seen from B, and one
//                                              joined on B is seen from A (storage + bus shared)
import { Client } from '../../tests/integration/lib/client.mjs';

const TIMEOUT_MS = 5000;
const [mode, ...args] = process.argv.slice(2);

function ok(what) { console.log(`  ok   ${what}`); }

const participants = (room) => (room && room.participants) || [];
const has = (room, id) => participants(room).some((p) => p.id === id);

async function join(url, room, name) {
  const client = await Client.connect(url, { timeoutMs: TIMEOUT_MS, label: `${name}@${url}` });
  const { welcome } = await client.join(room, name, {}, TIMEOUT_MS);
  if (!welcome.participantId || !welcome.room || welcome.room.id !== room) {
    throw new Error(`${name}: welcome without participantId or for another room: ${JSON.stringify(welcome).slice(0, 300)}`);
  }
  return { client, welcome };
}

async function main() {
  if (mode === 'join' && args.length === 2) {
    const [url, room] = args;
    const { client, welcome } = await join(url, room, 'Smoke');
    ok(`join ${room} on ${url} is answered by welcome (participant ${welcome.participantId}, room version ${welcome.room.version})`);
    client.ws.close();
    return;
  }
  if (mode === 'across' && args.length === 3) {
    const [urlA, urlB, room] = args;
    const a = await join(urlA, room, 'Aiko');
    const b = await join(urlB, room, 'Ben');
    if (!has(b.welcome.room, a.welcome.participantId)) {
      throw new Error(`Ben's welcome on ${urlB} does not list Aiko (joined on ${urlA}): ${JSON.stringify(b.welcome.room).slice(0, 400)}`);
    }
    ok(`Aiko joined on ${urlA}; Ben's welcome on ${urlB} lists her (shared storage)`);
    await a.client.nextRoom((r) => has(r, b.welcome.participantId), TIMEOUT_MS,
      `a state on ${urlA} listing Ben (joined on ${urlB})`);
    ok(`Aiko on ${urlA} gets a state listing Ben, who joined on ${urlB} (bus)`);
    await a.client.ok({ type: 'story', title: 'Image test story', ref: 'FP-14' }, TIMEOUT_MS);
    await b.client.ok({ type: 'vote', card: '5' }, TIMEOUT_MS);
    await a.client.nextRoom((r) => participants(r).some((p) => p.id === b.welcome.participantId && p.voted && p.card === null), TIMEOUT_MS,
      `a state on ${urlA} showing Ben's vote`);
    ok(`Aiko sets a story on ${urlA}, Ben votes on ${urlB}; Aiko sees his vote (hidden: voted, no card)`);
    a.client.ws.close();
    b.client.ws.close();
    return;
  }
  throw new Error('usage: ws-check.mjs join URL ROOM | across URL_A URL_B ROOM');
}

main().then(() => process.exit(0), (e) => {
  console.log(`  FAIL ${e.message}`);
  process.exit(1);
});
