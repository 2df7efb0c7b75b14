/**
 * The sandbox's Marketing Messages API for WhatsApp (docs/sandbox.md "Marketing Messages API"):
 * - `POST /{phone-number-id}/marketing_messages`: the same template body as /messages, MARKETING
 *   templates only (others are refused with 100, as an invalid parameter);
 * - the business portfolio's MM API terms: not accepted until `POST /__admin/marketing/terms`;
 *   while not accepted a send falls back to the Cloud API (Meta's default) unless the body says
 *   `product_policy: "STRICT"`, which is refused with 134100 (Meta's code is not in the reference;
 *   Pacer does not depend on it, see whatsapp/marketing-messages.ts). Accepting sends Meta's
 *   `account_update` webhook with event MM_LITE_TERMS_SIGNED;
 * - impending template-category changes (`correct_category`, `category_update_timestamp`); the
 *   completed one is the existing `POST /__admin/templates/category`.
 * Which endpoint took each message is kept (`endpointOf`, `GET /__admin/marketing`).
 */
import { GraphError } from './graph-errors';
import { HttpError } from './route';
import type { SandboxWorld, TemplateState } from './world';

export type SandboxEndpoint = 'messages' | 'marketing_messages';

/** Sandbox code for a STRICT send from a portfolio that has not accepted the MM API terms. */
export const MM_STRICT_REFUSAL_CODE = 134100;

class MarketingState {
  termsAccepted = false;
  readonly byWamid = new Map<string, SandboxEndpoint>();
  readonly counts: Record<SandboxEndpoint, number> = { messages: 0, marketing_messages: 0 };
  fallbacks = 0;
  strictRefusals = 0;
}

const states = new WeakMap<SandboxWorld, MarketingState>();
export const marketingOf = (world: SandboxWorld): MarketingState => {
  let s = states.get(world);
  if (!s) states.set(world, (s = new MarketingState()));
  return s;
};

const wamidOf = (res: object): string | undefined => (res as { messages?: { id?: string }[] }).messages?.[0]?.id;

/** Records a /messages send's endpoint (server.ts calls it with the answer). */
export function noteMessagesSend(world: SandboxWorld, res: object): object {
  const s = marketingOf(world);
  const id = wamidOf(res);
  if (id) {
    s.byWamid.set(id, 'messages');
    s.counts.messages++;
  }
  return res;
}

/** POST /{phone-number-id}/marketing_messages. */
export function sendMarketing(world: SandboxWorld, phoneId: string, body: unknown, apiVersion: string): object {
  const s = marketingOf(world);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new GraphError(100, 'The request body must be a JSON object');
  const { product_policy: policy, ...rest } = body as Record<string, unknown>;
  if (policy !== undefined && policy !== 'STRICT' && policy !== 'CLOUD_API_FALLBACK')
    throw new GraphError(100, `Invalid parameter product_policy: ${JSON.stringify(policy)}`);
  if (rest.type !== 'template') throw new GraphError(100, 'The Marketing Messages API sends template messages only');
  const t = rest.template as { name?: unknown; language?: { code?: unknown } } | undefined;
  const phone = world.phones.get(phoneId);
  const template =
    phone && typeof t?.name === 'string' && typeof t.language?.code === 'string'
      ? world.findTemplate(phone.waba_id, t.name, t.language.code)
      : undefined;
  if (template && template.category !== 'MARKETING') {
    world.stats.sends.attempted++;
    world.stats.sends.rejected++;
    throw new GraphError(
      100,
      `Template ${template.name} (${template.language}) is ${template.category}: the Marketing Messages API sends MARKETING templates only; send it through /messages`,
    );
  }
  if (!s.termsAccepted && policy === 'STRICT') {
    s.strictRefusals++;
    world.stats.sends.attempted++;
    world.stats.sends.rejected++;
    throw new GraphError(
      MM_STRICT_REFUSAL_CODE,
      'The business portfolio has not accepted the Marketing Messages API for WhatsApp terms, and product_policy STRICT does not allow falling back to Cloud API',
    );
  }
  const res = world.send(phoneId, rest, apiVersion);
  if (!s.termsAccepted) s.fallbacks++;
  const id = wamidOf(res);
  if (id) {
    s.byWamid.set(id, 'marketing_messages');
    s.counts.marketing_messages++;
  }
  return res;
}

export const endpointOf = (world: SandboxWorld, wamid: string): SandboxEndpoint | null => marketingOf(world).byWamid.get(wamid) ?? null;

/** The portfolio accepts (or, for tests, withdraws) the MM API terms. */
export function setTerms(world: SandboxWorld, accepted: boolean): void {
  const s = marketingOf(world);
  const was = s.termsAccepted;
  s.termsAccepted = accepted;
  if (accepted && !was) {
    for (const wabaId of world.wabas.keys()) {
      world.rawWebhook(
        'account_update',
        { event: 'MM_LITE_TERMS_SIGNED', waba_info: { waba_id: wabaId, owner_business_id: world.business.id } },
        wabaId,
      );
    }
  }
}

/** Meta's 24-hour warning before it re-categorises a template (template_category_update, impending form). */
export function announceCategoryChange(world: SandboxWorld, t: TemplateState, category: string, inMs: number): void {
  world.rawWebhook(
    'template_category_update',
    {
      message_template_id: Number(t.id),
      message_template_name: t.name,
      message_template_language: t.language.replace('_', '-'),
      correct_category: category,
      category_update_timestamp: Math.floor((world.clock.now() + inMs) / 1000),
    },
    t.waba_id,
  );
}

/** `/__admin/marketing…` routes; undefined when the route is not one of them. */
export function marketingAdmin(world: SandboxWorld, route: string, body: unknown): unknown {
  const b = (body ?? {}) as Record<string, unknown>;
  switch (route) {
    case 'GET marketing': {
      const s = marketingOf(world);
      return {
        terms_accepted: s.termsAccepted,
        sends: s.counts,
        fallbacks: s.fallbacks,
        strict_refusals: s.strictRefusals,
        by_wamid: Object.fromEntries(s.byWamid),
      };
    }
    case 'POST marketing/terms': {
      if (typeof b.accepted !== 'boolean') throw new HttpError(400, 'accepted: a boolean is required');
      setTerms(world, b.accepted);
      return { terms_accepted: marketingOf(world).termsAccepted };
    }
    case 'POST marketing/category-notice': {
      if (
        typeof b.name !== 'string' ||
        typeof b.language !== 'string' ||
        typeof b.category !== 'string' ||
        !['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(b.category)
      )
        throw new HttpError(400, 'name, language and category (MARKETING|UTILITY|AUTHENTICATION) are required');
      let t: TemplateState;
      try {
        t = world.templateByKey(b.name, b.language);
      } catch (e) {
        throw new HttpError(404, (e as Error).message);
      }
      const inMs = typeof b.in_ms === 'number' && b.in_ms >= 0 ? b.in_ms : 86_400_000;
      announceCategoryChange(world, t, b.category, inMs);
      return { id: t.id, category: t.category, correct_category: b.category, effective_at: world.clock.now() + inMs };
    }
    default:
      return undefined;
  }
}
