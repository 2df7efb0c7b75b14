/**
 * The WhatsApp domain's services, one set per core. Other domains reach them through
 * `whatsappServices(ctx)` (e.g. campaigns: `.account.canSend()`, `.account.client()`,
 * `.account.setRecipientUsageProvider(fn)`, `.templates.getTemplate(name, lang)`), and the webhook
 * router through `registerWhatsappWebhooks`.
 */
import type { CoreContext } from '../context';
import type { TimerHandle } from '../clock';
import { AccountService, type ManagementEventLike } from '../account/service';
import type { SandboxLauncher } from '../account/sandbox-link';
import { TemplatesService } from '../templates/service';
import { GraphApiError } from './client';
import { webhookScopeChanged, webhooksFor } from '../webhooks/service';

export interface WhatsappServices {
  account: AccountService;
  templates: TemplatesService;
  /** Syncs templates on start and every `templatesEveryMs`, re-reads the account every `accountEveryMs`; respects the rate limiter. */
  startBackground(opts?: { templatesEveryMs?: number; accountEveryMs?: number; firstDelayMs?: number }): void;
}

const registry = new WeakMap<CoreContext, WhatsappServices>();

/** B1's in-process emulator, loaded only when asked for ("Use Sandbox", or a sandbox connection after a restart). */
export const builtinSandboxLauncher: SandboxLauncher = async (opts) => {
  const sb = await import('../sandbox/index');
  const handle = await sb.startSandbox({
    clock: opts.clock,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.webhookUrl ? { webhookUrl: opts.webhookUrl } : {}),
  });
  const wabaId = handle.ids.wabaIds.includes(sb.SANDBOX_WABA_ID) ? sb.SANDBOX_WABA_ID : handle.ids.wabaIds[0]!;
  const phoneNumberId = handle.ids.phoneNumberIds.includes(sb.SANDBOX_PHONE_NUMBER_ID) ? sb.SANDBOX_PHONE_NUMBER_ID : handle.ids.phoneNumberIds[0]!;
  return {
    runtime: { baseUrl: handle.baseUrl, close: () => handle.close(), setWebhookUrl: (url) => handle.setWebhook({ url }), handle },
    credentials: {
      accessToken: handle.credentials.accessToken, appSecret: handle.credentials.appSecret,
      verifyToken: handle.credentials.verifyToken ?? sb.SANDBOX_VERIFY_TOKEN, wabaId, phoneNumberId,
    },
  };
};

export function whatsappServices(ctx: CoreContext, launcher?: SandboxLauncher): WhatsappServices {
  const existing = registry.get(ctx);
  if (existing) return existing;
  const account = new AccountService(ctx, launcher ?? builtinSandboxLauncher);
  const templates = new TemplatesService(ctx, account);
  // Webhook events are applied only for the connected WABA: tell the webhook domain when it changes.
  account.onScopeChange = () => webhookScopeChanged(ctx);
  account.afterConnect = async () => {
    // The verify token given at connect is the one the webhook receiver must answer Meta's handshake with.
    const verifyToken = account.verifyToken();
    if (verifyToken) {
      try {
        webhooksFor(ctx).config.setVerifyToken(verifyToken);
      } catch (e) {
        ctx.log.warn('verify token not usable for the webhook receiver', { error: e instanceof Error ? e.message : String(e) });
      }
    }
    return templates.sync();
  };
  const timers: TimerHandle[] = [];
  let closed = false;
  ctx.onClose(() => {
    closed = true;
    timers.forEach((t) => ctx.clock.clearTimeout(t));
    templates.cancelPending();
  });

  /** Runs `job` now-ish and again every `every` ms; a rate-limited run waits for the limiter instead. */
  const loop = (name: string, every: number, first: number, job: () => Promise<unknown>) => {
    const schedule = (ms: number) => {
      if (closed) return;
      timers.push(ctx.clock.setTimeout(() => void run(), ms));
    };
    const run = async () => {
      if (closed) return;
      if (!account.connection()) return schedule(every);
      let next = every;
      try {
        await job();
      } catch (e) {
        const cause = (e as { details?: unknown }).details;
        const retryAt = e instanceof GraphApiError ? e.retryAt : null;
        ctx.log.warn(`background ${name} failed`, { error: e instanceof Error ? e.message : String(e), cause });
        if (retryAt) next = Math.max(retryAt - ctx.clock.now(), 60_000);
      }
      const limiterAt = account.connection() ? account.client().limiter.retryAt() : 0;
      if (limiterAt) next = Math.max(next, limiterAt - ctx.clock.now());
      schedule(next);
    };
    schedule(first);
  };

  const services: WhatsappServices = {
    account,
    templates,
    startBackground(opts = {}) {
      loop('template sync', opts.templatesEveryMs ?? 15 * 60_000, opts.firstDelayMs ?? 2_000, () => templates.sync());
      loop('account refresh', opts.accountEveryMs ?? 60 * 60_000, (opts.firstDelayMs ?? 2_000) + 1_000, () => account.refresh());
    },
  };
  registry.set(ctx, services);
  return services;
}

/** The management events Pacer reacts to, by the webhook router's event type. */
export function whatsappWebhookHandlers(s: WhatsappServices): Record<'template_status' | 'template_quality' | 'template_category' | 'template_components' | 'phone_quality' | 'business_capability' | 'account_update', (ev: ManagementEventLike) => void | Promise<void>> {
  return {
    template_status: (ev) => s.templates.applyTemplateStatusUpdate(ev),
    template_quality: (ev) => s.templates.applyTemplateQualityUpdate(ev),
    template_category: (ev) => s.templates.applyTemplateCategoryUpdate(ev),
    template_components: (ev) => s.templates.applyTemplateComponentsUpdate(ev),
    phone_quality: (ev) => s.account.applyPhoneNumberQualityUpdate(ev),
    business_capability: (ev) => s.account.applyBusinessCapabilityUpdate(ev),
    account_update: (ev) => s.account.applyAccountUpdate(ev),
  };
}

/** Subscribes the handlers above on D's router: `registerWhatsappWebhooks(router, whatsappServices(ctx))`. */
export function registerWhatsappWebhooks(
  router: { on(type: never, handler: (ev: never) => unknown, opts?: { name?: string }): () => void },
  s: WhatsappServices,
): () => void {
  const on = router.on.bind(router) as unknown as (type: string, handler: (ev: ManagementEventLike) => unknown, opts?: { name?: string }) => () => void;
  const offs = Object.entries(whatsappWebhookHandlers(s)).map(([type, fn]) => on(type, fn, { name: `whatsapp:${type}` }));
  return () => offs.forEach((off) => off());
}
