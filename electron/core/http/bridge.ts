import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Core } from '../index';
import { fail } from '../../../shared/contract/result';
import { PacerError } from '../errors';

export const HARNESS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
};

const MAX_CALL_BODY = 4 * 1024 * 1024;
const MAX_UPLOAD = 1024 * 1024 * 1024;

export interface Bridge {
  url: string;
  /** URL with the token in the fragment: the page reads it, the server never logs it. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The browser harness transport: the built renderer and the contract on 127.0.0.1 only.
 * Static files are public (they are the app bundle); every /api call needs the per-run token.
 * Host and Origin are checked so a web page elsewhere cannot reach the API (DNS rebinding).
 */
export async function startBridge(core: Core, opts: { port?: number; staticDir: string }): Promise<Bridge> {
  const token = crypto.randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const sseClients = new Set<http.ServerResponse>();
  let port = 0;

  const tokenOk = (given: string | null | undefined): boolean => {
    if (!given) return false;
    const b = Buffer.from(given);
    return b.length === tokenBuf.length && crypto.timingSafeEqual(b, tokenBuf);
  };
  const hostOk = (req: http.IncomingMessage) => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
  const originOk = (req: http.IncomingMessage) => {
    const origin = req.headers.origin;
    return !origin || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  };
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  const unsubscribe = core.onAny((event, payload) => {
    const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const res of sseClients) {
      res.write(frame);
      // Node corks a chunked response until the next tick; an event sent from inside a long
      // synchronous step (an import's save transaction reports progress) must leave now.
      while (res.socket && res.socket.writableCorked > 0) res.socket.uncork();
    }
  });

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!hostOk(req)) return json(res, 403, fail('forbidden', 'Bad Host header'));
      if (url.pathname.startsWith('/api/')) {
        if (!originOk(req)) return json(res, 403, fail('forbidden', 'Cross-origin request refused'));
        if (url.pathname === '/api/events' && req.method === 'GET') {
          if (!tokenOk(url.searchParams.get('token'))) return json(res, 401, fail('forbidden', 'Missing or wrong token'));
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
          res.write(': connected\n\n');
          sseClients.add(res);
          req.on('close', () => sseClients.delete(res));
          return;
        }
        if (!tokenOk(req.headers['x-pacer-token'] as string | undefined))
          return json(res, 401, fail('forbidden', 'Missing or wrong token'));
        if (req.method !== 'POST') return json(res, 405, fail('bad_input', 'POST only'));
        if (url.pathname === '/api/upload') {
          const name = decodeURIComponent(url.searchParams.get('name') ?? 'file');
          try {
            const staged = await core.ctx.files.stageStream(name, req, MAX_UPLOAD);
            return json(res, 200, { ok: true, value: { fileId: staged.fileId, name: staged.name, size: staged.size } });
          } catch (e) {
            if (e instanceof PacerError) return json(res, 200, fail(e.code, e.message));
            throw e;
          }
        }
        const m = /^\/api\/call\/([a-z0-9-]+:[a-z0-9-]+)$/.exec(url.pathname);
        if (!m) return json(res, 404, fail('not_found', 'No such endpoint'));
        const body = await readBody(req, MAX_CALL_BODY);
        let input: unknown;
        try {
          input = body.length ? JSON.parse(body.toString('utf8')) : {};
        } catch {
          return json(res, 400, fail('bad_input', 'Body is not JSON'));
        }
        return json(res, 200, await core.dispatch(m[1]!, input));
      }
      return serveStatic(opts.staticDir, url.pathname, res);
    } catch (e) {
      if (!res.headersSent) json(res, 500, fail('internal', e instanceof Error ? e.message : 'error'));
      else res.end();
    }
  });
  // Keep-alive pings so proxies and the browser do not drop the event stream.
  const ping = setInterval(() => sseClients.forEach((r) => r.write(': ping\n\n')), 15_000);
  ping.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(ping);
        unsubscribe();
        sseClients.forEach((r) => r.end());
        sseClients.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new PacerError('bad_input', 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function serveStatic(root: string, pathname: string, res: http.ServerResponse) {
  const rel = decodeURIComponent(pathname).replace(/^\/+/, '') || 'index.html';
  let file = path.resolve(root, rel);
  if (!file.startsWith(path.resolve(root) + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
  if (!fs.existsSync(file)) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('The renderer is not built. Run `npm run build`.');
    return;
  }
  res.writeHead(200, {
    'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
    'content-security-policy': HARNESS_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
  });
  fs.createReadStream(file).pipe(res);
}
