/**
 * Records one audit entry (issue #14, item 4). Callers pass what happened in plain fields; this
 * module guarantees the two rules of the trail:
 *
 * - **No secrets**: detail keys that name a credential (token, secret, password, key, authorization)
 *   are dropped, and the current vault values are masked wherever they appear — so even a caller's
 *   mistake cannot write one.
 * - **No erased number**: a subject that is the E.164 number of an erased person is replaced by the
 *   suppression record's keyed hash (the erasure rewrites earlier entries the same way).
 */
import type { CoreContext } from '../context';
import type { Db } from '../db/connection';
import { erasedAt, erasureHash } from '../privacy/store/erasures';
import { allSecretValues } from '../secrets/vault';
import { insertAudit } from './store';

const SECRET_KEY = /token|secret|password|passwd|authorization|api[_-]?key|^key$/i;

function scrub(value: unknown, secrets: string[]): unknown {
  if (typeof value === 'string') {
    let s = value;
    for (const x of secrets) if (x.length >= 4) s = s.split(x).join('[redacted]');
    return s;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!SECRET_KEY.test(k)) out[k] = scrub(v, secrets);
    return out;
  }
  return value;
}

export interface AuditRecord {
  action: string;
  actor?: string;
  subject?: string | null;
  detail?: Record<string, unknown>;
}

export function recordAuditDb(db: Db, r: AuditRecord & { at: number }, secrets: string[] = []): number {
  let subject = r.subject ?? null;
  if (subject && /^\+\d{6,15}$/.test(subject) && erasedAt(db, subject) !== null) subject = erasureHash(db, subject);
  return insertAudit(db, {
    at: r.at,
    actor: r.actor ?? 'user',
    action: r.action,
    subject: subject === null ? null : (scrub(subject, secrets) as string),
    detail: scrub(r.detail ?? {}, secrets) as Record<string, unknown>,
  });
}

/** The one small call a service or handler makes per action. */
export function recordAudit(ctx: CoreContext, r: AuditRecord): number {
  return recordAuditDb(
    ctx.db,
    { ...r, actor: r.actor ?? (ctx.host === 'cli' ? 'cli' : 'user'), at: ctx.clock.now() },
    allSecretValues(ctx.secrets),
  );
}
