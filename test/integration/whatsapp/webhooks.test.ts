import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_ACCESS_TOKEN, SANDBOX_PHONE_NUMBER_ID, SANDBOX_WABA_ID, startSandbox } from '../../../electron/core/sandbox/index';
import { parseEvents } from '../../../electron/core/webhooks/payload';
import { createOptOutMatcher } from '../../../electron/core/webhooks/stop-keywords';
import type { EventMap } from '../../../shared/contract';
import { testCore } from '../../support/core';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/**
 * The emulator's management webhooks, as they come over HTTP, through the webhook domain's parser
 * and router, into the account/templates appliers: the three teams' pieces agree on the payloads.
 */
describe('management webhooks from the emulator reach the account and templates', () => {
  it('template pause, quality and portfolio limit upgrade', async () => {
    const c = testCore();
    cleanup.push(() => c.close());
    // The core's own router: createCore attached the appliers (compose.ts).
    const router = c.services.webhooks.router;
    const optOut = createOptOutMatcher();
    const handled: string[] = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        void (async () => {
          for (const ev of parseEvents(Buffer.concat(chunks), { optOut })) {
            for (const h of router.handlers(ev.type)) {
              await (h.fn as (e: unknown) => unknown)(ev);
              handled.push(ev.type);
            }
          }
          res.writeHead(200).end();
        })();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => receiver.close(r)));
    const sb = await startSandbox({ clock: c.clock, webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook` });
    cleanup.push(() => sb.close());
    const connected = await c.call('account:connect', {
      graphUrl: sb.baseUrl,
      wabaId: SANDBOX_WABA_ID,
      phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
      accessToken: SANDBOX_ACCESS_TOKEN,
    });
    expect(connected.ok).toBe(true);
    const events: (keyof EventMap)[] = [];
    c.onAny((e) => events.push(e));

    await c.clock.advance(5_000);
    sb.setTemplateStatus('spring_sale', 'he', 'PAUSED');
    sb.setTemplateQuality('order_update', 'en_US', 'RED');
    sb.setMessagingLimit('TIER_10K');
    await c.clock.advance(1_000);
    await sb.webhooksIdle();

    expect(handled).toEqual(expect.arrayContaining(['template_status', 'template_quality', 'business_capability']));
    const paused = c.services.templates.getTemplate('spring_sale', 'he')!;
    expect(paused.status).toBe('PAUSED');
    expect(c.services.templates.get({ id: paused.id }).history[0]).toMatchObject({
      kind: 'status',
      from: 'APPROVED',
      to: 'PAUSED',
      source: 'webhook',
    });
    expect(c.services.templates.getTemplate('order_update', 'en_US')!.quality).toBe('RED');
    const status = await c.call('account:status', {});
    expect(status.ok && status.value.portfolio.messagingLimit).toBe('TIER_10K');
    expect(events).toContain('templates:changed');
    expect(events).toContain('account:changed');
  });
});

describe('Use Sandbox and the webhook receiver', () => {
  it('points an already running in-process sandbox at the receiver once its URL is known', async () => {
    const c = testCore();
    cleanup.push(() => c.close());
    const bodies: string[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => receiver.close(r)));

    const r = await c.call('account:use-sandbox', {});
    expect(r.ok).toBe(true);
    const { account } = c.services;
    account.sandboxWebhookUrl = () => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
    const handle = account.sandboxRuntime()!.handle as Awaited<ReturnType<typeof startSandbox>>;
    handle.setTemplateStatus('spring_sale', 'he', 'PAUSED');
    await c.clock.advance(1_000);
    await handle.webhooksIdle();
    expect(bodies.some((b) => b.includes('message_template_status_update') && b.includes('PAUSED'))).toBe(true);
  });
});
