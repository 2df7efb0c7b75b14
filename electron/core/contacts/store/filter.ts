/** The SQL condition on `contacts c` for the contacts table's filters (search, tag, consent, country, segment). */
import type { ContactFilter } from '../../../../shared/contract/contacts';
import { contactFilterSchema } from '../../../../shared/contract/contacts';
import type { Db } from '../../db/connection';
import { normalizePhone } from '../phone';
import { segmentSqlById, type SqlCond } from '../rules';
import { searchClause } from '../search';

export function filterCondition(db: Db, filter: ContactFilter, defaultCountry: string, now: number): SqlCond & { ftsOnly?: string } {
  const f = contactFilterSchema.parse(filter);
  let ftsOnly: string | undefined;
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (c: SqlCond) => {
    parts.push(c.sql);
    params.push(...c.params);
  };
  if (f.search) {
    const digits = f.search.replace(/\D/g, '');
    let exact: string | null = null;
    if (digits.length >= 7) {
      const r = normalizePhone(f.search, defaultCountry);
      if (r.ok) exact = r.e164;
    }
    const s = searchClause(db, f.search, exact);
    if (s) {
      add(s);
      ftsOnly = s.ftsOnly;
    }
  }
  if (f.tag)
    add({ sql: 'c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = ?)', params: [f.tag] });
  if (f.consent) {
    add(
      f.consent === 'unknown'
        ? { sql: 'NOT EXISTS (SELECT 1 FROM consent_state cs WHERE cs.contact_id = c.id AND cs.category = ?)', params: [f.consentCategory] }
        : {
            sql: 'c.id IN (SELECT cs.contact_id FROM consent_state cs WHERE cs.category = ? AND cs.state = ?)',
            params: [f.consentCategory, f.consent],
          },
    );
  }
  if (f.country) add({ sql: 'c.country = ?', params: [f.country] });
  if (f.segment) add(segmentSqlById(db, f.segment, now));
  return { sql: parts.length ? parts.join(' AND ') : '1', params, ...(ftsOnly ? { ftsOnly } : {}) };
}
