/**
 * Which webhook events are this Pacer's. Meta delivers the events of every WABA and number the
 * app is subscribed to, so an event for another account (another WABA, or a number that is not
 * ours) must not move our limit, templates, ledger or consent: it is kept in the inbox and ignored
 * visibly (inbox note, counts, a log line per foreign id). The rule, in one place before routing:
 *
 * - Connected: an event is ours when `entry.id` is the connection's WABA (any number of that WABA:
 *   Meta names the number's owning WABA there, so a number we have not listed yet is still ours).
 *   An entry without an id is judged by `metadata.phone_number_id`: ours only when it is a number
 *   the account knows in our WABA.
 * - Not connected: account and template events (management fields) are ignored (`no_account`):
 *   there is no account to apply them to, and connecting reads the account and templates afresh.
 *   Statuses, messages, preferences and value errors are still handled: they can only concern the
 *   numbers this Pacer used before (a disconnect keeps the ledger and contacts), and dropping a
 *   STOP is worse than honouring one.
 */
import type { WebhookIgnoreReason } from '../../../shared/contract/webhooks';
import type { Clock } from '../clock';
import type { WebhookEvent } from './events';

export interface AccountScope {
  /** The connection's WABA id. */
  wabaId: string;
  /** The connection's default number (the webhook self-test speaks as it). */
  defaultNumberId: string;
  /** Numbers the account knows in that WABA, the default included. */
  numbers: ReadonlySet<string>;
}

export type IgnoreReason = WebhookIgnoreReason;
export const IGNORE_REASONS: readonly IgnoreReason[] = ['foreign_waba', 'foreign_number', 'no_account'];

export interface Ignored {
  reason: IgnoreReason;
  /** The WABA or number id the event was for ('' when the envelope named none). */
  id: string;
}

/** Answers why an event is not ours, or null when it is. */
export type ScopeCheck = (ev: WebhookEvent) => Ignored | null;

const MESSAGE_LEVEL = new Set<WebhookEvent['type']>(['status', 'message', 'user_preferences', 'click', 'value_error']);

export function outOfScope(ev: WebhookEvent, scope: AccountScope | null): Ignored | null {
  if (!scope) return MESSAGE_LEVEL.has(ev.type) ? null : { reason: 'no_account', id: ev.wabaId };
  if (ev.wabaId === scope.wabaId) return null;
  if (ev.wabaId) return { reason: 'foreign_waba', id: ev.wabaId };
  if (ev.phoneNumberId) return scope.numbers.has(ev.phoneNumberId) ? null : { reason: 'foreign_number', id: ev.phoneNumberId };
  return { reason: 'foreign_waba', id: '' };
}

/**
 * The connection's ids, cached: the processor asks once per batch (thousands of events a second),
 * the account domain invalidates on connect/refresh/disconnect, and a short time-to-live catches
 * a change made by another process on the same database (a CLI `account connect`).
 */
export class ScopeCache {
  private cached: { scope: AccountScope | null; at: number } | null = null;

  constructor(
    private readonly load: () => AccountScope | null,
    private readonly clock: Clock,
    private readonly ttlMs = 5_000,
  ) {}

  current(): AccountScope | null {
    const now = this.clock.now();
    if (!this.cached || now - this.cached.at >= this.ttlMs || now < this.cached.at) this.cached = { scope: this.load(), at: now };
    return this.cached.scope;
  }

  invalidate(): void {
    this.cached = null;
  }

  /** The check for one batch: the scope is read once, each event costs a comparison or two. */
  check(): ScopeCheck {
    const scope = this.current();
    return (ev) => outOfScope(ev, scope);
  }
}
