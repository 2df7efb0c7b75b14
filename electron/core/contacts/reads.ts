/**
 * Reading contacts: one contact by id or number, the table's pages (filters, search, sort), the
 * contact drawer's detail, and contacts in id order for exports and audiences.
 */
import type { ContactDetail, ContactFilter, ContactRow, MessageHistoryRow } from '../../../shared/contract/contacts';
import { contactFilterSchema } from '../../../shared/contract/contacts';
import { badInput, notFound } from '../errors';
import { consentHistory } from './consent';
import { holdHistory, holdOf } from './holds';
import { normalizePhone } from './phone';
import type { SqlCond } from './rules';
import type { ContactsScope } from './scope';
import { idListCondition } from './store/contacts';

import { contactIdByUserId } from './user-ids-store';

export type ContactRef = { id: number } | { phone: string } | { userId: string };

/** E.164 of a phone typed in any format (default country from Settings); bad_input otherwise. */
export function normalize(c: ContactsScope, phone: string): string {
  const r = normalizePhone(phone, c.defaultCountry());
  if (!r.ok) throw badInput(`${phone}: ${r.reason}`);
  return r.e164;
}

export function idOf(c: ContactsScope, ref: ContactRef): number {
  if ('id' in ref) {
    if (!c.store.contactExists(ref.id)) throw notFound(`No contact with id ${ref.id}.`);
    return ref.id;
  }
  if ('userId' in ref) {
    const byUserId = contactIdByUserId(c.db, ref.userId.trim());
    if (byUserId === null) throw notFound(`No contact with WhatsApp user id ${ref.userId}.`);
    return byUserId;
  }
  const e164 = normalize(c, ref.phone);
  const id = c.store.contactIdByPhone(e164);
  if (id === undefined) throw notFound(`No contact with phone ${e164}.`);
  return id;
}

export function getByPhone(c: ContactsScope, phone: string): ContactRow | null {
  const r = normalizePhone(phone, c.defaultCountry());
  if (!r.ok) return null;
  return c.store.contactByPhone(r.e164);
}

export function getById(c: ContactsScope, id: number): ContactRow | null {
  return c.store.contactById(id);
}

/** SQL condition for the contacts table's filters (search, tag, consent, country, segment). */
export function filterSql(c: ContactsScope, filter: ContactFilter = {}): SqlCond & { ftsOnly?: string } {
  return c.store.filterCondition(filter, c.defaultCountry(), c.now());
}

export function query(
  c: ContactsScope,
  input: ContactFilter & { sort?: string; order?: 'asc' | 'desc'; offset?: number; limit?: number },
): { total: number; rows: ContactRow[] } {
  const { sort = 'created', order = 'desc', offset = 0, limit = 100, ...filter } = input;
  const f = contactFilterSchema.parse(filter);
  return c.store.contactPage({ f, sort, order, offset, limit }, () => filterSql(c, f));
}

/** Ids matching a filter, or the given ids that exist. */
export function targetIds(c: ContactsScope, ids: number[] | undefined, filter: ContactFilter | undefined): number[] {
  if (ids) {
    if (!ids.length) return [];
    return c.store.existingIds(ids);
  }
  if (!filter) throw badInput('Give the contacts: ids or a filter.');
  return c.store.idsWhere(filterSql(c, filter));
}

export function detail(c: ContactsScope, ref: ContactRef): ContactDetail {
  const id = idOf(c, ref);
  const messages = c.store.messageHistory(id).map((m): MessageHistoryRow => ({
    campaignId: m.campaign_id,
    campaignName: m.campaign_name,
    template: m.template,
    status: m.status,
    at: m.at,
    error: m.error,
  }));
  return {
    contact: getById(c, id)!,
    consentHistory: consentHistory(c.db, id),
    messages,
    hold: holdOf(c.db, id),
    holdHistory: holdHistory(c.db, id),
  };
}

/** Contacts in id order, a page at a time (exports, audiences). */
export function iterate(c: ContactsScope, where: SqlCond, batch = 2000): Generator<ContactRow[]> {
  return c.store.contactBatches(where, batch);
}

export function exportWhere(c: ContactsScope, filter: ContactFilter | undefined, ids: number[] | undefined): SqlCond {
  if (ids) {
    if (!ids.length) return { sql: '0', params: [] };
    return idListCondition(ids);
  }
  return filterSql(c, filter ?? {});
}
