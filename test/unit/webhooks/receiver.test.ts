import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookRunning, WebhookService } from '../../../electron/core/webhooks/service';
import { signBody } from '../../../electron/core/webhooks/signature';
import { APP_SECRET, post, signedPost, statusEnvelope, testCtx, webhookService, type TestCtx } from './helpers';

const inboxCount = (ctx: TestCtx) => (ctx.db.prepare('SELECT count(*) AS n FROM webhook_inbox').get() as { n: number }).n;
const sample = statusEnvelope([{ id: 'wamid.A', status: 'sent', timestamp: '1767600000', recipient_id: '972541234567' }]);

describe('webhook receiver', () => {
  let ctx: TestCtx;
  let rx: WebhookRunning;
  let svc: WebhookService;
  beforeEach(async () => {
    ctx = testCtx();
    svc = webhookService(ctx);
    rx = await svc.start({ port: 0 });
  });
  afterEach(() => ctx.close());

  it('answers the handshake with hub.challenge exactly when mode and token match', async () => {
    const token = svc.config.verifyToken();
    const q = (o: Record<string, string>) => `${rx.url}?${new URLSearchParams(o)}`;
    const ok = await fetch(q({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '1158201444' }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(q({ 'hub.mode': 'subscribe', 'hub.verify_token': token + 'x', 'hub.challenge': '1' }));
    expect(wrong.status).toBe(403);
    const badMode = await fetch(q({ 'hub.mode': 'unsubscribe', 'hub.verify_token': token, 'hub.challenge': '1' }));
    expect(badMode.status).toBe(403);
    const missing = await fetch(q({ 'hub.mode': 'subscribe', 'hub.challenge': '1' }));
    expect(missing.status).toBe(403);
  });

  it('stores a correctly signed event and answers 200', async () => {
    const r = await signedPost(rx.url, sample);
    expect(r.status).toBe(200);
    expect(inboxCount(ctx)).toBe(1);
    const row = ctx.db.prepare('SELECT body, source FROM webhook_inbox').get() as { body: Buffer; source: string };
    expect(row.body.toString()).toBe(JSON.stringify(sample));
    expect(row.source).toBe('direct');
  });

  it('refuses a missing signature with 401 and stores nothing', async () => {
    const r = await post(rx.url, JSON.stringify(sample));
    expect(r.status).toBe(401);
    expect(inboxCount(ctx)).toBe(0);
  });

  it('refuses a wrong or malformed signature with 403 and stores nothing', async () => {
    const body = JSON.stringify(sample);
    for (const sig of [
      signBody(body, 'another-secret'),
      signBody(body + ' ', APP_SECRET),
      'sha256=zz',
      'sha1=abc',
      signBody(body, APP_SECRET).toUpperCase(),
    ]) {
      const r = await post(rx.url, body, { 'x-hub-signature-256': sig });
      expect(r.status, sig).toBe(403);
    }
    expect(inboxCount(ctx)).toBe(0);
  });

  it('checks the signature over the raw bytes, not re-serialised JSON', async () => {
    // Same JSON value, different bytes (spacing, escaped unicode): signed as sent, accepted as sent.
    const body =
      '{ "object":"whatsapp_business_account",  "entry":[{"id":"W","changes":[{"field":"messages","value":{"statuses":[{"id":"wamid.\\u0042","status":"sent","timestamp":"1767600000"}]}}]}]}';
    const r = await post(rx.url, body, { 'x-hub-signature-256': signBody(body, APP_SECRET) });
    expect(r.status).toBe(200);
    const reserialised = JSON.stringify(JSON.parse(body));
    const r2 = await post(rx.url, reserialised, { 'x-hub-signature-256': signBody(body, APP_SECRET) });
    expect(r2.status).toBe(403);
    expect(inboxCount(ctx)).toBe(1);
  });

  it('refuses an oversized body with 413 and stores nothing', async () => {
    const big = JSON.stringify({ ...sample, pad: 'x'.repeat(5 * 1024 * 1024) });
    const r = await signedPost(rx.url, big);
    expect(r.status).toBe(413);
    // Without a Content-Length (chunked), the cap applies while reading.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        rx.url,
        { method: 'POST', headers: { 'transfer-encoding': 'chunked', 'x-hub-signature-256': signBody(big, APP_SECRET) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < big.length; i += 256 * 1024) req.write(big.slice(i, i + 256 * 1024));
      req.end();
    }).catch(() => 413);
    expect(status).toBe(413);
    expect(inboxCount(ctx)).toBe(0);
  });

  it('accepts only whatsapp_business_account objects', async () => {
    const r = await signedPost(rx.url, { ...sample, object: 'page' });
    expect(r.status).toBe(400);
    const r2 = await signedPost(rx.url, 'not json');
    expect(r2.status).toBe(400);
    expect(inboxCount(ctx)).toBe(0);
  });

  it('answers 503 (so Meta retries) while no app secret is configured', async () => {
    ctx.secrets.clear('app_secret');
    const r = await signedPost(rx.url, sample);
    expect(r.status).toBe(503);
    expect(inboxCount(ctx)).toBe(0);
  });

  it('only serves the callback path', async () => {
    const r = await fetch(rx.url.replace('/webhook', '/other'));
    expect(r.status).toBe(404);
  });
});
