import { GraphError } from './graph-errors';
import type { PhoneState, SandboxWorld, TemplateState, WabaState } from './world';

/**
 * Graph nodes as JSON: each node type's fields, its default field set, and `?fields=` selection
 * (top-level names; a `{…}` sub-selection is accepted and the whole sub-object returned).
 * Asking for a field a node does not have is Graph's error 100 "Tried accessing nonexisting field".
 */

type FieldMap<T> = Record<string, (node: T, world: SandboxWorld) => unknown>;

/** Splits `a,b{c,d},e` into top-level names. */
export function parseFields(fields: string | null | undefined): string[] | undefined {
  if (fields === null || fields === undefined || fields.trim() === '') return undefined;
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of fields) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((f) => f.replace(/\{.*$/s, '').replace(/\..*$/s, '').trim()).filter(Boolean);
}

function project<T>(
  node: T,
  world: SandboxWorld,
  map: FieldMap<T>,
  typeName: string,
  defaults: string[],
  fields: string[] | undefined,
): Record<string, unknown> {
  const wanted = fields ?? defaults;
  const out: Record<string, unknown> = {};
  for (const f of wanted) {
    const get = map[f];
    if (!get)
      throw new GraphError(100, `Tried accessing nonexisting field (${f}) on node type (${typeName})`, {
        message: `(#100) Tried accessing nonexisting field (${f}) on node type (${typeName})`,
      });
    const v = get(node, world);
    if (v !== undefined) out[f] = v;
  }
  if (!('id' in out) && map.id) out.id = map.id(node, world);
  return out;
}

const unix = (ms: number) => Math.floor(ms / 1000);

const phoneMap: FieldMap<PhoneState> = {
  id: (p) => p.id,
  display_phone_number: (p) => p.display_phone_number,
  verified_name: (p) => p.verified_name,
  quality_rating: (p) => p.quality_rating,
  status: (p) => p.status,
  name_status: (p) => p.name_status,
  new_name_status: () => 'NONE',
  code_verification_status: (p) => p.code_verification_status,
  throughput: (p) => ({ level: p.throughput_level }),
  platform_type: (p) => p.platform_type,
  account_mode: (p) => p.account_mode,
  is_official_business_account: (p) => p.is_official_business_account,
  is_pin_enabled: () => false,
  last_onboarded_time: (p) => new Date(p.last_onboarded_time).toISOString().replace(/\.\d{3}Z$/, '+0000'),
  messaging_limit_tier: (_p, w) => w.business.messaging_limit,
  whatsapp_business_manager_messaging_limit: (_p, w) => w.business.messaging_limit,
  webhook_configuration: (p, w) => {
    const url = w.webhookTarget(p.waba_id);
    return url ? { application: url } : {};
  },
  health_status: (p, w) => {
    const waba = w.wabas.get(p.waba_id)!;
    const phoneOk = p.status === 'CONNECTED' || p.status === 'FLAGGED';
    const wabaOk = waba.health === 'ACTIVE';
    const state = (ok: boolean) => (ok ? 'AVAILABLE' : 'BLOCKED');
    return {
      can_send_message: state(phoneOk && wabaOk),
      entities: [
        { entity_type: 'PHONE_NUMBER', id: p.id, can_send_message: state(phoneOk) },
        { entity_type: 'WABA', id: waba.id, can_send_message: state(wabaOk) },
        { entity_type: 'BUSINESS', id: w.business.id, can_send_message: 'AVAILABLE' },
        { entity_type: 'APP', id: w.scenario.credentials.app_id, can_send_message: 'AVAILABLE' },
      ],
    };
  },
};
export const PHONE_DEFAULT_FIELDS = [
  'verified_name',
  'code_verification_status',
  'display_phone_number',
  'quality_rating',
  'platform_type',
  'throughput',
  'last_onboarded_time',
  'id',
];

const wabaMap: FieldMap<WabaState> = {
  id: (w) => w.id,
  name: (w) => w.name,
  currency: (w) => w.currency,
  timezone_id: (w) => w.timezone_id,
  message_template_namespace: (w) => w.message_template_namespace,
  account_review_status: (w) => w.account_review_status,
  business_verification_status: (_w, world) => world.business.verification_status,
  whatsapp_business_manager_messaging_limit: (_w, world) => world.business.messaging_limit,
  owner_business_info: (_w, world) => ({ id: world.business.id, name: world.business.name }),
  health_status: (w, world) => ({
    can_send_message: w.health === 'ACTIVE' ? 'AVAILABLE' : 'BLOCKED',
    entities: [
      { entity_type: 'WABA', id: w.id, can_send_message: w.health === 'ACTIVE' ? 'AVAILABLE' : 'BLOCKED' },
      { entity_type: 'BUSINESS', id: world.business.id, can_send_message: 'AVAILABLE' },
    ],
  }),
  status: (w) => (w.health === 'ACTIVE' ? 'ACTIVE' : w.health),
};
export const WABA_DEFAULT_FIELDS = ['id', 'name', 'timezone_id', 'message_template_namespace'];

const businessMap: FieldMap<SandboxWorld['business']> = {
  id: (b) => b.id,
  name: (b) => b.name,
  verification_status: (b) => b.verification_status,
  whatsapp_business_manager_messaging_limit: (b) => b.messaging_limit,
};
export const BUSINESS_DEFAULT_FIELDS = ['id', 'name'];

const templateMap: FieldMap<TemplateState> = {
  id: (t) => t.id,
  name: (t) => t.name,
  language: (t) => t.language,
  status: (t) => t.status,
  category: (t) => t.category,
  previous_category: (t) => t.previous_category,
  sub_category: (t) => t.sub_category,
  parameter_format: (t) => t.parameter_format,
  components: (t) => t.components,
  message_send_ttl_seconds: (t) => t.message_send_ttl_seconds,
  rejected_reason: (t) => t.rejected_reason ?? 'NONE',
  quality_score: (t) => ({ score: t.quality_score, date: unix(t.last_updated_time) }),
  last_updated_time: (t) => new Date(t.last_updated_time).toISOString().replace(/\.\d{3}Z$/, '+0000'),
};
export const TEMPLATE_DEFAULT_FIELDS = ['name', 'parameter_format', 'components', 'language', 'status', 'category', 'id'];

export const phoneJson = (p: PhoneState, w: SandboxWorld, f?: string[]) =>
  project(p, w, phoneMap, 'WhatsAppBusinessPhoneNumber', PHONE_DEFAULT_FIELDS, f);
export const wabaJson = (x: WabaState, w: SandboxWorld, f?: string[]) =>
  project(x, w, wabaMap, 'WhatsAppBusinessAccount', WABA_DEFAULT_FIELDS, f);
export const businessJson = (w: SandboxWorld, f?: string[]) => project(w.business, w, businessMap, 'Business', BUSINESS_DEFAULT_FIELDS, f);
export const templateJson = (t: TemplateState, w: SandboxWorld, f?: string[]) =>
  project(t, w, templateMap, 'WhatsAppBusinessHSM', TEMPLATE_DEFAULT_FIELDS, f);

/** Standard Graph cursor paging over a list of nodes with ids. */
export function paginate<T extends { id: string }>(
  items: T[],
  query: URLSearchParams,
  selfUrl: string,
  toJson: (item: T) => unknown,
  opts: { defaultLimit?: number; maxLimit?: number } = {},
): { data: unknown[]; paging?: { cursors: { before: string; after: string }; next?: string; previous?: string } } {
  const limitRaw = query.get('limit');
  const limit = limitRaw === null ? (opts.defaultLimit ?? 25) : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1)
    throw new GraphError(100, `limit must be a positive integer, got ${limitRaw}`, {
      message: '(#100) Param limit must be a positive integer',
    });
  const size = Math.min(limit, opts.maxLimit ?? 1000);
  const decode = (c: string): number => {
    const id = Buffer.from(c, 'base64url')
      .toString('utf8')
      .replace(/^cursor:/, '');
    const i = items.findIndex((x) => x.id === id);
    if (i < 0) throw new GraphError(100, `Invalid cursor ${c}`, { message: '(#100) Invalid after or before cursor' });
    return i;
  };
  let start = 0;
  let end: number;
  const after = query.get('after');
  const before = query.get('before');
  if (after) {
    start = decode(after) + 1;
    end = Math.min(items.length, start + size);
  } else if (before) {
    end = decode(before);
    start = Math.max(0, end - size);
  } else end = Math.min(items.length, size);
  const page = items.slice(start, end);
  if (!page.length) return { data: [] };
  const cursor = (x: T) => Buffer.from(`cursor:${x.id}`).toString('base64url');
  const link = (key: 'after' | 'before', value: string) => {
    const q = new URLSearchParams(query);
    q.delete('after');
    q.delete('before');
    q.delete('access_token');
    q.set('limit', String(size));
    q.set(key, value);
    return `${selfUrl}?${q.toString()}`;
  };
  const cursors = { before: cursor(page[0]!), after: cursor(page[page.length - 1]!) };
  return {
    data: page.map(toJson),
    paging: {
      cursors,
      ...(end < items.length ? { next: link('after', cursors.after) } : {}),
      ...(start > 0 ? { previous: link('before', cursors.before) } : {}),
    },
  };
}
