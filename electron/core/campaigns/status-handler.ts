/**
 * Applies delivery statuses (webhooks) to the send ledger. Registered with the webhook router as
 * the 'campaigns' status handler. Matching: biz_opaque_callback_data ("pacer:<row id>") first —
 * it works even when the HTTP answer with the wamid was lost — then the wamid. A status that
 * matches no row answers 'unmatched': the webhook domain keeps it and offers it again later.
 *
 * Every change goes through the pure state machine (ledger-state.ts), so webhooks arriving late,
 * twice or out of order cannot move a row backwards.
 */
import type { CoreContext } from '../context';
import type { StatusEvent } from '../webhooks/events';
import type { HandlerOutcome } from '../webhooks/router';
import { classifyError } from '../whatsapp/errors';
import { applyLedgerEvent, type LedgerRow, type LedgerState } from './ledger-state';
import { DAY_MS } from './messaging-window';
import { rowIdFromBizOpaque } from './sender';
import { recordPricing } from './costs';
import type { ConsentEvidence } from '../../../shared/contract/consent-evidence';

interface DbRow {
  id: number;
  campaign_id: string;
  phone: string | null;
  /** Set (phone NULL) for a row addressed by the contact's WhatsApp user id. */
  user_id?: string | null;
  state: LedgerState;
  wamid: string | null;
  error_code: number | null;
  error_detail: string | null;
  skip_reason: string | null;
  attempts: number;
  retries_24h: number;
  not_before: number | null;
  sent_at: number | null;
  delivered_at: number | null;
  read_at: number | null;
  failed_at: number | null;
}

export interface StatusHooks {
  /** 131049 retries allowed for a campaign (its option). */
  retryLimit(campaignId: string): number;
  touched(campaignId: string): void;
  failed(campaignId: string, code: number | null): void;
  delivered(campaignId: string): void;
  optOut(phone: string, at: number, evidence: ConsentEvidence): void;
  /** A row of the campaign waits for a retry again (131049 after 24 h): a finished campaign reopens. */
  reopened(campaignId: string, notBefore: number): void;
}

const toLedger = (r: DbRow): LedgerRow => ({
  state: r.state,
  wamid: r.wamid,
  errorCode: r.error_code,
  errorDetail: r.error_detail,
  skipReason: r.skip_reason,
  attempts: r.attempts,
  notBefore: r.not_before,
  sentAt: r.sent_at,
  deliveredAt: r.delivered_at,
  readAt: r.read_at,
  failedAt: r.failed_at,
});

export function createStatusHandler(ctx: CoreContext, hooks: StatusHooks): (ev: StatusEvent) => HandlerOutcome {
  const db = ctx.db;
  const byId = db.prepare(`SELECT * FROM campaign_recipients WHERE id = ?`);
  const byWamid = db.prepare(`SELECT * FROM campaign_recipients WHERE wamid = ?`);
  const write = db.prepare(`UPDATE campaign_recipients SET state = ?, wamid = ?, error_code = ?, error_detail = ?, error_class = ?,
      sent_at = ?, delivered_at = ?, read_at = ?, failed_at = ?, not_before = ?, retries_24h = ?, billable = coalesce(?, billable), updated_at = ? WHERE id = ?`);
  const wamidTaken = db.prepare(`SELECT id FROM campaign_recipients WHERE wamid = ? AND id != ?`);

  return (ev) => {
    const rowId = rowIdFromBizOpaque(ev.bizOpaqueCallbackData);
    let row = (rowId !== null ? byId.get(rowId) : undefined) as DbRow | undefined;
    if (row && row.wamid && row.wamid !== ev.wamid) row = undefined; // an older attempt's status
    row ??= byWamid.get(ev.wamid) as DbRow | undefined;
    if (!row) return 'unmatched';
    if (ev.status === 'played') return 'matched';
    const err = ev.errors[0];
    const t = applyLedgerEvent(toLedger(row), {
      type: 'status',
      status: ev.status,
      at: ev.timestamp,
      wamid: ev.wamid,
      code: err?.code ?? null,
      detail: err ? [err.title, err.message, err.details].filter(Boolean).join(' — ') : undefined,
    });
    if (!t.ok) return 'matched';
    let next = t.row;
    let errorClass: string | null = null;
    let retries = row.retries_24h;
    let reopen = false;
    if (next.state === 'failed') {
      errorClass = classifyError(next.errorCode);
      hooks.failed(row.campaign_id, next.errorCode);
      if (errorClass === 'retry_after_24h' && row.retries_24h < hooks.retryLimit(row.campaign_id)) {
        // Per-user marketing cap: try once more, not before 24 h (never in a loop).
        const again = applyLedgerEvent(next, { type: 'retry_later', notBefore: ev.timestamp + DAY_MS });
        if (again.ok) {
          next = again.row;
          retries++;
          reopen = true;
        }
      }
      if (errorClass === 'suppress_contact' && (row.phone || row.user_id))
        hooks.optOut(row.phone ?? `bsuid:${row.user_id}`, ev.timestamp, {
          code: 'status_failed',
          params: { error: next.errorCode ?? '', message: ev.wamid },
        });
    } else if (next.state === 'delivered' || next.state === 'read') {
      if (row.state !== 'delivered' && row.state !== 'read') hooks.delivered(row.campaign_id);
    }
    const wamid = next.wamid && wamidTaken.get(next.wamid, row.id) ? row.wamid : next.wamid;
    const billable = ev.pricing?.billable === undefined || ev.pricing?.billable === null ? null : ev.pricing.billable ? 1 : 0;
    write.run(
      next.state,
      wamid,
      next.errorCode,
      next.errorDetail,
      errorClass,
      next.sentAt,
      next.deliveredAt,
      next.readAt,
      next.failedAt,
      next.notBefore,
      retries,
      billable,
      ctx.clock.now(),
      row.id,
    );
    // Meta's pricing object (on one of delivered/read): what this message actually cost.
    if (ev.pricing) recordPricing(db, row.id, ev.pricing, ev.timestamp);
    // The failure may come after the campaign completed: it must not stay pending in a finished one.
    if (reopen && next.notBefore !== null) hooks.reopened(row.campaign_id, next.notBefore);
    hooks.touched(row.campaign_id);
    return 'matched';
  };
}
