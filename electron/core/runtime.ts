import type { Core } from './index';
import { campaignsFor } from './campaigns/service';
import { startWebhookReceiver, webhooksFor } from './webhooks/service';
import { registerWhatsappWebhooks, whatsappServices } from './whatsapp/index';
import { registerMarketingWebhooks } from './whatsapp/mm-status';

export interface RunningRuntime {
  webhookUrl: string;
  webhookPort: number;
  /** Sends that were in flight when the previous run died: now `uncertain`, never resent automatically. */
  recovered: number;
  isIdle(): boolean;
  stop(): Promise<void>;
}

/**
 * What a sending host runs besides the contract: the webhook receiver (with template/account
 * appliers on its router), the campaign scheduler and sender, and the account's background sync.
 * The Electron core host, `pacer serve` and `pacer run` all start exactly this, so the app, the
 * harness and the headless runner behave the same. Stopped in reverse order on core close.
 */
export async function startRuntime(core: Core, opts: { webhookPort?: number; fallbackToFreePort?: boolean } = {}): Promise<RunningRuntime> {
  const ctx = core.ctx;
  const wa = whatsappServices(ctx);
  const unregisterWa = registerWhatsappWebhooks(webhooksFor(ctx).router as never, wa);
  const unregisterMm = registerMarketingWebhooks(ctx, webhooksFor(ctx).router as never);
  const unregister = () => { unregisterWa(); unregisterMm(); };
  let receiver;
  try {
    receiver = await startWebhookReceiver(ctx, opts.webhookPort === undefined ? {} : { port: opts.webhookPort });
  } catch (e) {
    // Another Pacer (or anything) holds the configured port: the UI still works on a free port,
    // and Settings shows the URL actually in use.
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !opts.fallbackToFreePort) throw e;
    ctx.log.warn('webhook port busy, using a free one', { port: opts.webhookPort ?? 'configured' });
    receiver = await startWebhookReceiver(ctx, { port: 0 });
  }
  // The built-in Sandbox delivers its status/template webhooks to this receiver.
  wa.account.sandboxWebhookUrl = () => receiver.url;
  if (wa.account.connection()) {
    try {
      await wa.account.ready();
    } catch (e) {
      ctx.log.warn('account not ready at start', { error: e instanceof Error ? e.message : String(e) });
    }
  }
  const campaigns = campaignsFor(ctx);
  const { recovered } = campaigns.startEngine();
  void campaigns.reofferStatuses().catch((e: unknown) => ctx.log.warn('re-offering statuses failed', { error: String(e) }));
  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      await campaigns.stopEngine();
      await receiver.close();
      unregister();
    })());
  ctx.onClose(stop);
  return { webhookUrl: receiver.url, webhookPort: receiver.port, recovered, isIdle: () => campaigns.isIdle(), stop };
}
