import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../log';
import type { Inbox } from './inbox';
import { parseEnvelope, PayloadError } from './payload';
import { checkSignature, SIGNATURE_HEADER } from './signature';

/** Meta's payloads are at most 3 MB; a little headroom, then 413. */
export const DEFAULT_MAX_BODY = 4 * 1024 * 1024;

export interface ReceiverOptions {
  inbox: Inbox;
  log: Logger;
  /** Read per request, so a token or secret changed in Settings applies at once. */
  verifyToken: () => string;
  appSecret: () => string | null;
  callbackPath: string;
  port?: number;
  host?: string;
  maxBody?: number;
  /** Called after a POST was committed (for activity counters). */
  onAccepted?: (bytes: number) => void;
  onRejected?: (status: number, reason: string) => void;
}

export interface ReceiverHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

const safeEqual = (a: string, b: string): boolean => {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
};

/**
 * The webhook endpoint on 127.0.0.1 (a tunnel or the relay makes it reachable). Order of checks on
 * a POST: size cap while reading → signature over the raw bytes → envelope object → durable commit
 * → 200. Nothing is parsed before the signature is verified, nothing stored before all checks pass.
 */
export function startReceiver(o: ReceiverOptions): Promise<ReceiverHandle> {
  const maxBody = o.maxBody ?? DEFAULT_MAX_BODY;
  const sockets = new Set<Socket>();

  const answer = (res: http.ServerResponse, status: number, body: string, reason?: string) => {
    if (status >= 400) o.onRejected?.(status, reason ?? body);
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== o.callbackPath) return answer(res, 404, 'Not found');

    if (req.method === 'GET') {
      const mode = url.searchParams.get('hub.mode');
      const token = url.searchParams.get('hub.verify_token');
      const challenge = url.searchParams.get('hub.challenge');
      if (mode === 'subscribe' && token !== null && challenge !== null && safeEqual(token, o.verifyToken())) {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        return res.end(challenge);
      }
      return answer(res, 403, 'Verification failed', 'handshake');
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      return answer(res, 405, 'Method not allowed');
    }

    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBody) {
      res.setHeader('connection', 'close');
      answer(res, 413, 'Payload too large', 'size');
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > maxBody) {
        refused = true;
        chunks.length = 0;
        res.setHeader('connection', 'close');
        answer(res, 413, 'Payload too large', 'size');
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => {
      refused = true;
    });
    req.on('end', () => {
      if (refused) return;
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      const secret = o.appSecret();
      // Without the app secret nothing can be verified: refuse, and Meta retries for days.
      if (!secret) return answer(res, 503, 'Webhook app secret not configured', 'no_secret');
      const sig = checkSignature(raw, req.headers[SIGNATURE_HEADER], secret);
      if (sig === 'missing') return answer(res, 401, 'Missing X-Hub-Signature-256', 'signature_missing');
      if (sig !== 'ok') return answer(res, 403, 'Invalid signature', `signature_${sig}`);
      try {
        parseEnvelope(raw);
      } catch (e) {
        return answer(res, 400, e instanceof PayloadError ? e.message : 'Bad payload', 'payload');
      }
      o.inbox.append({ body: raw, source: 'direct' }).then(
        () => {
          o.onAccepted?.(raw.length);
          answer(res, 200, 'EVENT_RECEIVED');
        },
        (e: unknown) => {
          o.log.error('webhook inbox commit failed', { error: String(e) });
          answer(res, 500, 'Could not store the event', 'store');
        },
      );
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 65_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}${o.callbackPath}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Idle keep-alive sockets would hold close() open; in-flight requests finish first.
            server.closeIdleConnections();
            setTimeout(() => {
              for (const s of sockets) s.destroy();
            }, 2000).unref();
          }),
      });
    });
  });
}
