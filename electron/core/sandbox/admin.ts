import { z } from 'zod';
import { HttpError, type RequestInfo } from './route';
import {
  MESSAGING_LIMITS,
  PHONE_QUALITY,
  PHONE_STATUSES,
  QUALITY_SCORES,
  REJECTED_REASONS,
  scenarioSchema,
  TEMPLATE_CATEGORIES,
  TEMPLATE_STATUSES,
} from './scenario';
import type { SandboxWorld } from './world';
import { marketingAdmin } from './marketing';
import { bsuidAdmin } from './bsuid';

/**
 * `/__admin/*`: drive the emulated account from outside (tests, the CLI user, the app's
 * "Use Sandbox" panel). No auth — the server only listens on 127.0.0.1. Documented in docs/sandbox.md.
 */

export const inboundSchema = z.object({
  from: z.string().regex(/^\+?\d{6,15}$/, 'from must be a phone number (digits, optional +)'),
  phone_number_id: z.string().optional(),
  kind: z.enum(['text', 'button', 'interactive', 'stop_text', 'stop_button', 'preference_stop']).default('text'),
  text: z.string().optional(),
  payload: z.string().optional(),
  language: z.enum(['en', 'he', 'zh']).optional(),
  context_wamid: z.string().optional(),
});

const templateKey = z.object({ name: z.string(), language: z.string(), waba_id: z.string().optional() });
const faultsSchema = scenarioSchema.shape.faults.unwrap().partial();
const userSchema = z.object({
  phone: z.string().regex(/^\+\d{6,15}$/),
  wa_id: z.string().optional(),
  name: z.string().optional(),
  undeliverable: z.boolean().optional(),
  marketing_stopped: z.boolean().optional(),
  marketing_cap_reached: z.boolean().optional(),
  experiment_holdout: z.boolean().optional(),
  offline: z.boolean().optional(),
  reads: z.boolean().optional(),
  /** Clicks the URL button of every read marketing message (sandbox/clicks.ts). */
  clicks: z.boolean().optional(),
  /** Came through a Click-to-WhatsApp ad: pricing type free_entry_point. */
  free_entry_point: z.boolean().optional(),
});

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw new HttpError(400, r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}

function jsonBody(info: RequestInfo): unknown {
  const text = info.body.toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the admin endpoints take a JSON body');
  }
}

/**
 * Loopback is not enough on its own: a web page could POST here (CSRF) or reach it through DNS
 * rebinding. So the Host must be the loopback address we listen on, and writes must be JSON
 * (which browsers cannot send cross-origin without a preflight this server never approves).
 */
function guard(info: RequestInfo, baseUrl: string): void {
  const host = String(info.headers.host ?? '');
  const port = new URL(baseUrl).port;
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
    throw new HttpError(403, `admin endpoints answer only to Host 127.0.0.1:${port}`);
  if (
    info.method.toUpperCase() !== 'GET' &&
    info.body.length &&
    !String(info.headers['content-type'] ?? '')
      .toLowerCase()
      .startsWith('application/json')
  )
    throw new HttpError(415, 'admin endpoints take Content-Type: application/json');
}

export async function handleAdmin(world: SandboxWorld, info: RequestInfo, baseUrl: string): Promise<unknown> {
  guard(info, baseUrl);
  const path = info.url.pathname.replace(/^\/__admin\/?/, '').replace(/\/$/, '');
  const method = info.method.toUpperCase();
  const body = method === 'POST' ? jsonBody(info) : undefined;
  const q = info.url.searchParams;
  const route = `${method} ${path}`;
  const tpl = (b: unknown) => {
    const k = parse(templateKey, b);
    try {
      return world.templateByKey(k.name, k.language, k.waba_id);
    } catch (e) {
      throw new HttpError(404, (e as Error).message);
    }
  };

  switch (route) {
    case 'GET ':
    case 'GET help':
      return { endpoints: ADMIN_ENDPOINTS, base_url: baseUrl };
    case 'GET stats':
      return world.statsSnapshot();
    case 'POST stats/reset':
      world.resetStats();
      return { ok: true };
    case 'GET state':
      return {
        now: world.clock.now(),
        business: world.business,
        portfolio: world.portfolioUsage(),
        wabas: [...world.wabas.values()],
        phone_numbers: [...world.phones.values()].map((p) => ({ ...p, throughput_mps: world.throughputLimit(p) })),
        templates: [...world.templates.values()],
        users: [...world.users.values()],
        webhook_url: world.webhookUrl ?? null,
        token_state: world.tokenState,
        faults: world.faults,
      };
    case 'GET messages': {
      const waId = q.get('wa_id')?.replace(/\D/g, '');
      const limit = Number(q.get('limit') ?? 1000);
      return { data: [...world.messages.values()].filter((m) => !waId || m.wa_id === waId).slice(-limit) };
    }
    case 'GET webhooks': {
      const state = q.get('state') as 'pending' | 'delivered' | 'gave_up' | 'no_url' | null;
      return {
        data: world.webhooks
          .entries({ field: q.get('field') ?? undefined, state: state ?? undefined })
          .map(({ body: b, ...rest }) => ({ ...rest, payload: JSON.parse(b) })),
      };
    }
    case 'POST webhook': {
      const b = parse(z.object({ url: z.string().url().nullable().optional(), app_secret: z.string().min(1).optional() }), body);
      if (b.url !== undefined) world.webhookUrl = b.url ?? undefined;
      if (b.app_secret) world.appSecret = b.app_secret;
      return { webhook_url: world.webhookUrl ?? null };
    }
    case 'POST templates/status': {
      const b = parse(templateKey.extend({ status: z.enum(TEMPLATE_STATUSES), reason: z.enum(REJECTED_REASONS).optional() }), body);
      const t = tpl(b);
      world.setTemplateStatus(t, b.status, b.reason);
      return { id: t.id, status: t.status, quality_score: t.quality_score };
    }
    case 'POST templates/quality': {
      const b = parse(templateKey.extend({ quality: z.enum(QUALITY_SCORES) }), body);
      const t = tpl(b);
      world.setTemplateQuality(t, b.quality);
      return { id: t.id, status: t.status, quality_score: t.quality_score };
    }
    case 'POST templates/category': {
      const b = parse(templateKey.extend({ category: z.enum(TEMPLATE_CATEGORIES) }), body);
      const t = tpl(b);
      world.setTemplateCategory(t, b.category);
      return { id: t.id, category: t.category, previous_category: t.previous_category };
    }
    case 'POST webhooks/send': {
      const b = parse(
        z.object({ field: z.string().regex(/^[a-z_]+$/), value: z.record(z.string(), z.unknown()), waba_id: z.string().optional() }),
        body,
      );
      world.rawWebhook(b.field, b.value, b.waba_id);
      return { ok: true };
    }
    case 'POST templates': {
      const b = parse(z.object({ waba_id: z.string().optional(), template: z.unknown() }), body);
      return { id: world.addTemplate(b.template, b.waba_id) };
    }
    case 'POST messaging-limit': {
      const b = parse(z.object({ limit: z.enum(MESSAGING_LIMITS) }), body);
      world.setMessagingLimit(b.limit);
      return { messaging_limit: world.business.messaging_limit };
    }
    case 'POST faults': {
      const b = parse(faultsSchema, body);
      Object.assign(world.faults, b);
      return world.faults;
    }
    case 'POST inbound': {
      const b = parse(inboundSchema, body);
      try {
        return world.inbound(b);
      } catch (e) {
        throw new HttpError(400, (e as Error).message);
      }
    }
    case 'POST user-preferences': {
      const b = parse(
        z.object({ wa_id: z.string().regex(/^\+?\d{6,15}$/), value: z.enum(['stop', 'resume']), phone_number_id: z.string().optional() }),
        body,
      );
      world.setUserPreference(b.wa_id, b.value, b.phone_number_id);
      return { ok: true };
    }
    case 'POST delivery': {
      // Delivery timings and rates from now on (e.g. quick reads for a demo of the clicked stage).
      const b = parse(scenarioSchema.shape.delivery.unwrap().partial(), body);
      Object.assign(world.scenario.delivery, b);
      return world.scenario.delivery;
    }
    case 'POST clicks': {
      // Click events for read marketing messages with a URL button (sandbox/clicks.ts).
      const b = parse(scenarioSchema.shape.clicks.unwrap().partial(), body);
      Object.assign(world.clicks.settings, b);
      return world.clicks.settings;
    }
    case 'POST users': {
      const b = parse(userSchema, body);
      world.upsertUser(b);
      return { ok: true };
    }
    case 'POST token': {
      const b = parse(z.object({ state: z.enum(['valid', 'expired', 'revoked']) }), body);
      world.tokenState = b.state;
      return { token_state: world.tokenState };
    }
    case 'POST clock/advance': {
      const b = parse(z.object({ ms: z.number().nonnegative() }), body);
      const clock = world.clock as { advance?: (ms: number) => Promise<void> };
      if (typeof clock.advance !== 'function')
        throw new HttpError(409, 'this sandbox runs on a real clock; start it with a FakeClock to advance time');
      await clock.advance(b.ms);
      return { now: world.clock.now() };
    }
  }
  const mm = marketingAdmin(world, route, body) ?? bsuidAdmin(world, route, body);
  if (mm !== undefined) return mm;
  const phoneRoute = /^phone-numbers\/(\d+)$/.exec(path);
  if (phoneRoute && method === 'POST') {
    const b = parse(
      z.object({
        quality_rating: z.enum(PHONE_QUALITY).optional(),
        status: z.enum(PHONE_STATUSES).optional(),
        throughput_level: z.enum(['STANDARD', 'HIGH']).optional(),
      }),
      body,
    );
    try {
      const p = world.setPhone(phoneRoute[1]!, b);
      return { id: p.id, quality_rating: p.quality_rating, status: p.status, throughput: { level: p.throughput_level } };
    } catch (e) {
      throw new HttpError(404, (e as Error).message);
    }
  }
  throw new HttpError(404, `no admin endpoint ${method} /__admin/${path} (GET /__admin/help lists them)`);
}

export const ADMIN_ENDPOINTS = [
  'GET  /__admin/stats — counters (see docs/sandbox.md)',
  'POST /__admin/stats/reset',
  'GET  /__admin/state — business, WABAs, numbers, templates, users, webhook URL, token state, faults',
  'GET  /__admin/messages?wa_id=&limit= — accepted messages with their status history',
  'GET  /__admin/webhooks?field=&state= — webhook deliveries (payload, attempts, last HTTP status)',
  'POST /__admin/webhook {url?, app_secret?}',
  'POST /__admin/templates/status {name, language, status, reason?}',
  'POST /__admin/templates/quality {name, language, quality}',
  'POST /__admin/templates/category {name, language, category} — template_category_update',
  'POST /__admin/templates {template, waba_id?}',
  'GET  /__admin/marketing — Marketing Messages API: terms state, sends per endpoint, endpoint by wamid',
  'POST /__admin/marketing/terms {accepted} — the portfolio accepts the MM API terms (account_update MM_LITE_TERMS_SIGNED)',
  'POST /__admin/marketing/category-notice {name, language, category, in_ms?} — impending template_category_update (correct_category)',
  'POST /__admin/users/bsuids {enabled} — webhooks carry business-scoped user ids (user_id, from_user_id, recipient_user_id)',
  "GET  /__admin/users/user-ids — every user's business-scoped user id (BSUID) and username",
  "POST /__admin/users/user-id {phone} — the user's current BSUID and username",
  'POST /__admin/users/username {phone, username|null} — the user adopts a username: their inbound webhooks carry no phone',
  'POST /__admin/users/parent-user-id {phone, parent_user_id|null} — the user has a parent BSUID (CC.ENT.…, linked portfolios) in their webhooks',
  "POST /__admin/users/user-id-change {phone} — the user's BSUID changes (system message user_changed_user_id)",
  'POST /__admin/webhooks/send {field, value, waba_id?} — any other webhook field, signed and retried like the rest',
  'POST /__admin/messaging-limit {limit}',
  'POST /__admin/phone-numbers/{id} {quality_rating?, status?, throughput_level?}',
  'POST /__admin/faults {error_5xx_rate?, timeout_rate?, drop_rate?, slow_rate?, slow_ms?, timeout_ms?, processed_on_lost_response_rate?}',
  'POST /__admin/inbound {from, kind: text|button|interactive|stop_text|stop_button|preference_stop, text?, payload?, language?: en|he|zh, phone_number_id?, context_wamid?}',
  'POST /__admin/user-preferences {wa_id, value: stop|resume}',
  'POST /__admin/users {phone, undeliverable?, marketing_stopped?, marketing_cap_reached?, experiment_holdout?, offline?, reads?, clicks?, free_entry_point?}',
  'POST /__admin/delivery {sent_delay_ms?, delivered_delay_ms?, read_delay_ms?, read_rate?, …} — delivery timings from now on',
  'POST /__admin/clicks {rate?, delay_ms?, tie_to_message?} — click events (user_actions) for read marketing messages with a URL button',
  'POST /__admin/token {state: valid|expired|revoked}',
  'POST /__admin/clock/advance {ms} — only with an injected FakeClock',
];
