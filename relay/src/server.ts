import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RelayStore } from './store.ts';

export interface RelayOptions {
  store: RelayStore;
  appSecret: string;
  verifyToken: string;
  port?: number;
  host?: string;
  callbackPath?: string;
  maxBody?: number;
  /** Longest a pull may be held open, in seconds. */
  maxWait?: number;
  log?: (line: string) => void;
}

export interface RelayHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

const sha = (s: string) => crypto.createHash('sha256').update(s).digest();
const safeEqual = (a: string, b: string) => crypto.timingSafeEqual(sha(a), sha(b));

/** X-Hub-Signature-256 over the raw bytes, compared in constant time (same rule as the app). */
export function signatureOk(raw: Buffer, header: string | string[] | undefined, secret: string): 'ok' | 'missing' | 'bad' {
  if (!header) return 'missing';
  if (Array.isArray(header)) return 'bad';
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!m) return 'bad';
  const expected = crypto.createHmac('sha256', secret).update(raw).digest();
  return crypto.timingSafeEqual(Buffer.from(m[1]!.toLowerCase(), 'hex'), expected) ? 'ok' : 'bad';
}

/**
 * The relay: Meta's callback (handshake + verified, durably stored POSTs) and the pull API for
 * paired Pacer installations (long-poll GET /v1/events, POST /v1/ack), each authenticated with
 * the installation's bearer token.
 */
export function startRelay(o: RelayOptions): Promise<RelayHandle> {
  const callbackPath = o.callbackPath ?? '/webhook';
  const maxBody = o.maxBody ?? 4 * 1024 * 1024;
  const maxWait = o.maxWait ?? 30;
  const log = o.log ?? (() => {});
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  o.store.onAppend(() => {
    for (const w of [...waiters]) w();
  });

  const text = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  };
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const readBody = (req: http.IncomingMessage, res: http.ServerResponse, cap: number, done: (raw: Buffer) => void) => {
    if (Number(req.headers['content-length']) > cap) {
      res.setHeader('connection', 'close');
      text(res, 413, 'Payload too large');
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > cap) {
        refused = true;
        res.setHeader('connection', 'close');
        text(res, 413, 'Payload too large');
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!refused) done(Buffer.concat(chunks, size));
    });
  };
  const bearer = (req: http.IncomingMessage) => {
    const h = req.headers.authorization;
    return h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://relay');
    if (url.pathname === callbackPath) {
      if (req.method === 'GET') {
        const ok =
          url.searchParams.get('hub.mode') === 'subscribe' &&
          url.searchParams.get('hub.challenge') !== null &&
          safeEqual(url.searchParams.get('hub.verify_token') ?? '', o.verifyToken);
        if (!ok) return text(res, 403, 'Verification failed');
        return text(res, 200, url.searchParams.get('hub.challenge')!);
      }
      if (req.method !== 'POST') return text(res, 405, 'Method not allowed');
      // requestTimeout is off for long-polls; a webhook body must still arrive within 30 s.
      req.setTimeout(30_000, () => req.destroy());
      return readBody(req, res, maxBody, (raw) => {
        const sig = signatureOk(raw, req.headers['x-hub-signature-256'], o.appSecret);
        if (sig === 'missing') return text(res, 401, 'Missing X-Hub-Signature-256');
        if (sig !== 'ok') return text(res, 403, 'Invalid signature');
        let doc: unknown;
        try {
          doc = JSON.parse(raw.toString('utf8'));
        } catch {
          return text(res, 400, 'Body is not JSON');
        }
        if ((doc as { object?: unknown } | null)?.object !== 'whatsapp_business_account')
          return text(res, 400, 'object must be "whatsapp_business_account"');
        o.store.append(raw, String(req.headers['x-hub-signature-256'])).then(
          () => text(res, 200, 'EVENT_RECEIVED'),
          (e: unknown) => {
            log(`store failed: ${String(e)}`);
            text(res, 500, 'Could not store the event');
          },
        );
      });
    }

    if (url.pathname === '/healthz' && req.method === 'GET') return json(res, 200, { ok: true, ...o.store.counts() });

    if (url.pathname === '/v1/events' || url.pathname === '/v1/ack') {
      const installation = o.store.authenticate(bearer(req));
      if (!installation) return json(res, 401, { error: 'unknown or missing installation token' });
      if (url.pathname === '/v1/events' && req.method === 'GET') {
        const max = Math.min(Math.max(Number(url.searchParams.get('max')) || 100, 1), 1000);
        const wait = Math.min(Math.max(Number(url.searchParams.get('wait')) || 0, 0), maxWait);
        const now = o.store.pending(installation, max);
        if (now.length || wait === 0) return json(res, 200, { events: now });
        // Long-poll: answer as soon as something arrives, or empty when the wait is over.
        let finished = false;
        const finish = () => {
          if (finished) return;
          finished = true;
          waiters.delete(wake);
          clearTimeout(timer);
          if (!res.writableEnded) json(res, 200, { events: o.store.pending(installation, max) });
        };
        const wake = () => finish();
        const timer = setTimeout(finish, wait * 1000);
        waiters.add(wake);
        req.on('close', () => {
          finished = true;
          waiters.delete(wake);
          clearTimeout(timer);
        });
        return;
      }
      if (url.pathname === '/v1/ack' && req.method === 'POST') {
        return readBody(req, res, 1024 * 1024, (raw) => {
          let ids: unknown;
          try {
            ids = (JSON.parse(raw.toString('utf8')) as { ids?: unknown }).ids;
          } catch {
            ids = null;
          }
          if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string'))
            return json(res, 400, { error: 'body must be {"ids": ["…"]}' });
          return json(res, 200, { acked: o.store.ack(installation, ids as string[]) });
        });
      }
      return json(res, 405, { error: 'method not allowed' });
    }
    return text(res, 404, 'Not found');
  });
  server.requestTimeout = 0; // long-polls are held open on purpose; headers still time out
  server.headersTimeout = 15_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 8787, o.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${o.host ?? '127.0.0.1'}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const w of [...waiters]) w();
            server.close(() => done());
            server.closeIdleConnections();
            setTimeout(() => {
              for (const s of sockets) s.destroy();
            }, 1000).unref();
          }),
      });
    });
  });
}
