// A local stand-in for Notion's REST API (the part in shared NOTION.md), for the tests: the
// endpoints, headers, validation, limits, pagination and error bodies of the real service,
// plus faults on demand. Plain node:http, no packages.
//
// In-process:   const notion = await startNotionDouble({ token });  notion.url  -> ".../v1"
//               notion.fault({ match: 'POST /v1/pages', status: 504, afterStore: true });
// Stand-alone:  node notion-double.mjs --port 8790 --token secret_x   (faults via
//               POST /__double/fault with the same JSON; GET /__double/pages; POST /__double/reset)
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { DEFAULT_PROPERTIES, describeProperties } from './schema.mjs';
import { LIMITS, ValidationError, toStored, emptyValue, plainText } from './values.mjs';

export const VERSIONS = ['2022-06-28', '2025-09-03'];
const DATA_SOURCES_FROM = '2025-09-03';

class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}
const err = (status, code, message) => new ApiError(status, code, message);

/** A token bucket: `perSecond` on average, `burst` at once. */
class Bucket {
  constructor({ perSecond, burst }) { this.rate = perSecond; this.burst = burst ?? perSecond; this.tokens = this.burst; this.last = Date.now(); }
  take() {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) { this.tokens -= 1; return 0; }
    return Math.ceil((1 - this.tokens) / this.rate);  // whole seconds, as Notion's Retry-After
  }
}

function matches(fault, method, path, body) {
  if (!fault.match) return true;
  if (typeof fault.match === 'function') return fault.match(method, path, body);
  if (fault.match instanceof RegExp) return fault.match.test(`${method} ${path}`);
  const [m, p] = fault.match.split(' ');
  return m === method && (p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : path === p);
}

export class NotionDouble {
  constructor({ token = 'secret_double_token', properties = DEFAULT_PROPERTIES, databaseId, dataSourceId,
    rateLimit = null, shortPages = true } = {}) {
    this.token = token;
    this.databaseId = databaseId || randomUUID();
    this.dataSourceId = dataSourceId || randomUUID();
    this.properties = describeProperties(properties);
    this.pages = new Map(); // id -> page (response form)
    this.requests = []; // {method, path, status, at, version}
    this.faults = [];
    this.bucket = rateLimit ? new Bucket(rateLimit) : null;
    this.shortPages = shortPages;
    this.sockets = new Set();
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
  }

  get url() { return `http://127.0.0.1:${this.port}/v1`; }

  listen(port = 0) {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => { this.port = this.server.address().port; resolve(this); });
    });
  }

  /** Stop answering (connections refused) until up(); pages are kept. */
  async down() {
    await new Promise((r) => { this.server.close(() => r()); for (const s of this.sockets) s.destroy(); });
  }

  async up() {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    await this.listen(this.port);
  }

  async close() {
    await new Promise((r) => { this.server.close(() => r()); for (const s of this.sockets) s.destroy(); });
  }

  /**
   * One-shot faults, consumed in order by the requests they match: {match ('POST /v1/pages',
   * 'GET /v1/databases/*', a RegExp or (method, path, body) => bool), times (1; Infinity for a
   * lasting fault, removed by clearFaults()), status (401, 429,
   * 500, 502, 504...), retryAfter (seconds, with 429/529), afterStore (answer the status, or
   * reset, only after the page was stored), html (an HTML body), reset (destroy the
   * connection), delayMs (answer late)}.
   */
  fault(spec) { this.faults.push({ times: 1, ...spec }); }

  clearFaults() { this.faults = []; }

  setRateLimit(limit) { this.bucket = limit ? new Bucket(limit) : null; }

  rows() { return [...this.pages.values()]; }

  /** Rows whose Result ID is `id`. */
  rowsFor(resultId, property = 'Result ID') {
    return this.rows().filter((p) => plainText('rich_text', p.properties[property]?.rich_text) === resultId);
  }

  /** resultId -> number of rows, over every row. */
  countsByResultId(property = 'Result ID') {
    const counts = new Map();
    for (const p of this.rows()) {
      const id = plainText('rich_text', p.properties[property]?.rich_text);
      counts.set(id, (counts.get(id) || 0) + 1);
    }
    return counts;
  }

  count(method, pathPrefix, status) {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix)
      && (status === undefined || r.status === status)).length;
  }

  takeFault(method, path, body) {
    const i = this.faults.findIndex((f) => matches(f, method, path, body));
    if (i < 0) return null;
    const f = this.faults[i];
    f.times -= 1;
    if (f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  async handle(req, res) {
    const url = new URL(req.url, 'http://double');
    const path = url.pathname;
    const log = { method: req.method, path, status: 0, at: Date.now(), version: req.headers['notion-version'] };
    this.requests.push(log);
    const send = (status, body, headers = {}) => {
      log.status = status;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/html' : 'application/json', ...headers });
      res.end(text);
    };
    const sendError = (e, headers) => send(e.status, { object: 'error', status: e.status, code: e.code, message: e.message, request_id: randomUUID() }, headers);

    let body = '';
    let tooLarge = false;
    for await (const chunk of req) {
      if (body.length + chunk.length > LIMITS.body) tooLarge = true;
      else body += chunk;
    }
    if (path.startsWith('/__double/')) return this.control(req.method, path, body, send);

    const fault = this.takeFault(req.method, path, body);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    const act = (f) => {
      if (f.reset) { log.status = 'reset'; req.socket.destroy(); return true; }
      if (f.status) {
        const headers = f.retryAfter !== undefined ? { 'Retry-After': String(f.retryAfter) } : {};
        if (f.html) { send(f.status, `<html><head><title>${f.status}</title></head><body><h1>${f.status} Bad Gateway</h1></body></html>`, headers); return true; }
        const codes = { 400: 'validation_error', 401: 'unauthorized', 403: 'restricted_resource', 404: 'object_not_found', 409: 'conflict_error', 429: 'rate_limited', 500: 'internal_server_error', 502: 'bad_gateway', 503: 'service_unavailable', 504: 'gateway_timeout', 529: 'service_overload' };
        sendError(err(f.status, codes[f.status] || 'internal_server_error', `fault injected by the test (${f.status})`), headers);
        return true;
      }
      return false;
    };
    if (fault && !fault.afterStore && act(fault)) return undefined;

    try {
      if (this.bucket) {
        const wait = this.bucket.take();
        if (wait > 0) throw Object.assign(err(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.'), { retryAfter: wait });
      }
      if (req.headers.authorization !== `Bearer ${this.token}`) throw err(401, 'unauthorized', 'API token is invalid.');
      const version = req.headers['notion-version'];
      if (!version) throw err(400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.');
      if (!VERSIONS.includes(version)) throw err(400, 'validation_error', `Notion-Version ${version} is not supported by the double.`);
      let json = null;
      if (req.method === 'POST' || req.method === 'PATCH') {
        if (!(req.headers['content-type'] || '').startsWith('application/json')) throw err(400, 'invalid_request', 'Content-Type must be application/json.');
        if (tooLarge) throw err(400, 'validation_error', `Request body too large: at most ${LIMITS.body} bytes.`);
        try { json = JSON.parse(body); } catch { throw err(400, 'invalid_json', 'Error parsing JSON body.'); }
        if (json === null || typeof json !== 'object' || Array.isArray(json)) throw err(400, 'invalid_json', 'The body must be a JSON object.');
      }
      const answer = this.route(req.method, path, json, version);
      if (fault?.afterStore && act(fault)) return undefined;
      return send(200, answer);
    } catch (e) {
      if (e instanceof ValidationError) return sendError(err(400, 'validation_error', e.message));
      if (e instanceof ApiError) return sendError(e, e.retryAfter ? { 'Retry-After': String(e.retryAfter) } : {});
      return sendError(err(500, 'internal_server_error', String(e && e.stack)));
    }
  }

  route(method, path, body, version) {
    const modern = version >= DATA_SOURCES_FROM;
    let m;
    if (method === 'POST' && path === '/v1/pages') return this.createPage(body, modern);
    if (method === 'PATCH' && (m = path.match(/^\/v1\/pages\/([^/]+)$/))) return this.updatePage(m[1], body);
    if (method === 'POST' && (m = path.match(/^\/v1\/databases\/([^/]+)\/query$/))) {
      if (modern) throw err(400, 'invalid_request_url', 'Database query is replaced by data source query from 2025-09-03.');
      if (m[1] !== this.databaseId) throw this.notFound(m[1], 'database');
      return this.query(body);
    }
    if (method === 'POST' && (m = path.match(/^\/v1\/data_sources\/([^/]+)\/query$/))) {
      if (!modern) throw err(400, 'invalid_request_url', 'Invalid request URL.');
      if (m[1] !== this.dataSourceId) throw this.notFound(m[1], 'data source');
      return this.query(body);
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/databases\/([^/]+)$/))) {
      if (m[1] !== this.databaseId) throw this.notFound(m[1], 'database');
      if (modern) return { object: 'database', id: this.databaseId, title: [], data_sources: [{ id: this.dataSourceId, name: 'Results' }] };
      return { object: 'database', id: this.databaseId, title: [], properties: this.properties };
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/data_sources\/([^/]+)$/))) {
      if (!modern) throw err(400, 'invalid_request_url', 'Invalid request URL.');
      if (m[1] !== this.dataSourceId) throw this.notFound(m[1], 'data source');
      return { object: 'data_source', id: this.dataSourceId, properties: this.properties };
    }
    throw err(400, 'invalid_request_url', 'Invalid request URL.');
  }

  notFound(id, what) {
    return err(404, 'object_not_found', `Could not find ${what} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);
  }

  storedProperties(given, base = {}) {
    if (given === null || typeof given !== 'object' || Array.isArray(given)) throw new ValidationError('body.properties should be an object');
    const out = { ...base };
    for (const [name, value] of Object.entries(given)) {
      const def = this.properties[name];
      if (!def) throw new ValidationError(`${name} is not a property that exists.`);
      out[name] = { id: def.id, type: def.type, [def.type]: toStored(name, def.type, value) };
    }
    return out;
  }

  createPage(body, modern) {
    const parent = body.parent || {};
    const key = modern ? 'data_source_id' : 'database_id';
    if (!parent[key]) throw new ValidationError(`body.parent.${key} should be defined (Notion-Version ${modern ? 'uses data sources' : 'uses databases'}).`);
    if (parent[key] !== (modern ? this.dataSourceId : this.databaseId)) throw this.notFound(parent[key], modern ? 'data source' : 'database');
    const empty = {};
    for (const [name, def] of Object.entries(this.properties)) empty[name] = { id: def.id, type: def.type, [def.type]: emptyValue(def.type) };
    const now = new Date().toISOString();
    const page = { object: 'page', id: randomUUID(), created_time: now, last_edited_time: now, archived: false,
      parent: modern ? { type: 'data_source_id', data_source_id: this.dataSourceId } : { type: 'database_id', database_id: this.databaseId },
      properties: this.storedProperties(body.properties || {}, empty) };
    this.pages.set(page.id, page);
    return page;
  }

  updatePage(id, body) {
    const page = this.pages.get(id);
    if (!page) throw this.notFound(id, 'page');
    page.properties = this.storedProperties(body.properties || {}, page.properties);
    page.last_edited_time = new Date().toISOString();
    return page;
  }

  filterRows(filter) {
    let rows = this.rows().filter((p) => !p.archived);
    if (filter === undefined) return rows;
    const def = filter && this.properties[filter.property];
    if (!def) throw new ValidationError(`Could not find property with name or id: ${filter && filter.property}`);
    const condition = filter[def.type];
    if (!condition || typeof condition.equals !== 'string' || !['rich_text', 'title', 'select'].includes(def.type)) {
      throw new ValidationError(`body.filter.${def.type}.equals should be defined (the double filters title, rich_text and select by equals).`);
    }
    rows = rows.filter((p) => plainText(def.type, p.properties[filter.property][def.type]) === condition.equals);
    return rows;
  }

  sortRows(rows, sorts) {
    if (sorts === undefined) return rows.sort((a, b) => (a.created_time < b.created_time ? 1 : -1));
    if (!Array.isArray(sorts)) throw new ValidationError('body.sorts should be an array');
    const keyOf = (p, s) => {
      if (s.timestamp) return p[s.timestamp];
      const v = p.properties[s.property];
      if (!v) throw new ValidationError(`Could not find sort property with name or id: ${s.property}`);
      return v.type === 'date' ? v.date?.start ?? '' : plainText(v.type, v[v.type]);
    };
    return rows.sort((a, b) => {
      for (const s of sorts) {
        const x = keyOf(a, s);
        const y = keyOf(b, s);
        if (x !== y) return (x < y ? -1 : 1) * (s.direction === 'descending' ? -1 : 1);
      }
      return 0;
    });
  }

  query(body) {
    const size = body.page_size ?? 100;
    if (!Number.isInteger(size) || size < 1 || size > 100) throw new ValidationError(`body.page_size should be ≤ \`100\`, instead was \`${size}\`.`);
    const rows = this.sortRows(this.filterRows(body.filter), body.sorts);
    let offset = 0;
    if (body.start_cursor !== undefined) {
      const decoded = Number(Buffer.from(String(body.start_cursor), 'base64url').toString());
      if (!Number.isInteger(decoded) || decoded < 0) throw new ValidationError('body.start_cursor should be a valid cursor');
      offset = decoded;
    }
    // Notion may give fewer results than asked: so does the double, now and then.
    const take = this.shortPages && Math.random() < 0.4 ? Math.max(1, Math.floor(size * Math.random())) : size;
    const results = rows.slice(offset, offset + take);
    const next = offset + results.length;
    const hasMore = next < rows.length;
    return { object: 'list', results, has_more: hasMore, next_cursor: hasMore ? Buffer.from(String(next)).toString('base64url') : null, type: 'page_or_data_source', page_or_data_source: {} };
  }

  control(method, path, body, send) {
    if (method === 'POST' && path === '/__double/fault') { this.fault(JSON.parse(body || '{}')); return send(200, { ok: true }); }
    if (method === 'POST' && path === '/__double/rate-limit') { this.setRateLimit(JSON.parse(body || 'null')); return send(200, { ok: true }); }
    if (method === 'POST' && path === '/__double/reset') { this.pages.clear(); this.faults = []; this.requests = []; return send(200, { ok: true }); }
    if (method === 'GET' && path === '/__double/pages') return send(200, { pages: this.rows(), databaseId: this.databaseId, dataSourceId: this.dataSourceId });
    return send(404, { error: 'no such control route' });
  }
}

export async function startNotionDouble(options = {}) {
  const double = new NotionDouble(options);
  return double.listen(options.port ?? 0);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
  const double = await startNotionDouble({ port: Number(arg('port', '0')), token: arg('token', 'secret_double_token') });
  console.log(JSON.stringify({ url: double.url, databaseId: double.databaseId, dataSourceId: double.dataSourceId }));
}
