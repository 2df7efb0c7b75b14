import crypto from 'node:crypto';
import type {
  ClickEvent,
  DeliveryStatus,
  EventOrigin,
  ManagementEvent,
  ManagementType,
  MessageEvent,
  StatusError,
  StatusEvent,
  UserPreferenceEvent,
  ValueErrorEvent,
  WebhookEvent,
} from './events';
import type { OptOutMatcher } from './stop-keywords';

export const WABA_OBJECT = 'whatsapp_business_account';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** Meta sends unix seconds, usually as a string. */
const seconds = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n * 1000 : null;
};
const hash = (v: unknown) => crypto.createHash('sha256').update(JSON.stringify(v)).digest('base64url').slice(0, 22);

const STATUSES: readonly DeliveryStatus[] = ['sent', 'delivered', 'read', 'played', 'failed'];

/** What went wrong with a body, as a code the receiver answers with. */
export class PayloadError extends Error {
  constructor(
    readonly reason: 'not_json' | 'wrong_object' | 'no_entries',
    message: string,
  ) {
    super(message);
  }
}

/** Parses and checks the envelope only: the receiver refuses anything that is not a WABA webhook. */
export function parseEnvelope(raw: Buffer | string): { entry: unknown[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    throw new PayloadError('not_json', 'Body is not JSON');
  }
  if (!isObj(doc)) throw new PayloadError('not_json', 'Body is not a JSON object');
  if (doc.object !== WABA_OBJECT)
    throw new PayloadError('wrong_object', `object must be "${WABA_OBJECT}", got ${JSON.stringify(doc.object ?? null)}`);
  if (!Array.isArray(doc.entry)) throw new PayloadError('no_entries', 'entry must be an array');
  return { entry: doc.entry };
}

const MANAGEMENT_FIELDS: Record<string, ManagementType> = {
  message_template_status_update: 'template_status',
  message_template_quality_update: 'template_quality',
  template_category_update: 'template_category',
  message_template_components_update: 'template_components',
  phone_number_quality_update: 'phone_quality',
  business_capability_update: 'business_capability',
  account_update: 'account_update',
  account_alerts: 'account_alerts',
};

/**
 * Meta's 2025 example put quality updates under the status-update field: route on the value's
 * shape as well as the field name.
 */
function managementType(field: string, value: Obj): ManagementType {
  if (field === 'message_template_status_update' && 'new_quality_score' in value && !('event' in value)) return 'template_quality';
  return MANAGEMENT_FIELDS[field] ?? 'other';
}

export interface ParseOptions {
  optOut: OptOutMatcher;
}

/** Turns an envelope into typed events. Unknown shapes are skipped, never thrown on. */
export function parseEvents(raw: Buffer | string, opts: ParseOptions): WebhookEvent[] {
  const { entry } = parseEnvelope(raw);
  const out: WebhookEvent[] = [];
  for (const e of entry) {
    if (!isObj(e)) continue;
    const wabaId = str(e.id) ?? '';
    const time = seconds(e.time);
    for (const change of arr(e.changes)) {
      if (!isObj(change) || !isObj(change.value)) continue;
      const field = str(change.field) ?? '';
      const value = change.value;
      const metadata = isObj(value.metadata) ? value.metadata : {};
      const origin: EventOrigin = {
        wabaId,
        phoneNumberId: str(metadata.phone_number_id),
        displayPhoneNumber: str(metadata.display_phone_number),
      };
      const valueErrors = parseValueErrors(field, value, origin, time);
      if (valueErrors) out.push(valueErrors);
      if (field === 'messages') {
        const contacts = arr(value.contacts).filter(isObj);
        for (const s of arr(value.statuses)) {
          const ev = parseStatus(s, origin, contacts);
          if (ev) out.push(ev);
        }
        for (const m of arr(value.messages)) {
          const ev = parseMessage(m, origin, contacts, opts.optOut);
          if (ev) out.push(ev);
        }
        for (const a of arr(value.user_actions)) {
          const ev = parseUserAction(a, origin);
          if (ev) out.push(ev);
        }
      } else if (field === 'user_preferences') {
        const contacts = arr(value.contacts).filter(isObj);
        for (const p of arr(value.user_preferences)) {
          const ev = parseUserPreference(p, origin, contacts);
          if (ev) out.push(ev);
        }
      } else {
        const type = managementType(field, value);
        const ev: ManagementEvent = {
          ...origin,
          type,
          key: `${field}:${wabaId}:${time ?? ''}:${hash(value)}`,
          field,
          time,
          event: str(value.event),
          value,
        };
        out.push(ev);
      }
    }
  }
  return out;
}

function parseErrors(list: unknown): StatusError[] {
  return arr(list)
    .filter(isObj)
    .map((err) => ({
      code: typeof err.code === 'number' ? err.code : Number(err.code ?? 0),
      title: str(err.title),
      message: str(err.message),
      details: isObj(err.error_data) ? str(err.error_data.details) : null,
      href: str(err.href),
    }));
}

/**
 * `value.errors` (outside statuses): recorded, never dropped. Keyed by their content and the
 * entry's time, so Meta's retry of the same body is counted once.
 */
function parseValueErrors(field: string, value: Obj, origin: EventOrigin, time: number | null): ValueErrorEvent | null {
  const errors = parseErrors(value.errors);
  if (!errors.length) return null;
  return {
    ...origin,
    type: 'value_error',
    key: `value_error:${field}:${origin.wabaId}:${origin.phoneNumberId ?? ''}:${time ?? ''}:${hash(value.errors)}`,
    field,
    time,
    errors,
  };
}

/** The `contacts[]` entry of a person, by phone or business-scoped user id. */
function contactFor(contacts: Obj[], waId: string | null, userId: string | null): Obj | undefined {
  return contacts.find((c) => (waId !== null && str(c.wa_id) === waId) || (userId !== null && str(c.user_id) === userId));
}

const usernameOf = (c: Obj | undefined): string | null =>
  (c && isObj(c.profile) ? str(c.profile.username) : null) ?? (c ? str(c.username) : null);

function parseStatus(s: unknown, origin: EventOrigin, contacts: Obj[] = []): StatusEvent | null {
  if (!isObj(s)) return null;
  const wamid = str(s.id);
  const status = str(s.status);
  const timestamp = seconds(s.timestamp);
  if (!wamid || !status || !STATUSES.includes(status as DeliveryStatus) || timestamp === null) return null;
  const pricing = isObj(s.pricing) ? s.pricing : null;
  const conversation = isObj(s.conversation) ? s.conversation : null;
  const errors = parseErrors(s.errors);
  return {
    ...origin,
    type: 'status',
    key: `status:${wamid}:${status}:${timestamp / 1000}`,
    wamid,
    status: status as DeliveryStatus,
    timestamp,
    recipientId: str(s.recipient_id),
    recipientType: str(s.recipient_type),
    recipientIdentityKeyHash: str(s.recipient_identity_key_hash),
    ...statusUser(s, contacts),
    bizOpaqueCallbackData: str(s.biz_opaque_callback_data),
    pricing: pricing
      ? {
          billable: typeof pricing.billable === 'boolean' ? pricing.billable : null,
          model: str(pricing.pricing_model),
          type: str(pricing.type),
          category: str(pricing.category),
        }
      : null,
    conversation: conversation
      ? {
          id: str(conversation.id),
          originType: isObj(conversation.origin) ? str(conversation.origin.type) : null,
          expiresAt: seconds(conversation.expiration_timestamp),
        }
      : null,
    errors,
  };
}

function statusUser(s: Obj, contacts: Obj[]): Pick<StatusEvent, 'recipientUserId' | 'recipientParentUserId' | 'username'> {
  const c = contactFor(contacts, str(s.recipient_id), str(s.recipient_user_id));
  return {
    recipientUserId: str(s.recipient_user_id) ?? (c ? str(c.user_id) : null),
    recipientParentUserId: str(s.recipient_parent_user_id) ?? (c ? str(c.parent_user_id) : null),
    username: usernameOf(c),
  };
}

function parseMessage(m: unknown, origin: EventOrigin, contacts: Obj[], optOut: OptOutMatcher): MessageEvent | null {
  if (!isObj(m)) return null;
  const id = str(m.id);
  const from = str(m.from);
  const timestamp = seconds(m.timestamp);
  const kind = str(m.type) ?? 'unknown';
  // Since 2026 a user with a username may come without a phone: the business-scoped id stands in.
  const fromUserId = str(m.from_user_id);
  const contact = contactFor(contacts, from, fromUserId) ?? (contacts.length === 1 || (from && !fromUserId) ? contacts[0] : undefined);
  const userId = fromUserId ?? (contact ? str(contact.user_id) : null);
  if (!id || (!from && !userId) || timestamp === null) return null;
  const profileName = contact && isObj(contact.profile) ? str(contact.profile.name) : null;
  const text = isObj(m.text) ? str(m.text.body) : null;
  const button = isObj(m.button) ? { payload: str(m.button.payload), text: str(m.button.text) } : null;
  let interactive: MessageEvent['interactive'] = null;
  if (isObj(m.interactive)) {
    const iType = str(m.interactive.type) ?? 'unknown';
    const reply = m.interactive[iType];
    interactive = { kind: iType, id: isObj(reply) ? str(reply.id) : null, title: isObj(reply) ? str(reply.title) : null };
  }
  const system = isObj(m.system)
    ? {
        type: str(m.system.type),
        body: str(m.system.body),
        newWaId: str(m.system.wa_id) ?? str(m.system.new_wa_id),
        // user_changed_user_id (Meta "System messages webhook reference", 2026-08-11): the new BSUID.
        newUserId: str(m.system.user_id),
        newParentUserId: str(m.system.parent_user_id),
        previousUserId: str(m.system.previous_user_id),
      }
    : null;
  const context = isObj(m.context) ? { from: str(m.context.from), id: str(m.context.id) } : null;

  let intent: MessageEvent['optOut'] = null;
  const kw = kind === 'text' ? optOut.keyword(text) : null;
  if (kw) intent = { source: 'keyword', matched: kw };
  const btn = button ? optOut.button(button.payload, button.text) : interactive ? optOut.button(interactive.id, interactive.title) : null;
  if (btn) intent = { source: 'button', matched: btn };

  return {
    ...origin,
    type: 'message',
    key: `message:${id}`,
    id,
    from,
    userId,
    parentUserId: str(m.from_parent_user_id) ?? (contact ? str(contact.parent_user_id) : null),
    username: usernameOf(contact),
    profileName,
    timestamp,
    kind,
    text,
    button,
    interactive,
    system,
    context,
    optOut: intent,
  };
}

function parseUserPreference(p: unknown, origin: EventOrigin, contacts: Obj[] = []): UserPreferenceEvent | null {
  if (!isObj(p)) return null;
  const waId = str(p.wa_id);
  const c = contactFor(contacts, waId, str(p.user_id)) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const userId = str(p.user_id) ?? (c ? str(c.user_id) : null);
  const value = str(p.value);
  const timestamp = seconds(p.timestamp);
  if ((!waId && !userId) || !value || timestamp === null) return null;
  const category = str(p.category) ?? 'marketing_messages';
  return {
    ...origin,
    type: 'user_preferences',
    // The phone keeps the key it always had (a replayed old body is still a duplicate).
    key: `user_preferences:${waId ?? userId}:${category}:${value}:${timestamp / 1000}`,
    waId,
    userId,
    parentUserId: str(p.parent_user_id) ?? (c ? str(c.parent_user_id) : null),
    username: usernameOf(c),
    profileName: c && isObj(c.profile) ? str(c.profile.name) : null,
    category,
    value,
    detail: str(p.detail),
    timestamp,
  };
}

/**
 * `value.user_actions[]` (Meta "Tracking click events"): `{action_type, timestamp,
 * marketing_messages_link_click_data: {click_component, click_id, product_id, tracking_token}}`.
 * The key is the click id when Meta gives one (each click has its own), else the content.
 */
function parseUserAction(a: unknown, origin: EventOrigin): ClickEvent | null {
  if (!isObj(a)) return null;
  const actionType = str(a.action_type);
  if (!actionType) return null;
  const timestamp = seconds(a.timestamp);
  if (timestamp === null) return null;
  const data = isObj(a.marketing_messages_link_click_data) ? a.marketing_messages_link_click_data : {};
  const context = isObj(a.context) ? a.context : {};
  const clickId = str(data.click_id);
  return {
    ...origin,
    type: 'click',
    key: `click:${origin.phoneNumberId ?? origin.wabaId}:${clickId ?? `${timestamp}:${hash(a)}`}`,
    actionType,
    timestamp,
    component: str(data.click_component),
    clickId,
    productId: str(data.product_id),
    trackingToken: str(data.tracking_token),
    wamid: str(context.id) ?? str(a.message_id),
    recipientId: str(a.from) ?? str(a.wa_id) ?? str(a.user_id),
  };
}
