import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import { SANDBOX_PHONE_NUMBER_ID, startSandbox, type SandboxHandle } from '../../../electron/core/sandbox';
import type { ConsentChange } from '../../../electron/core/webhooks/builtin';
import { tempDataDir } from '../../support/harness';
import { APP_SECRET, testCtx, webhookService, type TestCtx } from '../../unit/webhooks/helpers';
import { orderUpdate, send } from '../sandbox/helpers';
import { freePort, pairRelay, relayChildren, startRelayProcess, waitFor } from './child-support';

let sb: SandboxHandle | null = null;
let ctx: TestCtx | null = null;
afterEach(async () => {
  await sb?.close();
  await ctx?.close();
  sb = null;
  ctx = null;
  for (const c of relayChildren) if (c.exitCode === null) c.kill('SIGTERM');
});

const RECIPIENTS = ['+972541230001', '+972541230002', '+972541230003', '+886912000004', '+447700900005'];

async function sendAll(s: SandboxHandle): Promise<string[]> {
  const wamids: string[] = [];
  for (const to of RECIPIENTS) {
    const r = await send(s, orderUpdate(to, { biz_opaque_callback_data: `row-${to}` }), SANDBOX_PHONE_NUMBER_ID);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    wamids.push(r.body.messages[0].id as string);
  }
  return wamids;
}

describe('Cloud API emulator → Pacer', () => {
  it('direct: delivery statuses and replies from the emulator reach the inbox, the status summary and the consent sink', async () => {
    const clock = new FakeClock();
    ctx = testCtx();
    const svc = webhookService(ctx);
    const consent: ConsentChange[] = [];
    svc.setConsentSink({
      record: (c) => {
        consent.push(c);
      },
    });
    const rx = await svc.start({ port: 0, relay: false });
    sb = await startSandbox({ clock, webhookUrl: rx.url, appSecret: APP_SECRET });
    const wamids = await sendAll(sb);
    await clock.advance(60 * 60_000);
    await sb.webhooksIdle();
    sb.sendInbound({ from: '+972541230001', kind: 'stop_text', language: 'he' });
    await clock.advance(1000);
    await sb.webhooksIdle();
    expect(sb.webhookLog().every((w) => w.state === 'delivered')).toBe(true);
    await svc.processor.drain();

    for (const w of wamids) {
      const mine = svc.messageStatus(w);
      expect(mine, w).not.toBeNull();
      const theirs = sb.messageStatus(w)!;
      // The emulator's final status and ours agree, whatever order and duplication it delivered in.
      expect(mine!.status, w).toBe(theirs);
    }
    expect(consent).toEqual([expect.objectContaining({ phone: '+972541230001', status: 'opted_out', source: 'keyword' })]);
    // The reply opened a 24-hour window from the moment it was written (emulator time).
    const w = svc.serviceWindow('+972541230001')!;
    expect(Math.abs(w.lastInboundAt - clock.now())).toBeLessThan(5000);
    expect(w.expiresAt - w.lastInboundAt).toBe(24 * 3600 * 1000);
    expect(svc.inbox.counts()).toMatchObject({ pending: 0, failed: 0 });
  });

  it('through the relay: emulator → relay → app inbox, same final state', async () => {
    const clock = new FakeClock();
    const relayDir = tempDataDir('pacer-relay-sb-');
    const port = await freePort();
    const token = pairRelay(relayDir, port, APP_SECRET, 'laptop');
    const relay = await startRelayProcess(relayDir, port, APP_SECRET);
    ctx = testCtx();
    const svc = webhookService(ctx);
    svc.config.setRelay(relay.url, token);
    expect(svc.startRelay()).toBe(true);
    sb = await startSandbox({ clock, webhookUrl: `${relay.url}/webhook`, appSecret: APP_SECRET });
    const wamids = await sendAll(sb);
    await clock.advance(60 * 60_000);
    await sb.webhooksIdle();
    const delivered = sb.webhookLog().filter((w) => w.state === 'delivered').length;
    await waitFor(() => svc.inbox.counts().pending + svc.inbox.counts().processed >= delivered, 'every relayed POST in the app inbox');
    await svc.processor.drain();
    for (const w of wamids) expect(svc.messageStatus(w)?.status, w).toBe(sb.messageStatus(w));
    const relayEvents = async () => ((await (await fetch(`${relay.url}/healthz`)).json()) as { events: number }).events;
    const end = Date.now() + 10_000;
    while ((await relayEvents()) !== 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(await relayEvents()).toBe(0);
    fs.rmSync(relayDir, { recursive: true, force: true });
  });
});
