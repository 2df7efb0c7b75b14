/**
 * What Meta's management webhooks change on the account: a number's quality, throughput and limit,
 * the portfolio's messaging limit, a ban or its lifting. AccountService's apply* methods call these
 * (the router subscription is made by compose.ts through webhook-appliers.ts).
 */
import type { Logger } from '../log';
import { displayToE164, normalizeLimit } from '../whatsapp/normalize';
import type { AccountStore, NumberRow } from './store';

/** One management webhook's change, as the router hands it over. */
export interface ManagementEventLike {
  wabaId: string;
  time: number | null;
  event: string | null;
  value: Record<string, unknown>;
}

export interface ManagementEventTarget {
  store: AccountStore;
  now(): number;
  log: Logger;
  /** The account changed: emit 'account:changed'. */
  changed(): void;
}

/** phone_number_quality_update: throughput upgrades, legacy limit/quality events. */
export function applyPhoneNumberQuality(t: ManagementEventTarget, ev: ManagementEventLike): void {
  const v = ev.value;
  const limit = normalizeLimit(v.max_daily_conversations_per_business ?? v.current_limit);
  const at = ev.time ?? t.now();
  if (limit !== 'UNKNOWN') t.store.recordPortfolioLimit(limit, at, 'webhook');
  const display = displayToE164(typeof v.display_phone_number === 'string' ? v.display_phone_number : '');
  const row = t.store.numbers().find((n) => n.display_phone_number === display);
  if (row) {
    const event = String(ev.event ?? v.event ?? '').toUpperCase();
    const next: NumberRow = { ...row, updated_at: at };
    if (event === 'THROUGHPUT_UPGRADE') next.throughput = 'HIGH';
    if (event === 'FLAGGED') next.quality_rating = 'RED';
    if (limit !== 'UNKNOWN') next.messaging_limit = limit;
    t.store.upsertNumber(next, at);
  }
  t.changed();
}

/** business_capability_update: the portfolio's new limit (integer or TIER_* string). */
export function applyBusinessCapability(t: ManagementEventTarget, ev: ManagementEventLike): void {
  const v = ev.value;
  const limit = normalizeLimit(v.max_daily_conversations_per_business ?? v.max_daily_conversation_per_phone);
  if (limit === 'UNKNOWN') return;
  t.store.recordPortfolioLimit(limit, ev.time ?? t.now(), 'webhook');
  t.log.info('portfolio messaging limit changed', { limit });
  t.changed();
}

/** account_update: bans and violations restrict sending until reinstated. */
export function applyAccountRestriction(t: ManagementEventTarget, ev: ManagementEventLike): void {
  const v = ev.value;
  const event = String(ev.event ?? v.event ?? '').toUpperCase();
  const banState = String((v.ban_info as { waba_ban_state?: string } | undefined)?.waba_ban_state ?? '').toUpperCase();
  const at = ev.time ?? t.now();
  if (event === 'DISABLED_UPDATE' && banState === 'REINSTATE') t.store.setRestriction(null);
  else if ((event === 'DISABLED_UPDATE' && banState === 'DISABLE') || event === 'ACCOUNT_DELETED')
    t.store.setRestriction({ event: `${event}:${banState}`, at });
  else return;
  t.log.warn('account update', { event, banState });
  t.changed();
}
