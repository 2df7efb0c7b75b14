import type { Db } from '../db/connection';
import { contactIdByWaId, noteIdentity, placeHold } from '../contacts/holds';
import { contactIdByUserId } from '../contacts/user-ids-store';
import type { Logger } from '../log';
import type { DeliveryStatus, MessageEvent, StatusEvent, UserPreferenceEvent, ValueErrorEvent } from './events';
import type { ScopeStore } from './scope-store';
import type { WebhookRouter } from './router';
import type { ConsentEvidence } from '../../../shared/contract/consent-evidence';

/**
 * The handlers the webhook domain registers itself: the per-wamid status summary, the 24-hour
 * customer-service window, and opt-outs/opt-ins handed to the contacts service through a
 * ConsentSink. Each is a commutative merge, so the final state does not depend on arrival order.
 */

/**
 * Rank of a status in the summary. `failed` outranks `sent` (failed after sent is kept, with its
 * error) but not `delivered`/`read`: proof of delivery wins whatever order the webhooks came in.
 * Read implies delivered.
 */
export const STATUS_RANK: Record<DeliveryStatus, number> = { sent: 1, failed: 2, delivered: 3, read: 4, played: 5 };

export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface MessageStatusRow {
  wamid: string;
  status: DeliveryStatus;
  phone_number_id: string | null;
  recipient_id: string | null;
  recipient_identity_key_hash: string | null;
  biz_opaque_callback_data: string | null;
  sent_at: number | null;
  delivered_at: number | null;
  read_at: number | null;
  failed_at: number | null;
  error_code: number | null;
  error_title: string | null;
  pricing_category: string | null;
  pricing_type: string | null;
  billable: number | null;
  updated_at: number;
}

const rankCase = (col: string) =>
  `CASE ${col} ${Object.entries(STATUS_RANK)
    .map(([s, r]) => `WHEN '${s}' THEN ${r}`)
    .join(' ')} END`;

export function registerStatusSummary(db: Db, router: WebhookRouter): () => void {
  // min() of each timestamp and max() of the rank are commutative: duplicates and any order agree.
  const upsert = db.prepare(`
    INSERT INTO webhook_message_status (wamid, status, phone_number_id, recipient_id, recipient_identity_key_hash,
      biz_opaque_callback_data, sent_at, delivered_at, read_at, failed_at, error_code, error_title,
      pricing_category, pricing_type, billable, updated_at)
    VALUES (@wamid, @status, @phone_number_id, @recipient_id, @recipient_identity_key_hash, @biz_opaque_callback_data,
      @sent_at, @delivered_at, @read_at, @failed_at, @error_code, @error_title, @pricing_category, @pricing_type,
      @billable, @updated_at)
    ON CONFLICT(wamid) DO UPDATE SET
      status = CASE WHEN ${rankCase('excluded.status')} > ${rankCase('status')} THEN excluded.status ELSE status END,
      phone_number_id = coalesce(phone_number_id, excluded.phone_number_id),
      recipient_id = coalesce(recipient_id, excluded.recipient_id),
      recipient_identity_key_hash = coalesce(recipient_identity_key_hash, excluded.recipient_identity_key_hash),
      biz_opaque_callback_data = coalesce(biz_opaque_callback_data, excluded.biz_opaque_callback_data),
      sent_at = min(coalesce(sent_at, excluded.sent_at), coalesce(excluded.sent_at, sent_at)),
      delivered_at = min(coalesce(delivered_at, excluded.delivered_at), coalesce(excluded.delivered_at, delivered_at)),
      read_at = min(coalesce(read_at, excluded.read_at), coalesce(excluded.read_at, read_at)),
      failed_at = min(coalesce(failed_at, excluded.failed_at), coalesce(excluded.failed_at, failed_at)),
      error_code = coalesce(min(error_code, excluded.error_code), error_code, excluded.error_code),
      error_title = CASE WHEN excluded.error_code IS NOT NULL AND (error_code IS NULL OR excluded.error_code < error_code)
        THEN excluded.error_title ELSE error_title END,
      pricing_category = coalesce(pricing_category, excluded.pricing_category),
      pricing_type = coalesce(pricing_type, excluded.pricing_type),
      billable = coalesce(billable, excluded.billable),
      updated_at = max(updated_at, excluded.updated_at)
  `);
  return router.on(
    'status',
    (ev: StatusEvent) => {
      const err = ev.errors[0];
      upsert.run({
        wamid: ev.wamid,
        status: ev.status,
        phone_number_id: ev.phoneNumberId,
        recipient_id: ev.recipientId,
        recipient_identity_key_hash: ev.recipientIdentityKeyHash,
        biz_opaque_callback_data: ev.bizOpaqueCallbackData,
        sent_at: ev.status === 'sent' ? ev.timestamp : null,
        delivered_at: ev.status === 'delivered' ? ev.timestamp : null,
        read_at: ev.status === 'read' || ev.status === 'played' ? ev.timestamp : null,
        failed_at: ev.status === 'failed' ? ev.timestamp : null,
        error_code: err ? err.code : null,
        error_title: err ? (err.title ?? err.message) : null,
        pricing_category: ev.pricing?.category ?? null,
        pricing_type: ev.pricing?.type ?? null,
        billable: ev.pricing?.billable === null || ev.pricing?.billable === undefined ? null : ev.pricing.billable ? 1 : 0,
        updated_at: ev.timestamp,
      });
    },
    { name: 'webhooks:status-summary' },
  );
}

/** Messages that are not a person writing (a number change notice) do not open the window. */
const opensWindow = (ev: MessageEvent) => ev.kind !== 'system';

export function registerServiceWindow(db: Db, router: WebhookRouter): () => void {
  const upsert = db.prepare(`
    INSERT INTO webhook_contact_window (wa_id, last_inbound_at, last_message_id, window_expires_at)
    VALUES (?, ?, ?, ?)
    ON CONFLICT(wa_id) DO UPDATE SET
      last_message_id = CASE WHEN excluded.last_inbound_at > last_inbound_at
        OR (excluded.last_inbound_at = last_inbound_at AND excluded.last_message_id > last_message_id)
        THEN excluded.last_message_id ELSE last_message_id END,
      last_inbound_at = max(last_inbound_at, excluded.last_inbound_at),
      window_expires_at = max(window_expires_at, excluded.window_expires_at)
  `);
  return router.on(
    'message',
    (ev) => {
      // A phone-less message (username, BSUID only) has no wa_id to key the window by.
      if (!opensWindow(ev) || !ev.from) return;
      upsert.run(ev.from, ev.timestamp, ev.id, ev.timestamp + CUSTOMER_SERVICE_WINDOW_MS);
    },
    { name: 'webhooks:service-window' },
  );
}

export interface ServiceWindow {
  waId: string;
  lastInboundAt: number;
  lastMessageId: string;
  expiresAt: number;
  open: boolean;
}

/** The contact's 24-hour customer-service window (campaigns read it). `phone` in E.164 or wa_id digits. */
export function serviceWindow(db: Db, phone: string, now: number): ServiceWindow | null {
  const waId = phone.replace(/^\+/, '');
  const r = db
    .prepare(`SELECT wa_id, last_inbound_at, last_message_id, window_expires_at FROM webhook_contact_window WHERE wa_id = ?`)
    .get(waId) as { wa_id: string; last_inbound_at: number; last_message_id: string; window_expires_at: number } | undefined;
  if (!r) return null;
  return {
    waId: r.wa_id,
    lastInboundAt: r.last_inbound_at,
    lastMessageId: r.last_message_id,
    expiresAt: r.window_expires_at,
    open: now < r.window_expires_at,
  };
}

/**
 * One opt-out or opt-in to record, with its evidence. `phone` is E.164, or null when the webhook
 * withheld it: then `userId` (the business-scoped user id) says who it is (contacts/user-ids.ts).
 */
export interface ConsentChange {
  phone: string | null;
  userId?: string | null;
  parentUserId?: string | null;
  username?: string | null;
  profileName?: string | null;
  category: 'marketing';
  status: 'opted_out' | 'opted_in';
  source: 'keyword' | 'button' | 'meta_preference';
  /** When the person acted (the webhook's timestamp, ms), not when we processed it. */
  at: number;
  actor: string;
  /** What it rests on (a code with parameters; the sink adds when and which event). */
  evidence: ConsentEvidence;
  /** Stable id of the webhook event: lets the sink ignore a repeat. */
  eventKey: string;
}

/**
 * Where opt-outs go: the contacts service (append-only consent history). Must be idempotent per
 * eventKey and order-aware by `at` (a late-arriving older "stop" must not override a newer "resume":
 * contacts/consent.ts decides by `at` and keeps the older one as history).
 */
export interface ConsentSink {
  record(change: ConsentChange): void | Promise<void>;
}

export function registerConsent(router: WebhookRouter, sink: () => ConsentSink | null): (() => void)[] {
  const need = (): ConsentSink => {
    const s = sink();
    // Thrown, not skipped: the inbox row stays pending and is retried, so no opt-out is lost.
    if (!s) throw new Error('no consent sink is wired (contacts service missing); the opt-out will be retried');
    return s;
  };
  const onMessage = router.on(
    'message',
    async (ev: MessageEvent) => {
      if (!ev.optOut) return;
      const evidence: ConsentEvidence =
        ev.optOut.source === 'keyword'
          ? { code: 'stop_keyword', params: { keyword: ev.text ?? '', message: ev.id } }
          : {
              code: 'button',
              params: {
                label: ev.button?.text ?? ev.interactive?.title ?? '',
                payload: ev.button?.payload ?? ev.interactive?.id ?? '',
                message: ev.id,
                ...(ev.context?.id ? { replyTo: ev.context.id } : {}),
              },
            };
      await need().record({
        phone: ev.from ? `+${ev.from}` : null,
        userId: ev.userId,
        parentUserId: ev.parentUserId,
        username: ev.username,
        profileName: ev.profileName,
        category: 'marketing',
        status: 'opted_out',
        source: ev.optOut.source,
        at: ev.timestamp,
        actor: 'webhook',
        evidence,
        eventKey: ev.key,
      });
    },
    { name: 'webhooks:opt-out' },
  );
  const onPref = router.on(
    'user_preferences',
    async (ev: UserPreferenceEvent) => {
      if (ev.category !== 'marketing_messages' || (ev.value !== 'stop' && ev.value !== 'resume')) return;
      // No check for newer events here: the consent ledger orders by `at` (the person's action
      // time) across keywords, buttons and preferences, and keeps an older one as history only.
      await need().record({
        phone: ev.waId ? `+${ev.waId}` : null,
        userId: ev.userId,
        parentUserId: ev.parentUserId,
        username: ev.username,
        profileName: ev.profileName,
        category: 'marketing',
        status: ev.value === 'stop' ? 'opted_out' : 'opted_in',
        source: 'meta_preference',
        at: ev.timestamp,
        actor: 'webhook',
        evidence: { code: 'meta_preference', params: { value: ev.value, ...(ev.detail ? { detail: ev.detail } : {}) } },
        eventKey: ev.key,
      });
    },
    { name: 'webhooks:user-preferences' },
  );
  return [onMessage, onPref];
}

/**
 * Numbers that changed hands: a `user_changed_number` system message from a contact's number, or
 * a status whose `recipient_identity_key_hash` differs from the last one seen for that recipient,
 * holds the contact from further sends until the marketer confirms it (contacts:confirm-number).
 * The first hash seen is only stored. Numbers not in contacts are ignored.
 */
export function registerNumberChangeHolds(db: Db, router: WebhookRouter): (() => void)[] {
  // The contacts tables (migration 0006) exist in every core; a webhook-only database has none.
  let ready: boolean | null = null;
  const contactsReady = () =>
    (ready ??= db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'contact_holds'").get() !== undefined);
  const onMessage = router.on(
    'message',
    (ev: MessageEvent) => {
      if (ev.kind !== 'system' || ev.system?.type !== 'user_changed_number' || !contactsReady()) return;
      // By the old number, or — when the webhook withheld it — by the business-scoped user id.
      const id = (ev.from ? contactIdByWaId(db, ev.from) : null) ?? contactIdByUserId(db, ev.userId, ev.parentUserId);
      if (id === null) return;
      const detail = `system message user_changed_number${ev.system.body ? ` "${ev.system.body}"` : ''}${ev.system.newWaId ? ` (new WhatsApp id ${ev.system.newWaId})` : ''} — message ${ev.id}, ${new Date(ev.timestamp).toISOString()}`;
      placeHold(db, { contactId: id, reason: 'user_changed_number', detail, at: ev.timestamp });
    },
    { name: 'webhooks:number-changed' },
  );
  const onStatus = router.on(
    'status',
    (ev: StatusEvent) => {
      if (!ev.recipientIdentityKeyHash || (!ev.recipientId && !ev.recipientUserId) || !contactsReady()) return;
      const id =
        (ev.recipientId ? contactIdByWaId(db, ev.recipientId) : null) ??
        contactIdByUserId(db, ev.recipientUserId ?? null, ev.recipientParentUserId ?? null);
      if (id === null) return;
      noteIdentity(
        db,
        id,
        ev.recipientIdentityKeyHash,
        ev.timestamp,
        `status ${ev.status} of ${ev.wamid}, ${new Date(ev.timestamp).toISOString()}`,
      );
    },
    { name: 'webhooks:identity-key' },
  );
  return [onMessage, onStatus];
}

/**
 * Value-level `errors` (Meta's out-of-band errors about the number, the WABA or the app): each is
 * kept in the audit log and logged, so Settings can show how many came and the last one, instead
 * of the change being dropped as an event without statuses or messages.
 */
export function registerValueErrors(store: ScopeStore, router: WebhookRouter, log: Logger, now: () => number): () => void {
  return router.on(
    'value_error',
    (ev: ValueErrorEvent) => {
      store.recordValueErrors(ev, ev.time ?? now());
      log.warn('webhook value error', {
        field: ev.field,
        wabaId: ev.wabaId,
        phoneNumberId: ev.phoneNumberId,
        errors: ev.errors.map((e) => `${e.code} ${e.title ?? e.message ?? ''}`.trim()),
      });
    },
    { name: 'webhooks:value-errors' },
  );
}
