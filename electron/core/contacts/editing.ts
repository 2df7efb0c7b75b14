/**
 * Changing contacts: one contact's fields, tags and attributes (typed on first use), bulk actions
 * over ids or a filter (tag, untag, opt out, delete), and the message history campaigns record.
 */
import type { ConsentCategory, ContactFilter, ContactRow } from '../../../shared/contract/contacts';
import type { AttributeType } from '../../../shared/contract/contacts';
import { badInput } from '../errors';
import { recordConsent } from './consent';
import { manualEvidence } from './consent-evidence';
import { eraseById } from './erasure';
import { displayName } from './names';
import { getById, idOf, targetIds } from './reads';
import { reindexContact } from './search';
import type { ContactsScope } from './scope';

export function update(
  c: ContactsScope,
  input: {
    id: number;
    first_name?: string | null | undefined;
    last_name?: string | null | undefined;
    email?: string | null | undefined;
    tags?: string[] | undefined;
    attributes?: Record<string, string | number | boolean | null> | undefined;
  },
): ContactRow {
  const id = idOf(c, { id: input.id });
  const now = c.now();
  c.store.transaction(() => {
    const cur = getById(c, id)!;
    const first = input.first_name !== undefined ? input.first_name?.trim() || null : cur.first_name;
    const last = input.last_name !== undefined ? input.last_name?.trim() || null : cur.last_name;
    let email = input.email !== undefined ? input.email?.trim() || null : cur.email;
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw badInput(`"${email}" is not an email address.`);
    const nameChanged = input.first_name !== undefined || input.last_name !== undefined;
    const name = nameChanged ? displayName(first, last) || cur.name : cur.name;
    email = email ?? null;
    c.store.updateContactFields(id, { first, last, name, email }, now);
    if (input.tags) {
      c.store.clearTags(id);
      for (const t of input.tags) c.store.addTag([id], t, now);
    }
    if (input.attributes) {
      for (const [name, value] of Object.entries(input.attributes)) setAttribute(c, id, name, value, now);
    }
    reindexContact(c.db, id);
  });
  c.ctx.emit('contacts:changed', { reason: 'update' });
  return getById(c, id)!;
}

function setAttribute(c: ContactsScope, id: number, name: string, value: string | number | boolean | null, now: number): void {
  let def = c.store.attributeDef(name);
  if (value === null) {
    if (def) c.store.deleteAttributeValue(id, def.id);
    return;
  }
  if (!def) {
    const type: AttributeType = typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'text';
    def = { id: c.store.insertAttributeDef(name, type, now), type };
  }
  let stored: string | number;
  if (def.type === 'number') {
    if (typeof value !== 'number' && !(typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))))
      throw badInput(`${name} must be a number.`);
    stored = Number(value);
  } else if (def.type === 'boolean') {
    if (typeof value !== 'boolean') throw badInput(`${name} must be true or false.`);
    stored = value ? 1 : 0;
  } else if (def.type === 'date') {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw badInput(`${name} must be a date (YYYY-MM-DD).`);
    stored = value;
  } else stored = String(value);
  c.store.setAttributeValue(id, def.id, stored);
}

export function bulk(
  c: ContactsScope,
  input: {
    action: 'tag' | 'untag' | 'opt-out' | 'delete';
    tag?: string | undefined;
    category: ConsentCategory | 'all';
    reason?: string | undefined;
    ids?: number[] | undefined;
    filter?: ContactFilter | undefined;
    confirm: boolean;
  },
  actor: string,
): { matched: number; affected: number } {
  if ((input.action === 'tag' || input.action === 'untag') && !input.tag) throw badInput('Give the tag to add or remove.');
  const ids = targetIds(c, input.ids, input.filter);
  if (!input.confirm) return { matched: ids.length, affected: 0 };
  const now = c.now();
  let affected = 0;
  c.store.transaction(() => {
    switch (input.action) {
      case 'tag':
        affected = c.store.addTag(ids, input.tag!, now);
        break;
      case 'untag':
        affected = c.store.removeTag(ids, input.tag!);
        break;
      case 'opt-out':
        for (const id of ids) {
          const changed = recordConsent(c.db, {
            contactId: id,
            category: input.category,
            state: 'opted_out',
            source: 'manual',
            sourceDetail: 'manual (bulk)',
            actor,
            evidence: manualEvidence(input.reason, 'manual_bulk'),
            at: now,
          });
          if (changed.length) affected++;
        }
        break;
      case 'delete':
        for (const id of ids) affected += eraseById(c, id, false) ? 1 : 0;
        break;
    }
  });
  c.ctx.emit('contacts:changed', { reason: input.action === 'delete' ? 'delete' : input.action === 'opt-out' ? 'consent' : 'bulk' });
  return { matched: ids.length, affected };
}

/** For campaigns: a message to this contact (history in the drawer; last_messaged_at for segments). */
export function recordMessage(
  c: ContactsScope,
  m: {
    contactId: number;
    campaignId?: string | null;
    campaignName?: string | null;
    template?: string | null;
    status: string;
    error?: string | null;
    at?: number;
  },
): void {
  const at = m.at ?? c.now();
  c.store.recordMessage(m, at);
}
