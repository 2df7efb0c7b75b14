/**
 * Test sends: the campaign's template sent now to a few typed numbers. A test send is a real
 * WhatsApp message — billed, counted in the 24-hour budget, and subject to the same consent rules —
 * so each number passes the gates a campaign recipient passes (plan.ts exclusions, sender.ts
 * recheck), and a refused number answers a reason CODE with params that the app translates.
 *
 * Order of the gates: the number (the import's normaliser, default country from Settings) →
 * duplicate → erasure suppression → opt-out of the template's consent category → number-changed
 * hold → US marketing → marketing opt-in → parameter values → budget. Refusals that no
 * confirmation can lift (US, opt-out, erasure, hold) come before consent, so ticking "I have
 * consent" never records a consent that is then not used.
 *
 * Marketing without opt-in: Meta requires opt-in for every marketing message, test or not. A number
 * whose contact has no marketing opt-in, or that is not a contact at all, is refused (`no_consent`)
 * unless the user confirms consent (`i_have_consent`); the confirmation is then recorded in the
 * consent ledger (source manual, evidence "test send") — on a new contact when the number was not
 * one, since the ledger belongs to contacts. Utility and authentication templates may go to a number
 * that is not a contact (the marketer's own phone), as a campaign may message a contact with unknown
 * utility consent.
 */
import type { CoreContext } from '../context';
import { badInput } from '../errors';
import { recordConsent, consentOf } from '../contacts/consent';
import { erasedAt } from '../privacy/store/erasures';
import { holdOf } from '../contacts/holds';
import { normalizePhone } from '../contacts/phone';
import { explainPhone } from '../contacts/phone-explain';
import { GraphApiError, buildTemplateMessage, type TemplateSendComponent } from '../whatsapp/client';
import { routeFor } from '../whatsapp/marketing-messages';
import type { TestSendOutcome, TestSendParams, TestSendReason } from '../../../shared/contract/campaigns';
import type { MessagingWindow } from './messaging-window';
import { buildComponents, MappingError, resolveParams, type CompiledMapping, type ParamContact } from './params';
import { isUsMarketingBlocked, type ConsentState } from './plan';
import { consentCategoryOf, type CampaignPorts, type ConsentCategory, type TemplateInfo } from './ports';

/** What the gates need to know about one valid number (read from the contacts domain). */
export interface NumberFacts {
  e164: string;
  country: string | null;
  erasedAt: number | null;
  /** The number's contact, with its consent for the template's consent category and its hold. */
  contact: { id: number; consent: ConsentState; hold: string | null } | null;
}

export interface Refusal {
  reason: TestSendReason;
  params: TestSendParams;
}

/** The facts of a number: erasure record, contact, consent for `category`, hold. */
export function factsOf(ctx: CoreContext, e164: string, country: string | null, category: ConsentCategory): NumberFacts {
  const id = ctx.db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(e164) as number | undefined;
  const contact = id === undefined ? null : { id, consent: consentOf(ctx.db, id)[category], hold: holdOf(ctx.db, id)?.reason ?? null };
  return { e164, country, erasedAt: erasedAt(ctx.db, e164), contact };
}

/**
 * The first gate a valid number fails (null: it may be sent). `iHaveConsent` lifts only the
 * missing marketing opt-in. Pure, so the order is tested without a core.
 */
export function gateOf(f: NumberFacts, templateCategory: string, iHaveConsent: boolean): Refusal | null {
  const category = consentCategoryOf(templateCategory);
  if (f.erasedAt !== null) return { reason: 'erased', params: { erased_at: f.erasedAt } };
  if (f.contact?.consent === 'opted_out') return { reason: 'opted_out', params: { category } };
  if (f.contact?.hold) return { reason: 'held_number_changed', params: { hold_reason: f.contact.hold } };
  if (isUsMarketingBlocked(templateCategory, f.country)) return { reason: 'us_marketing_paused', params: {} };
  if (needsConsent(f, category) && !iHaveConsent) return { reason: 'no_consent', params: { is_contact: f.contact !== null } };
  return null;
}

/** Marketing needs an opt-in; other categories accept unknown consent (as a campaign does). */
const needsConsent = (f: NumberFacts, category: ConsentCategory) => category === 'marketing' && f.contact?.consent !== 'opted_in';

/** The refusal in English (CLI output, logs); the app translates the code instead. */
export function describeRefusal(r: Refusal): string {
  const p = r.params;
  switch (r.reason) {
    case 'invalid_number':
      return `${p.kind === 'not_mobile' ? 'not a mobile number' : p.kind === 'no_phone' ? 'no digits of a phone number' : 'not a valid phone number'}${p.country ? ` in ${p.country} (+${p.calling_code ?? ''})${p.length ? `: ${p.length.replace('_', ' ')}` : ''}${p.example ? `, e.g. ${p.example}` : ''}` : ''}`;
    case 'duplicate':
      return 'the same number twice: sent once';
    case 'erased':
      return `erased at the person's request${p.erased_at ? ` on ${new Date(p.erased_at).toISOString().slice(0, 10)}` : ''}`;
    case 'opted_out':
      return `opted out of ${p.category ?? 'these'} messages`;
    case 'held_number_changed':
      return 'held: the number changed hands; confirm the contact first';
    case 'us_marketing_paused':
      return 'Meta does not deliver marketing templates to US (+1) numbers';
    case 'no_consent':
      return p.is_contact
        ? 'this contact has not opted in to marketing (confirm consent to send)'
        : 'not a contact with marketing opt-in (confirm consent to send)';
    case 'missing_params':
      return `no value for parameter(s) ${(p.names ?? []).join(', ')}: add a "literal" fallback or pick a contact`;
    case 'budget':
      return `the 24-hour messaging budget (${p.limit ?? '?'} recipients) is used up`;
    case 'graph_error':
      return `Meta refused the message (error ${p.code ?? '?'})`;
    case 'send_failed':
      return 'no answer from Meta: the message may or may not have arrived';
  }
}

export interface TestSendEnv {
  ctx: CoreContext;
  ports: CampaignPorts;
  campaignId: string;
  template: TemplateInfo;
  compiled: CompiledMapping;
  headerMedia: { link?: string; id?: string } | null;
  phoneNumberId: string;
  /** The chosen contact whose values fill the parameters (else each number's own contact, else the literals). */
  valuesFrom: ParamContact | null;
  window: MessagingWindow;
  /** Unique recipients Pacer may message in the moving 24 hours. */
  budget: number;
  hash: (e164: string) => string;
  iHaveConsent: boolean;
  actor: string;
}

const refused = (input: string, to: string, r: Refusal, errorCode: number | null = null): TestSendOutcome => ({
  to,
  input,
  ok: false,
  wamid: null,
  error_code: errorCode,
  reason: r.reason,
  params: r.params,
  error: describeRefusal(r),
  consent_recorded: false,
});

/** Each typed number through the gates, then sent; one outcome per typed number, in order. */
export async function sendTests(env: TestSendEnv, typed: readonly string[]): Promise<TestSendOutcome[]> {
  const out: TestSendOutcome[] = [];
  const seen = new Set<string>();
  const country = env.ctx.settings.get().defaultCountry;
  for (const input of typed) {
    const n = normalizePhone(input, country);
    if (!n.ok) {
      out.push(
        refused(input, input, {
          reason: 'invalid_number',
          params: { kind: n.code, ...(n.code === 'no_phone' ? {} : explainPhone(input, country)) },
        }),
      );
      continue;
    }
    if (seen.has(n.e164)) {
      out.push(refused(input, n.e164, { reason: 'duplicate', params: {} }));
      continue;
    }
    seen.add(n.e164);
    out.push(await sendOne(env, input, factsOf(env.ctx, n.e164, n.country, consentCategoryOf(env.template.category))));
  }
  return out;
}

async function sendOne(env: TestSendEnv, input: string, f: NumberFacts): Promise<TestSendOutcome> {
  const { ctx, template: t } = env;
  const gate = gateOf(f, t.category, env.iHaveConsent);
  if (gate) return refused(input, f.e164, gate);
  const own = env.valuesFrom ?? (f.contact ? env.ports.contacts.contact(f.contact.id) : null);
  const resolved = resolveParams(env.compiled, { ...(own ?? {}), phone: f.e164 });
  if (!resolved.ok) return refused(input, f.e164, { reason: 'missing_params', params: { names: resolved.missing } });
  let components: TemplateSendComponent[];
  // The header media is the campaign's, the same for every number: a problem with it is the campaign's.
  try {
    components = buildComponents(t, env.compiled, resolved.values, env.headerMedia) as TemplateSendComponent[];
  } catch (e) {
    if (e instanceof MappingError) throw badInput(e.message);
    throw e;
  }
  const hash = env.hash(f.e164);
  const now = ctx.clock.now();
  if (!env.window.allows(hash, now, env.budget)) return refused(input, f.e164, { reason: 'budget', params: { limit: env.budget } });
  const consentRecorded = needsConsent(f, consentCategoryOf(t.category)) && recordConfirmedConsent(env, f);
  // Counted before the request leaves, like a campaign's claim: a failed attempt over-counts, never under-counts.
  env.window.record(hash, now);
  ctx.db
    .prepare(
      'INSERT INTO messaging_log (phone_hash, at, category, phone_number_id, campaign_id, recipient_id) VALUES (?, ?, ?, ?, NULL, NULL)',
    )
    .run(hash, now, t.category, env.phoneNumberId);
  try {
    // Routed like a campaign send: a MARKETING template goes to /marketing_messages (marketing-messages.ts).
    const route = routeFor(t.category, () => env.ports.account.marketingStrict?.() ?? false);
    const body = buildTemplateMessage({
      to: f.e164,
      name: t.name,
      language: t.language,
      components,
      bizOpaqueCallbackData: `pacer-test:${env.campaignId}`,
    });
    if (route.strict) body.product_policy = 'STRICT';
    const res = await env.ports.account.send(env.phoneNumberId, body, undefined, route.endpoint);
    return {
      to: f.e164,
      input,
      ok: true,
      wamid: res.wamid,
      error_code: null,
      reason: null,
      params: {},
      error: null,
      consent_recorded: consentRecorded,
    };
  } catch (e) {
    return { ...sendFailure(env, input, f.e164, e), consent_recorded: consentRecorded };
  }
}

/** Meta's refusal keeps its code; 131050 (stopped marketing) is recorded as an opt-out, as the sender does. */
function sendFailure(env: TestSendEnv, input: string, e164: string, e: unknown): TestSendOutcome {
  if (!(e instanceof GraphApiError) || e.code === null) {
    return {
      ...refused(input, e164, { reason: 'send_failed', params: {} }),
      error: `${describeRefusal({ reason: 'send_failed', params: {} })}: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  if (e.errorClass === 'suppress_contact') {
    void Promise.resolve(
      env.ports.contacts.recordOptOut(e164, {
        at: env.ctx.clock.now(),
        evidence: { code: 'test_send_refused', params: { error: e.code, detail: e.message } },
      }),
    ).catch((x: unknown) => env.ctx.log.error('opt-out not recorded', { error: String(x) }));
  }
  return {
    ...refused(input, e164, { reason: 'graph_error', params: { code: e.code } }, e.code),
    error: `Meta refused the message (error ${e.code}): ${e.message}`,
  };
}

/**
 * The user confirmed this number opted in to marketing: a manual consent event with evidence
 * "test send" — on a new contact (no name) when the number is not one, since consent belongs to
 * contacts. Answers true (recorded).
 */
function recordConfirmedConsent(env: TestSendEnv, f: NumberFacts): boolean {
  const { ctx } = env;
  const now = ctx.clock.now();
  ctx.db.transaction(() => {
    const id =
      f.contact?.id ??
      Number(
        ctx.db
          .prepare('INSERT INTO contacts (phone, name, country, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
          .run(f.e164, '', f.country, now, now).lastInsertRowid,
      );
    recordConsent(ctx.db, {
      contactId: id,
      category: 'marketing',
      state: 'opted_in',
      source: 'manual',
      sourceDetail: `test send (campaign ${env.campaignId})`,
      actor: env.actor,
      evidence: { code: 'test_send_attested', params: { campaign: env.campaignId } },
      at: now,
    });
  })();
  ctx.emit('contacts:changed', { reason: 'consent' });
  return true;
}
