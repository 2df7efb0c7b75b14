import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGraphTransport, type GraphTransport } from '../../../electron/core/http/graph-transport';

/** A server that closes idle keep-alive sockets quickly, like a proxy with a short timeout. */
async function server(keepAliveMs: number) {
  let posts = 0;
  const srv = http.createServer((req, res) => {
    if (req.method === 'POST') posts++;
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-business-use-case-usage', '{"1":[{"call_count":3}]}');
      res.statusCode = body.includes('"bad"') ? 400 : 200;
      res.end(JSON.stringify({ echo: body.length }));
    });
  });
  srv.keepAliveTimeout = keepAliveMs;
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v24.0/1/messages`,
    posts: () => posts,
    close: () =>
      new Promise<void>((r) => {
        srv.closeAllConnections();
        srv.close(() => r());
      }),
  };
}

const busyWait = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* the event loop is blocked, as by a long synchronous transaction */
  }
};

let transport: GraphTransport | null = null;
afterEach(async () => {
  await transport?.close();
  transport = null;
});

describe('Graph transport (undici request, own pool)', () => {
  it('answers status, headers (case-insensitive) and body text like fetch', async () => {
    const s = await server(5000);
    transport = createGraphTransport();
    const ok = await transport.fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(ok.ok).toBe(true);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('X-Business-Use-Case-Usage')).toBe('{"1":[{"call_count":3}]}');
    expect(JSON.parse(await ok.text())).toEqual({ echo: 7 });
    const bad = await transport.fetch(s.url, { method: 'POST', headers: {}, body: '"bad"' });
    expect([bad.ok, bad.status]).toEqual([false, 400]);
    expect(bad.headers.get('x-missing')).toBeNull();
    await s.close();
  });

  it('after the event loop was blocked past the server keep-alive, sends start on fresh sockets and none fails', async () => {
    const s = await server(150);
    transport = createGraphTransport({ idleRecycleMs: 100 });
    // Open several kept-alive sockets.
    await Promise.all(Array.from({ length: 16 }, () => transport!.fetch(s.url, { method: 'POST', headers: {}, body: '{}' })));
    expect(transport.pools).toBe(1);
    // The server closes them while this thread cannot read the FINs.
    busyWait(600);
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, () => transport!.fetch(s.url, { method: 'POST', headers: {}, body: '{}' })),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(transport.pools).toBe(2);
    expect(s.posts()).toBe(32); // every POST reached the server exactly once
    await s.close();
  });

  it('keeps one pool while traffic flows', async () => {
    const s = await server(5000);
    transport = createGraphTransport({ idleRecycleMs: 1000 });
    for (let i = 0; i < 20; i++) await transport.fetch(s.url, { method: 'POST', headers: {}, body: '{}' });
    expect(transport.pools).toBe(1);
    await s.close();
  });

  it('reports a refused connection with its code (the client treats it as not sent)', async () => {
    transport = createGraphTransport();
    const err = await transport
      .fetch('http://127.0.0.1:1/v24.0/1/messages', { method: 'POST', headers: {}, body: '{}' })
      .catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('ECONNREFUSED');
  });
});
