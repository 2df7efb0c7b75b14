import type { WebhookStats } from './webhooks';

/**
 * What the sandbox counts, for `pacer sandbox` users and for other engineers' tests.
 *
 * Duplicate definitions (both count accepted sends only):
 * - `duplicates.same_callback_data`: a send to a recipient that already got an accepted send with
 *   the same non-empty `biz_opaque_callback_data` (a campaign row sent twice).
 * - `duplicates.same_template_24h`: a send of a template (by name, any language) to a recipient
 *   that already received that template in the previous 24 hours (sandbox clock).
 */
export interface RecipientStats {
  accepted: number;
  rejected: number;
  failed_async: number;
  templates: Record<string, number>;
  first_at: number;
  last_at: number;
}

export interface PortfolioViolation {
  at: number;
  wa_id: string;
  phone_number_id: string;
  wamid: string;
  /** Unique recipients in the moving 24 h, including this one. */
  unique_recipients_24h: number;
  limit: number;
}

export interface DuplicateItem {
  wa_id: string;
  kind: 'same_callback_data' | 'same_template_24h';
  key: string;
  count: number;
}

export interface SandboxStats {
  started_at: number;
  now: number;
  requests: { total: number; send: number; management: number; admin: number };
  sends: { attempted: number; accepted: number; rejected: number; held_for_quality_assessment: number };
  per_recipient: Record<string, RecipientStats>;
  duplicates: { same_callback_data: number; same_template_24h: number; items: DuplicateItem[] };
  limits: {
    throughput_rejections: number;
    pair_rate_rejections: number;
    portfolio_violations: number;
    portfolio_violation_items: PortfolioViolation[];
    marketing_cap_failures: number;
    management_rate_rejections: number;
  };
  /** Highest accepted sends in any sliding 1-second window, per phone number id. */
  max_mps: Record<string, number>;
  errors_by_code: { sync: Record<string, number>; async: Record<string, number> };
  statuses: { sent: number; delivered: number; read: number; failed: number };
  webhooks: WebhookStats;
  portfolio: { messaging_limit: string; limit: number | null; unique_recipients_24h: number; remaining_24h: number | null };
  faults: { error_5xx: number; timeouts: number; drops: number; slow: number };
}

const VIOLATION_ITEMS_LIMIT = 10_000;
const DAY = 24 * 3600_000;

/**
 * What is kept per recipient: the public counts plus what the duplicate checks need, in one
 * object (a long run has one per recipient, so no per-send keys or arrays).
 */
interface RecipientRecord extends RecipientStats {
  /** Last accepted send time per template name (same_template_24h). */
  templateAt: Record<string, number>;
  /** Callback data of accepted sends: one value, or a set once there are several. */
  callbacks: string | Set<string> | undefined;
}

export class StatsCollector {
  requests = { total: 0, send: 0, management: 0, admin: 0 };
  sends = { attempted: 0, accepted: 0, rejected: 0, held_for_quality_assessment: 0 };
  perRecipient = new Map<string, RecipientRecord>();
  duplicates = { same_callback_data: 0, same_template_24h: 0 };
  private duplicateItems = new Map<string, DuplicateItem>();
  limits = {
    throughput_rejections: 0,
    pair_rate_rejections: 0,
    portfolio_violations: 0,
    marketing_cap_failures: 0,
    management_rate_rejections: 0,
  };
  violations: PortfolioViolation[] = [];
  syncErrors = new Map<number, number>();
  asyncErrors = new Map<number, number>();
  statuses = { sent: 0, delivered: 0, read: 0, failed: 0 };
  faults = { error_5xx: 0, timeouts: 0, drops: 0, slow: 0 };

  constructor(public startedAt: number) {}

  recipient(waId: string, now: number): RecipientRecord {
    let r = this.perRecipient.get(waId);
    if (!r) {
      r = { accepted: 0, rejected: 0, failed_async: 0, templates: {}, first_at: now, last_at: now, templateAt: {}, callbacks: undefined };
      this.perRecipient.set(waId, r);
    }
    r.last_at = now;
    return r;
  }

  syncError(code: number, waId: string | undefined, now: number): void {
    this.syncErrors.set(code, (this.syncErrors.get(code) ?? 0) + 1);
    if (waId) this.recipient(waId, now).rejected++;
  }

  asyncError(code: number, waId: string, now: number): void {
    this.asyncErrors.set(code, (this.asyncErrors.get(code) ?? 0) + 1);
    this.recipient(waId, now).failed_async++;
  }

  private bumpDuplicate(waId: string, kind: DuplicateItem['kind'], key: string): void {
    this.duplicates[kind]++;
    const id = `${kind}\u0000${waId}\u0000${key}`;
    const item = this.duplicateItems.get(id) ?? { wa_id: waId, kind, key, count: 1 };
    item.count++;
    this.duplicateItems.set(id, item);
  }

  accepted(
    waId: string,
    templateName: string | undefined,
    language: string | undefined,
    callbackData: string | undefined,
    now: number,
  ): void {
    this.sends.accepted++;
    const r = this.recipient(waId, now);
    r.accepted++;
    if (templateName) {
      const k = `${templateName}/${language}`;
      r.templates[k] = (r.templates[k] ?? 0) + 1;
      const last = r.templateAt[templateName];
      if (last !== undefined && last > now - DAY) this.bumpDuplicate(waId, 'same_template_24h', templateName);
      r.templateAt[templateName] = now;
    }
    if (callbackData) {
      const seen = r.callbacks;
      if (seen === callbackData || (seen instanceof Set && seen.has(callbackData)))
        this.bumpDuplicate(waId, 'same_callback_data', callbackData);
      else if (seen === undefined) r.callbacks = callbackData;
      else if (typeof seen === 'string') r.callbacks = new Set([seen, callbackData]);
      else seen.add(callbackData);
    }
  }

  violation(v: PortfolioViolation): void {
    this.limits.portfolio_violations++;
    this.violations.push(v);
    if (this.violations.length > VIOLATION_ITEMS_LIMIT * 1.25) this.violations.splice(0, this.violations.length - VIOLATION_ITEMS_LIMIT);
  }

  snapshot(extra: {
    now: number;
    maxMps: Record<string, number>;
    webhooks: WebhookStats;
    portfolio: SandboxStats['portfolio'];
  }): SandboxStats {
    const obj = (m: Map<number, number>) => Object.fromEntries([...m].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v]));
    return {
      started_at: this.startedAt,
      now: extra.now,
      requests: { ...this.requests },
      sends: { ...this.sends },
      per_recipient: Object.fromEntries(
        [...this.perRecipient].map(([k, v]) => [
          k,
          {
            accepted: v.accepted,
            rejected: v.rejected,
            failed_async: v.failed_async,
            templates: { ...v.templates },
            first_at: v.first_at,
            last_at: v.last_at,
          },
        ]),
      ),
      duplicates: { ...this.duplicates, items: [...this.duplicateItems.values()].map((i) => ({ ...i })) },
      limits: { ...this.limits, portfolio_violation_items: this.violations.map((v) => ({ ...v })) },
      max_mps: extra.maxMps,
      errors_by_code: { sync: obj(this.syncErrors), async: obj(this.asyncErrors) },
      statuses: { ...this.statuses },
      webhooks: { ...extra.webhooks },
      portfolio: extra.portfolio,
      faults: { ...this.faults },
    };
  }
}
