import type { Core } from './index';
import type { WebhookRunning } from './webhooks/service';
import { startRetention } from './privacy/retention';
import { auditPruned } from './audit/handlers';

export interface RunningRuntime {
  webhookUrl: string;
  webhookPort: number;
  /** Sends that were in flight when the previous run died: now `uncertain`, never resent automatically. */
  recovered: number;
  isIdle(): boolean;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  webhookPort?: number;
  /** When the port is taken, listen on a free one instead of failing (the app and `pacer serve`). */
  fallbackToFreePort?: boolean;
}

/**
 * What a sending host runs besides the contract. The Electron core host, `pacer serve` and
 * `pacer run` all start exactly this, so the app, the harness and the headless runner behave the
 * same. The services are built and their webhook handlers attached by createCore (compose.ts);
 * this starts them, in this order:
 *   1. the webhook receiver (events flow into the inbox and through the router's handlers);
 *   2. the account, made ready (a Sandbox connection restarts its emulator, which delivers to 1);
 *   3. the campaign engine: recovers interrupted sends, starts the scheduler and the sender, and
 *      offers statuses that arrived before their send was recorded again;
 *   4. the retention of raw webhook bodies (pruned now and daily);
 *   5. the background sync of templates and the account (the app and the harness only).
 * The returned stop() undoes 4, 3 and 1 (5 stops with the core); it also runs on core close.
 */
export async function startRuntime(core: Core, opts: RuntimeOptions = {}): Promise<RunningRuntime> {
  const { ctx } = core;
  const { webhooks, account, campaigns, backgroundSync } = core.services;

  // 1. Receiver.
  let receiver: WebhookRunning;
  try {
    receiver = await webhooks.start(opts.webhookPort === undefined ? {} : { port: opts.webhookPort });
  } catch (e) {
    // Another Pacer (or anything) holds the configured port: the UI still works on a free port,
    // and Settings shows the URL actually in use.
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !opts.fallbackToFreePort) throw e;
    ctx.log.warn('webhook port busy, using a free one', { port: opts.webhookPort ?? 'configured' });
    receiver = await webhooks.start({ port: 0 });
  }
  // The built-in Sandbox delivers its status/template webhooks to this receiver.
  account.sandboxWebhookUrl = () => receiver.url;

  // 2. Account.
  if (account.connection()) {
    try {
      await account.ready();
    } catch (e) {
      ctx.log.warn('account not ready at start', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  // 3. Campaign engine.
  const { recovered } = campaigns.startEngine();
  void campaigns.reofferStatuses().catch((e: unknown) => ctx.log.warn('re-offering statuses failed', { error: String(e) }));

  // 4. Retention: raw webhook bodies past the retention period go, now and daily (privacy/retention.ts).
  const stopRetention = startRetention(ctx, auditPruned(ctx));

  // 5. Background sync: the app and the harness keep templates and the account current; `pacer run` does not.
  if (ctx.host !== 'cli') backgroundSync.start();

  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      stopRetention();
      await campaigns.stopEngine();
      await receiver.close();
    })());
  ctx.onClose(stop);
  return { webhookUrl: receiver.url, webhookPort: receiver.port, recovered, isIdle: () => campaigns.isIdle(), stop };
}
