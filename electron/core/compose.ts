/**
 * The composition root: every service of a core is built here, once, in dependency order, and
 * handed to the services that use it through their constructors. Nothing else creates a service
 * and no service looks another up. Read this file to see what depends on what:
 *
 *   settings, secrets, db (CoreContext, built by createCore in index.ts)
 *   → account (its store inside)          account/service.ts
 *   → templates (uses the account)         templates/service.ts
 *   → contacts + import jobs               contacts/service.ts, contacts/import/jobs.ts
 *   → webhooks (config, router, inbox; opt-outs go to the contacts' consent ledger)
 *   → template submission (account, templates; opt-out buttons in the webhook config)  templates/submit.ts
 *   → campaigns (ports over account, templates and contacts; statuses from webhooks)
 *   → background sync (account + templates), started by startRuntime
 *
 * Construction has no side effect on other services. What connects them at run time is done by
 * `attachServices` below, called once by createCore: the router subscriptions (webhook built-ins,
 * campaigns' status handler, the template and account appliers) and the account's hooks.
 */
import { onContactsMerged } from './contacts/merge-listeners';
import { skipRowsOfReachedPerson } from './campaigns/one-per-person';
import { registerMarketingWebhooks } from './whatsapp/mm-status';
import { recordConsentByUserId } from './contacts/user-ids-store';
import type { CoreContext } from './context';
import { AccountService } from './account/service';
import { builtinSandboxLauncher } from './account/sandbox-launcher';
import type { SandboxLauncher } from './account/sandbox-link';
import { accountWebhookAppliers, type ManagementAppliers } from './account/webhook-appliers';
import { TemplatesService } from './templates/service';
import { templatesWebhookAppliers } from './templates/webhook-appliers';
import { BackgroundSync } from './templates/background-sync';
import { TemplateSubmitService } from './templates/submit';
import { ContactsService } from './contacts/service';
import { ImportJobs } from './contacts/import/jobs';
import { WebhookService } from './webhooks/service';
import { contactsConsentSink } from './webhooks/consent-contacts';
import type { WebhookRouter } from './webhooks/router';
import { CampaignsService, uniqueRecipients24h } from './campaigns/service';
import { livePorts } from './campaigns/ports-live';

export interface CoreServices {
  readonly account: AccountService;
  readonly templates: TemplatesService;
  /** Creating, editing and deleting templates on Meta (the editor and `pacer templates create`). */
  readonly templateSubmit: TemplateSubmitService;
  readonly contacts: ContactsService;
  readonly imports: ImportJobs;
  readonly webhooks: WebhookService;
  readonly campaigns: CampaignsService;
  /** Template sync and account re-read on timers (startRuntime starts it in the app and the harness). */
  readonly backgroundSync: BackgroundSync;
}

export interface ComposeOptions {
  /** How "Use Sandbox" starts the emulator (default: in this process, account/sandbox-launcher.ts). */
  sandboxLauncher?: SandboxLauncher;
}

/** Builds the services of a core, in order. Registers nothing: see attachServices. */
export function composeServices(ctx: CoreContext, opts: ComposeOptions = {}): CoreServices {
  const account = new AccountService(ctx, opts.sandboxLauncher ?? builtinSandboxLauncher);
  const templates = new TemplatesService(ctx, account);
  const contacts = new ContactsService(ctx);
  const imports = new ImportJobs(ctx, contacts);
  const webhooks = new WebhookService(ctx, {
    consentSink: contactsConsentSink(contacts, (c) => {
      // A STOP / preference without a phone: by business-scoped user id (kept pending when unknown).
      recordConsentByUserId(ctx.db, c);
      ctx.emit('contacts:changed', { reason: 'consent' });
    }),
  });
  // A quick reply marked "opt-out" in the editor joins the webhook's opt-out buttons.
  const templateSubmit = new TemplateSubmitService(ctx, account, templates, {
    list: () => webhooks.config.optOutRules().buttons,
    set: (buttons) => void webhooks.config.setOptOutRules({ buttons }),
  });
  const campaigns = new CampaignsService(ctx, livePorts(ctx, { account, templates, contacts }), { webhooks, account });
  const backgroundSync = new BackgroundSync(ctx, account, templates);
  return { account, templates, templateSubmit, contacts, imports, webhooks, campaigns, backgroundSync };
}

/**
 * Connects the built services: webhook subscriptions (the webhook domain's own handlers first,
 * then campaigns' delivery statuses, then the template and account appliers), the account's
 * budget meter (campaigns' messaging log) and the account's hooks (webhook scope, verify token,
 * template sync after a connect). Returns the function that detaches the subscriptions.
 */
export function attachServices(ctx: CoreContext, s: CoreServices): () => void {
  const offs = [
    s.webhooks.attach(),
    s.campaigns.attach(),
    attachManagementAppliers(s.webhooks.router, { ...templatesWebhookAppliers(s.templates), ...accountWebhookAppliers(s.account) }),
    // MM API: impending category notices and the MM_LITE_TERMS_SIGNED account update (whatsapp/mm-status.ts).
    registerMarketingWebhooks(ctx, s.webhooks.router as never),
    // Two contacts found to be one person: their waiting rows in a campaign that reached them are skipped.
    onContactsMerged(ctx.db, (into, at) => void skipRowsOfReachedPerson(ctx.db, into, at)),
  ];
  s.account.setRecipientUsageProvider((now) => uniqueRecipients24h(ctx, now));
  // Webhook events are applied only for the connected WABA: tell the webhook domain when it changes.
  s.account.onScopeChange = () => s.webhooks.scopeChanged();
  s.account.afterConnect = async () => {
    // The verify token given at connect is the one the webhook receiver must answer Meta's handshake with.
    const verifyToken = s.account.verifyToken();
    if (verifyToken) {
      try {
        s.webhooks.config.setVerifyToken(verifyToken);
      } catch (e) {
        ctx.log.warn('verify token not usable for the webhook receiver', { error: e instanceof Error ? e.message : String(e) });
      }
    }
    return s.templates.sync();
  };
  return () => offs.forEach((off) => off());
}

/** Subscribes management-event appliers on the router, each under its own handler name. */
function attachManagementAppliers(router: WebhookRouter, appliers: ManagementAppliers<string>): () => void {
  // The appliers take the common shape of every management event (ManagementEventLike).
  const on = router.on.bind(router) as unknown as (
    type: string,
    handler: ManagementAppliers<string>[string],
    opts: { name: string },
  ) => () => void;
  const offs = Object.entries(appliers).map(([type, fn]) => on(type, fn, { name: `whatsapp:${type}` }));
  return () => offs.forEach((off) => off());
}
