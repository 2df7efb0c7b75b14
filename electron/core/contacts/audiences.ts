/**
 * Audiences for campaigns: an audience expression (all, tag:NAME, segment:NAME, and/or/not,
 * parentheses) as a condition on contacts, suppression included — a contact opted out of the
 * category is never returned.
 */
import type { ConsentCategory, ContactRow } from '../../../shared/contract/contacts';
import { iterate } from './reads';
import { audienceSql, notOptedOutSql, type SqlCond } from './rules';
import type { ContactsScope } from './scope';

export interface AudienceOptions {
  /** Consent category the campaign needs (template category); opted-out contacts are excluded. */
  category?: ConsentCategory;
}

/** SQL condition on `contacts c` for an audience expression, suppression included. */
export function audience(c: ContactsScope, expr: string, opts: AudienceOptions = {}): SqlCond {
  const a = audienceSql(c.db, expr, c.now());
  const s = notOptedOutSql(opts.category ?? 'marketing');
  return { sql: `${a.sql} AND ${s.sql}`, params: [...a.params, ...s.params] };
}

/** How many contacts the expression names, how many of them opted out, and how many remain. */
export function countAudience(
  c: ContactsScope,
  expr: string,
  opts: AudienceOptions = {},
): { matched: number; optedOut: number; eligible: number } {
  const a = audienceSql(c.db, expr, c.now());
  const matched = c.store.countWhere(a);
  const w = audience(c, expr, opts);
  const eligible = c.store.countWhere(w);
  return { matched, optedOut: matched - eligible, eligible };
}

/** The audience's contacts (never an opted-out one), with consent per category, in id order. */
export function iterateAudience(c: ContactsScope, expr: string, opts: AudienceOptions & { batch?: number } = {}): Generator<ContactRow[]> {
  return iterate(c, audience(c, expr, opts), opts.batch);
}
