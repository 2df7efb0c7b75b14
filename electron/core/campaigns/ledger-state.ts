/**
 * The send ledger's one-way state machine (one row per campaign × recipient), as pure functions.
 *
 *   pending → sending → accepted(wamid) → sent → delivered → read
 *                     ↘ failed(code) / skipped(reason) / uncertain
 *
 * Rules that make sending at-most-once and results monotonic:
 * - Only `pending` can be claimed (→ `sending`); the claim is committed before the HTTP call.
 * - A `sending` row found after a crash becomes `uncertain`; it goes back to `pending` ONLY by an
 *   explicit user resend. A definite synchronous error (an error body from the API) may put a row
 *   back to `pending` with a not-before time, because the API told us nothing was sent.
 * - Delivery statuses only move forward (accepted < sent < delivered < read); a late `sent` after
 *   `delivered` is ignored; `read` implies `delivered` (its time is filled in if it was missed).
 * - `failed` from a webhook is taken over accepted/sent/uncertain (the message did not arrive) and
 *   keeps its error; after delivered/read it is ignored. Failed is final except for the explicit
 *   resend and the 24-hour retry of a per-user-cap failure (131049), decided by the caller.
 * - Statuses may resolve an `uncertain` row (the webhook proves the message went out).
 */

import type { CampaignStanding, CampaignState, RecipientCounts } from '../../../shared/contract/campaigns';

export const LEDGER_STATES = ['pending', 'sending', 'accepted', 'sent', 'delivered', 'read', 'failed', 'skipped', 'uncertain'] as const;
export type LedgerState = (typeof LEDGER_STATES)[number];

/** States no automatic process will move out of (except webhooks refining a delivery). */
export const FINAL_STATES: readonly LedgerState[] = ['accepted', 'sent', 'delivered', 'read', 'failed', 'skipped'];
export const isFinal = (s: LedgerState): boolean => FINAL_STATES.includes(s);
/** States that need no more work from the sender (final or waiting for the user). */
export const isSettled = (s: LedgerState): boolean => isFinal(s) || s === 'uncertain';

const DELIVERY_RANK: Partial<Record<LedgerState, number>> = { accepted: 1, sent: 2, delivered: 3, read: 4 };

export interface LedgerRow {
  state: LedgerState;
  wamid: string | null;
  errorCode: number | null;
  errorDetail: string | null;
  skipReason: string | null;
  attempts: number;
  notBefore: number | null;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  failedAt: number | null;
}

export type LedgerEvent =
  | { type: 'claim'; at: number }
  | { type: 'accepted'; wamid: string; at: number }
  /** A definite answer from the API that nothing was sent; retry no earlier than notBefore. */
  | { type: 'retry'; code: number | null; detail?: string; notBefore: number }
  | { type: 'rejected'; code: number | null; detail?: string; at: number }
  /** No answer we can trust (dropped connection, timeout, crash): never resent automatically. */
  | { type: 'unknown_outcome'; detail?: string }
  | { type: 'skip'; reason: string }
  | { type: 'status'; status: 'sent' | 'delivered' | 'read' | 'failed'; at: number; wamid?: string; code?: number | null; detail?: string }
  /** The user explicitly asked to send again (failed or uncertain rows only). */
  | { type: 'resend' }
  /** The 24-hour retry of 131049 (per-user marketing cap); decided by the caller's policy. */
  | { type: 'retry_later'; notBefore: number };

export type Transition = { ok: true; row: LedgerRow } | { ok: false; reason: string };

export function emptyRow(): LedgerRow {
  return {
    state: 'pending',
    wamid: null,
    errorCode: null,
    errorDetail: null,
    skipReason: null,
    attempts: 0,
    notBefore: null,
    sentAt: null,
    deliveredAt: null,
    readAt: null,
    failedAt: null,
  };
}

const refuse = (row: LedgerRow, event: LedgerEvent): Transition => ({ ok: false, reason: `${event.type} not allowed from ${row.state}` });

/** Applies one event; `ok: false` means the event is ignored and the row stays as it was. */
export function applyLedgerEvent(row: LedgerRow, event: LedgerEvent): Transition {
  switch (event.type) {
    case 'claim':
      if (row.state !== 'pending') return refuse(row, event);
      return { ok: true, row: { ...row, state: 'sending', attempts: row.attempts + 1, notBefore: null } };
    case 'accepted':
      if (row.state !== 'sending' && row.state !== 'uncertain') return refuse(row, event);
      return { ok: true, row: { ...row, state: 'accepted', wamid: event.wamid, errorCode: null, errorDetail: null } };
    case 'retry':
      if (row.state !== 'sending') return refuse(row, event);
      return {
        ok: true,
        row: { ...row, state: 'pending', notBefore: event.notBefore, errorCode: event.code, errorDetail: event.detail ?? null },
      };
    case 'rejected':
      if (row.state !== 'sending') return refuse(row, event);
      return { ok: true, row: { ...row, state: 'failed', errorCode: event.code, errorDetail: event.detail ?? null, failedAt: event.at } };
    case 'unknown_outcome':
      if (row.state !== 'sending') return refuse(row, event);
      return { ok: true, row: { ...row, state: 'uncertain', errorDetail: event.detail ?? row.errorDetail } };
    case 'skip':
      if (row.state !== 'pending') return refuse(row, event);
      return { ok: true, row: { ...row, state: 'skipped', skipReason: event.reason } };
    case 'resend':
      if (row.state !== 'failed' && row.state !== 'uncertain') return refuse(row, event);
      return { ok: true, row: { ...row, state: 'pending', notBefore: null, wamid: null } };
    case 'retry_later':
      if (row.state !== 'failed') return refuse(row, event);
      return { ok: true, row: { ...row, state: 'pending', notBefore: event.notBefore, wamid: null } };
    case 'status':
      return applyStatus(row, event);
  }
}

function applyStatus(row: LedgerRow, event: Extract<LedgerEvent, { type: 'status' }>): Transition {
  const fromRank = DELIVERY_RANK[row.state];
  const inFlight = row.state === 'sending' || row.state === 'uncertain';
  if (fromRank === undefined && !inFlight) return refuse(row, event);
  const wamid = row.wamid ?? event.wamid ?? null;
  if (event.status === 'failed') {
    if (fromRank !== undefined && fromRank >= DELIVERY_RANK.delivered!) return refuse(row, event);
    return {
      ok: true,
      row: { ...row, wamid, state: 'failed', errorCode: event.code ?? null, errorDetail: event.detail ?? null, failedAt: event.at },
    };
  }
  const toRank = DELIVERY_RANK[event.status]!;
  if (fromRank !== undefined && toRank <= fromRank) return refuse(row, event);
  const next: LedgerRow = { ...row, wamid, state: event.status };
  // Each step implies the ones before it; fill in the times a lost webhook did not give us.
  if (toRank >= 2) next.sentAt = row.sentAt ?? event.at;
  if (toRank >= 3) next.deliveredAt = row.deliveredAt ?? event.at;
  if (toRank >= 4) next.readAt = row.readAt ?? event.at;
  return { ok: true, row: next };
}

// ---- where a whole campaign stands -------------------------------------------------------------

/** What the ledger says beyond the counts: how many pending rows are due now, and the first retry time. */
export interface LedgerTiming {
  dueNow: number;
  nextNotBefore: number | null;
}

export interface StandingInput {
  /** The campaign row's stored state (lifecycle: draft, scheduled, paused, cancelled come from the user). */
  stored: CampaignState;
  counts: RecipientCounts;
  timing: LedgerTiming;
  /** Scheduled start (ms), or null for "now". */
  startAt: number | null;
  startedAt: number | null;
  /** Sends per second in force for the campaign's number. */
  rate: number;
}

/**
 * The ONE answer to "where does this campaign stand": state, counts and next step, from the stored
 * lifecycle state and the ledger. Every screen and `pacer campaign status` show this.
 * - The ledger decides between running and completed: rows still pending or being sent mean the
 *   campaign is running (a resend or a 131049 retry reopened it), none means it is completed (the
 *   scheduler records it a moment later) — never "completed" next to "waiting 1".
 * - The rate is this campaign's only while it sends; a finished campaign shows none, not the rate
 *   another campaign on the same number is sending at.
 */
export function campaignStanding(input: StandingInput): CampaignStanding {
  const c = input.counts;
  const remaining = c.pending + c.sending;
  const sent = c.accepted + c.sent + c.delivered + c.read;
  const processed = sent + c.failed + c.skipped + c.uncertain;
  const total = processed + remaining;
  // Started means it has begun sending: a scheduled campaign records its start call but has not run.
  const started = input.startedAt !== null && input.stored !== 'draft' && input.stored !== 'scheduled';
  const base = { total, processed, remaining, sent, started };
  const iso = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString());
  switch (input.stored) {
    case 'draft':
      return { ...base, state: 'draft', next: 'edit', until: null, rate: null };
    case 'scheduled':
      return { ...base, state: 'scheduled', next: 'start', until: iso(input.startAt), rate: null };
    case 'paused':
      return { ...base, state: 'paused', next: 'resume', until: null, rate: null };
    case 'cancelled':
      return { ...base, state: 'cancelled', next: 'cancelled', until: null, rate: null };
    case 'running':
    case 'completed': {
      if (remaining > 0 || (input.stored === 'running' && total === 0)) {
        const waiting = c.sending === 0 && input.timing.dueNow === 0 && input.timing.nextNotBefore !== null;
        return {
          ...base,
          state: 'running',
          next: waiting ? 'retry' : 'send',
          until: waiting ? iso(input.timing.nextNotBefore) : null,
          rate: waiting ? null : input.rate,
        };
      }
      return { ...base, state: 'completed', next: c.uncertain > 0 ? 'review' : 'done', until: null, rate: null };
    }
  }
}
