/**
 * What Pacer knows about the Marketing Messages API for the connected portfolio: whether it
 * accepted the MM API terms, the user's strict choice, and Meta's impending template-category
 * changes (warnings). Fed by webhooks (registerMarketingWebhooks) and by the sender's sends.
 */
import type { CoreContext } from '../context';
import type { MarketingStatus } from '../../../shared/contract/whatsapp';
import { normalizeLanguage, normalizeTemplateCategory } from './normalize';
import {
  categoryNotices,
  clearCategoryNotice,
  connectedPortfolio,
  currentCategory,
  putCategoryNotice,
  putTerms,
  termsOf,
  type TermsSource,
  type TermsState,
} from './mm-store';

/** A management webhook event as the router hands it over (the shape AccountService's appliers take too). */
interface ManagementEventLike {
  time: number | null;
  event: string | null;
  value: Record<string, unknown>;
}

/** Where the user accepts the terms (Meta "Onboard" to the MM API for WhatsApp, 2026-06-30; 360dialog). */
export const MM_ONBOARDING_URL = 'https://developers.facebook.com/documentation/business-messaging/whatsapp/marketing-messages/onboarding/';

/**
 * The `account_update` event Meta sends (one per WABA of the portfolio, with `waba_info`) when a
 * portfolio signs the MM API terms. Checked against Meta's account_update webhook reference
 * (updated 2026-04-20) and its MM API onboarding guide: docs/whatsapp.md "Marketing Messages API".
 */
export const MM_TERMS_SIGNED_EVENT = 'MM_LITE_TERMS_SIGNED';

export function noteMarketingTerms(
  ctx: CoreContext,
  state: TermsState,
  source: TermsSource,
  detail: string | null,
  at = ctx.clock.now(),
): void {
  const portfolio = connectedPortfolio(ctx.db);
  if (!portfolio) return;
  // Webhook times are whole seconds (entry.time): within its second it is taken as the newer fact.
  const when = source === 'webhook' ? at + 999 : at;
  if (putTerms(ctx.db, { business_id: portfolio, state, source, detail, updated_at: when })) ctx.emit('marketing:changed', { at });
}

export function marketingStatus(ctx: CoreContext): MarketingStatus {
  const portfolio = connectedPortfolio(ctx.db);
  const t = portfolio ? termsOf(ctx.db, portfolio) : null;
  return {
    portfolio,
    terms: t ? { state: t.state, source: t.source, at: t.updated_at } : null,
    strict: ctx.settings.get().mmStrict,
    onboardingUrl: MM_ONBOARDING_URL,
    notices: categoryNotices(ctx.db).map((n) => ({
      name: n.name,
      language: n.language,
      currentCategory: normalizeTemplateCategory(n.current_category),
      correctCategory: normalizeTemplateCategory(n.correct_category),
      effectiveAt: n.effective_at,
      receivedAt: n.received_at,
    })),
  };
}

/**
 * template_category_update: the impending form (`correct_category`, `category_update_timestamp`)
 * only records a warning; the completed form (`new_category`) clears it — the category itself is
 * changed by TemplatesService.applyTemplateCategoryUpdate (wa_templates.category = the routing map).
 */
export function applyCategoryNotice(ctx: CoreContext, ev: ManagementEventLike): void {
  const v = ev.value;
  const name = typeof v.message_template_name === 'string' ? v.message_template_name : null;
  const language = typeof v.message_template_language === 'string' ? normalizeLanguage(v.message_template_language) : null;
  if (!name || !language) return;
  const at = ev.time ?? ctx.clock.now();
  if (v.new_category !== undefined) {
    clearCategoryNotice(ctx.db, name, language);
  } else if (v.correct_category !== undefined) {
    const when = Number(v.category_update_timestamp);
    const current = currentCategory(ctx.db, name, language);
    putCategoryNotice(ctx.db, {
      name,
      language,
      current_category: current ?? normalizeTemplateCategory(v.previous_category ?? 'UNKNOWN'),
      correct_category: normalizeTemplateCategory(v.correct_category),
      effective_at: Number.isFinite(when) && when > 0 ? when * 1000 : null,
      received_at: at,
    });
  } else {
    return;
  }
  ctx.emit('marketing:changed', { at });
}

/** account_update MM_LITE_TERMS_SIGNED: the portfolio accepted the MM API terms. */
export function applyTermsWebhook(ctx: CoreContext, ev: ManagementEventLike): void {
  const event = ev.event ?? (typeof ev.value.event === 'string' ? ev.value.event : null);
  if (event !== MM_TERMS_SIGNED_EVENT) return;
  noteMarketingTerms(ctx, 'accepted', 'webhook', `account_update ${event}`, ev.time ?? ctx.clock.now());
}

/** Subscribes the two appliers above on the webhook router (next to registerWhatsappWebhooks). */
export function registerMarketingWebhooks(
  ctx: CoreContext,
  router: { on(type: never, handler: (ev: never) => unknown, opts?: { name?: string }): () => void },
): () => void {
  const on = router.on.bind(router) as unknown as (
    type: string,
    handler: (ev: ManagementEventLike) => unknown,
    opts?: { name?: string },
  ) => () => void;
  const offs = [
    on('template_category', (ev) => applyCategoryNotice(ctx, ev), { name: 'marketing:category_notice' }),
    on('account_update', (ev) => applyTermsWebhook(ctx, ev), { name: 'marketing:terms' }),
  ];
  return () => offs.forEach((off) => off());
}
