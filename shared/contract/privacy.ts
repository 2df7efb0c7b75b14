/**
 * Privacy (issue #14): the audit trail of actions that affect people's data or messages, and the
 * retention of raw webhook bodies. The retention period itself is a setting
 * (`webhookRetentionDays`, shared/settings.ts); these methods show what it did and run it now.
 */
import { z } from 'zod';
import { method } from './define';

/**
 * Actions the trail records (the UI translates each; an unknown action from a newer Pacer is shown
 * as "other"). Who records which: docs/security.md "Audit trail".
 */
export const AUDIT_ACTIONS = [
  'contacts.imported',
  'consent.opted_in',
  'consent.opted_out',
  'contact.erased',
  'contact.erasure_lifted',
  'contacts.exported',
  'contacts.subject_exported',
  'campaigns.exported',
  'audit.exported',
  'campaign.started',
  'campaign.paused',
  'campaign.resumed',
  'campaign.cancelled',
  'campaign.resent',
  'account.connected',
  'account.disconnected',
  'webhook.value_error',
  'retention.pruned',
  'backups.removed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: number;
  at: number;
  /** 'user' (the app), 'cli', 'webhook', 'system'. */
  actor: string;
  action: string;
  /** Who or what: an E.164 number, a keyed hash (an erased person), a campaign id, a file name. */
  subject: string | null;
  /** Machine-readable detail (counts, category, source…); never a secret. */
  detail: Record<string, unknown>;
}

const filterShape = {
  actions: z.array(z.string().min(1).max(64)).max(50).optional(),
  /** Inclusive bounds, ms since epoch. */
  from: z.number().int().min(0).optional(),
  to: z.number().int().min(0).optional(),
  /** Matched (case-insensitively) against the subject, the actor and the detail. */
  text: z.string().trim().max(200).optional(),
};
export const auditFilterSchema = z.object(filterShape).strict();
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export interface RetentionStatus {
  days: number;
  /** Inbox rows (raw bodies) now held, and the oldest one's time. */
  inbox_rows: number;
  oldest_at: number | null;
  last_run: { at: number; deleted: number } | null;
}

export const privacyMethods = {
  /** The audit trail, newest first, filtered. */
  'audit:list': method<{ total: number; rows: AuditEntry[] }>()(
    z.object({ ...filterShape, limit: z.number().int().min(1).max(500).default(100), offset: z.number().int().min(0).default(0) }).strict(),
  ),
  /** The filtered trail as a file the UI saves (CSV cells neutralised like every export). Audited. */
  'audit:export': method<{ fileName: string; mime: string; encoding: 'utf8'; content: string; rows: number }>()(
    z.object({ ...filterShape, format: z.enum(['csv', 'json']).default('csv') }).strict(),
  ),
  'retention:status': method<RetentionStatus>()(z.object({}).strict()),
  /** Prunes now with the current setting (the runtime also does at start and daily). */
  'retention:prune': method<RetentionStatus>()(z.object({}).strict()),
};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PrivacyEvents {}
export const privacyEventNames = [] as const;
