// A redis-server serving TLS only (--port 0 --tls-port) for integration tests, with a
// throwaway CA and certificates made by the openssl command in a temporary folder; and a
// tiny RESP client over TLS to look inside. A missing openssl fails the test (never a skip).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { RedisServer, encodeRespCommand, parseRespReply } from './redis.mjs';
import { freePort } from './server.mjs';

const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir, args) {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`openssl ${args.join(' ')} failed (is the openssl command installed?): `
      + `${r.error?.message ?? ''}${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
}

/**
 * A CA and certificates in a fresh folder: caFile signs serverCert (localhost and
 * 127.0.0.1, two days); otherCaFile signed nothing here. `cleanup()` removes the folder.
 */
export function makeCertificates() {
  const dir = mkdtempSync(join(tmpdir(), 'fp-certs-'));
  const caExtensions = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'];
  openssl(dir, ['req', '-x509', ...NEW_KEY, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2',
    '-subj', '/CN=Fire Poker test CA', ...caExtensions]);
  openssl(dir, ['req', '-x509', ...NEW_KEY, '-keyout', 'other-ca.key', '-out', 'other-ca.crt', '-days', '2',
    '-subj', '/CN=Some other CA', ...caExtensions]);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(dir, ['req', ...NEW_KEY, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '2', '-extfile', 'server.ext', '-out', 'server.crt']);
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    otherCaFile: join(dir, 'other-ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    cleanup() { if (!process.env.FP_KEEP_TMP) rmSync(dir, { recursive: true, force: true }); },
  };
}

/** Send one command over TLS to 127.0.0.1:port (the certificate checked as localhost). */
export function redisTlsCommand(port, caFile, words, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const sock = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: readFileSync(caFile) });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`redis tls :${port} ${words[0]}: timed out`)); }, timeoutMs);
    sock.on('secureConnect', () => sock.write(encodeRespCommand(words)));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      const r = parseRespReply(buf);
      if (!r) return;
      clearTimeout(timer);
      sock.end();
      if (r[0] instanceof Error) reject(r[0]); else resolve(r[0]);
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

/** A RedisServer whose only port is TLS; `url` is rediss://localhost:PORT/0. */
export class TlsRedisServer extends RedisServer {
  constructor({ certificates, ...rest }) {
    const tlsArgs = ['--port', '0', '--tls-port', String(rest.port), '--tls-cert-file', certificates.serverCert,
      '--tls-key-file', certificates.serverKey, '--tls-ca-cert-file', certificates.caFile, '--tls-auth-clients', 'no'];
    super({ ...rest, extraArgs: [...tlsArgs, ...(rest.extraArgs ?? [])] });
    this.certificates = certificates;
  }

  get url() { return `rediss://localhost:${this.port}/0`; }

  command(...words) { return redisTlsCommand(this.port, this.certificates.caFile, words); }
}

/** Start a TLS-only redis-server on a free port in a fresh folder. */
export async function startTlsRedis(certificates, { appendOnly = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'fp-redis-tls-'));
  for (let attempt = 0; ; attempt++) {
    const r = new TlsRedisServer({ certificates, port: await freePort(), dir, appendOnly });
    try {
      await r.start();
      return r;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
}
