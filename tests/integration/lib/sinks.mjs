// Helpers for the sink suites (sinks_*.test.mjs): a server wired to the Notion double or to a
// webhook receiver, finalizing stories, waiting for a condition.
import http from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { startServer, sleep } from './server.mjs';
import { joined } from './client.mjs';

export const NOTION_TOKEN = 'secret_it_notion_token_4f9c1e0b7a2d';
export const WEBHOOK_SECRET = 'it-webhook-signing-secret-8e1d77';
export const ADMIN_TOKEN = 'it-admin-token-0b3f9a';

/** Fast delivery settings for tests: short backoff, a high rate. */
export const FAST_DELIVERY = { requestsPerSecond: 50, initialBackoffMs: 100, maxBackoffMs: 800, maxAttempts: 12 };

/** A sink-notion entry for the config, pointed at the double. */
export function notionSink(double, options = {}, { dataSource = false, name = 'notion' } = {}) {
  const target = dataSource ? { dataSourceId: double.dataSourceId } : { databaseId: double.databaseId };
  return { name, plugin: 'sink-notion', options: { baseUrl: double.url, requestsPerSecond: 100, timeoutSeconds: 2, ...target, ...options } };
}

/** Start fire-poker with the given sinks; secrets (Notion token, webhook secret, admin token) in env. */
export function startWithSinks(sinks, { delivery = FAST_DELIVERY, env = {}, config = {}, dir } = {}) {
  // These suites finalize hundreds of stories from one connection: lift the per-connection
  // message rate (an environment override is ignored by a server without that setting).
  const secrets = { FP_ADMIN_TOKEN: ADMIN_TOKEN, FP_SERVER_MESSAGESPERSECOND: '10000', FP_SERVER_MESSAGEBURST: '10000' };
  sinks.forEach((s, i) => {
    if (s.plugin === 'sink-notion') secrets[`FP_SINKS_${i}_OPTIONS_TOKEN`] = NOTION_TOKEN;
    if (s.plugin === 'sink-webhook') secrets[`FP_SINKS_${i}_OPTIONS_SECRET`] = WEBHOOK_SECRET;
  });
  return startServer({ config: { sinks, delivery, ...config }, env: { ...secrets, ...env }, dir });
}

/** Poll `check` (sync or async) until it returns a truthy value; throws with `what` on timeout. */
export async function waitFor(check, { timeoutMs = 15000, intervalMs = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** Join `room` and finalize one story per title; returns the result ids, in order. */
export async function finalizeStories(server, room, titles, { estimate = '5', name = 'Facilitator' } = {}) {
  const c = await joined(server.wsUrl, room, name);
  const ids = [];
  try {
    for (const title of titles) {
      await c.ok({ type: 'story', title, ref: 'FP-1', url: 'https://tracker.example/FP-1' });
      await c.ok({ type: 'vote', card: estimate });
      await c.ok({ type: 'reveal' });
      await c.ok({ type: 'finalize', estimate });
      const state = await c.nextState('finalize', undefined, 5000);
      ids.push(state.room.history[0].resultId);
    }
  } finally {
    await c.close();
  }
  return ids;
}

export async function readyz(server) {
  return server.http('/readyz');
}

export async function metric(server, line) {
  const r = await server.http('/metrics');
  const found = r.text.split('\n').find((l) => l.startsWith(line));
  return found === undefined ? undefined : Number(found.slice(found.lastIndexOf(' ') + 1));
}

export function admin(server, path, method = 'GET') {
  return server.http(path, { method, headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
}

/** The signature the webhook sink sends (docs/webhook.md). */
export function expectedSignature(secret, timestamp, resultId, body) {
  return `sha256=${createHmac('sha256', secret).update(`v1:${timestamp}:${resultId}:${body}`).digest('hex')}`;
}

/**
 * A webhook receiver as a team would write one: verifies the signature, dedupes by result id.
 * `faults`: answers to give first ({status, retryAfter} or {reset: true}), one per request.
 */
export async function startWebhookReceiver(secret = WEBHOOK_SECRET) {
  // received: resultId -> the result, stored once; duplicates: deliveries of a known id.
  const receiver = { requests: [], received: new Map(), duplicates: new Map(), badSignatures: 0, faults: [] };
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const entry = { headers: req.headers, body, at: Date.now() };
    receiver.requests.push(entry);
    const fault = receiver.faults.shift();
    if (fault?.reset) { req.socket.destroy(); return; }
    const ts = req.headers['x-firepoker-timestamp'];
    const id = req.headers['x-firepoker-result-id'];
    const sig = Buffer.from(String(req.headers['x-firepoker-signature'] || ''));
    const want = Buffer.from(expectedSignature(secret, ts, id, body));
    if (sig.length !== want.length || !timingSafeEqual(sig, want) || JSON.parse(body).resultId !== id) {
      receiver.badSignatures += 1;
      res.writeHead(401).end('bad signature');
      return;
    }
    // Store first, then answer: a fault after storing is the receiver-side "unknown outcome".
    if (receiver.received.has(id)) receiver.duplicates.set(id, (receiver.duplicates.get(id) || 0) + 1);
    else receiver.received.set(id, JSON.parse(body));
    if (fault?.status) {
      res.writeHead(fault.status, fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {}).end('fault');
      return;
    }
    res.writeHead(204).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  receiver.url = `http://127.0.0.1:${server.address().port}/hook`;
  receiver.close = () => new Promise((r) => { server.close(() => r()); server.closeAllConnections?.(); });
  return receiver;
}
