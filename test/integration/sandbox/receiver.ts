import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** A webhook receiver on 127.0.0.1 that records raw bodies and answers with scripted statuses. */
export async function startReceiver(opts: { statuses?: number[]; verifyToken?: string } = {}) {
  const received: Received[] = [];
  const statuses = [...(opts.statuses ?? [])];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET') {
      const ok = url.searchParams.get('hub.mode') === 'subscribe' && url.searchParams.get('hub.verify_token') === opts.verifyToken;
      res.writeHead(ok ? 200 : 403).end(ok ? url.searchParams.get('hub.challenge') : 'forbidden');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      received.push({ headers: req.headers, raw, json: JSON.parse(raw.toString('utf8')) });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  return {
    url,
    received,
    /** Status webhook items received, flattened. */
    statuses: () =>
      received.flatMap((r) =>
        r.json.entry.flatMap((e: { changes: { value: { statuses?: unknown[] } }[] }) => e.changes.flatMap((c) => c.value.statuses ?? [])),
      ),
    changes: (field: string) =>
      received.flatMap((r) =>
        r.json.entry.flatMap((e: { changes: { field: string; value: unknown }[] }) =>
          e.changes.filter((c) => c.field === field).map((c) => c.value),
        ),
      ),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** An independent HMAC-SHA256 check (not the sandbox's own helper). */
export function validSignature(raw: Buffer, header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = crypto.createHmac('sha256', Buffer.from(secret, 'utf8')).update(raw).digest();
  const got = Buffer.from(header.slice(7), 'hex');
  return got.length === expected.length && crypto.timingSafeEqual(got, expected);
}
