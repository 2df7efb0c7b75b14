/**
 * An import's rows with no phone but a WhatsApp business-scoped user id (the `whatsapp_user_id`
 * column Pacer's own export writes): people known only by that id, who can be sent to by
 * `recipient` (migration 0017, docs/contacts.md). Few in any file, so merged row by row, after the
 * bulk of the import and in its transaction, by the same rules as the rows with a phone: a new id
 * becomes a contact; an existing one is updated or skipped as the import says; the file's no is
 * an opt-out (for skipped ones too), a yes (or the box) an opt-in only where the state is unknown.
 */
import type { ImportConsentCounts, ImportCounts, ImportRowParams } from '../../../../shared/contract/contacts';
import type { Db } from '../../db/connection';
import { recordConsent } from '../consent';
import { withRow, type ImportEvidence } from '../consent-evidence';
import { reindexContact } from '../search';
import { addTag, attributeDef, setAttributeValue } from '../store/contacts';
import { userOnlyStore } from './user-only-store';
import { CONSENT_IN, CONSENT_NONE, CONSENT_OUT, CONSENT_UNRECOGNISED, type UserOnlyRow } from './stage-rows';

export interface UserOnlyMerge {
  onDuplicate: 'skip' | 'update';
  tags: string[];
  consent: ImportConsentCounts;
  /** Consent event fields of this import (source detail gets the row). */
  consentEvent: { file: string; actor: string; boxEvidence: ImportEvidence; fileEvidence: ImportEvidence };
  now: number;
  note: (row: number, code: string, reason: string, params?: ImportRowParams) => void;
  /** A dry run decides and counts the same, and writes nothing. */
  dryRun: boolean;
  /** The search index was complete before the import: new contacts are indexed now (search.ts). */
  indexNow: boolean;
}

/** Merges the rows into the store (inside the import's transaction), or only counts them (dry run); adds to `counts`. */
export function mergeUserOnlyRows(db: Db, rows: UserOnlyRow[], counts: ImportCounts, m: UserOnlyMerge): void {
  const store = userOnlyStore(db);
  const { consent } = m;
  for (const r of rows) {
    const found = store.idByUserId(r.userId);
    const isNew = found === undefined;
    const writes = isNew || m.onDuplicate === 'update';
    if (isNew) counts.imported++;
    else if (m.onDuplicate === 'update') counts.updated++;
    else counts.skipped++;
    const cur = found === undefined ? undefined : store.consentOf(found, consent.category);
    const saysIn = r.consent === CONSENT_IN || (r.consent === CONSENT_NONE && consent.box);
    if (r.consent === CONSENT_UNRECOGNISED) consent.unrecognised++;
    else if (r.consent === CONSENT_OUT) consent.optedOutByFile++;
    else if (saysIn && writes && cur?.state === 'opted_out') {
      consent.keptOptedOut++;
      const day = new Date(cur.since).toISOString().slice(0, 10);
      m.note(r.row, 'opted_out_kept', `opted out on ${day}: kept opted out — only the person can opt back in`, { date: day });
    } else if (saysIn && writes && cur === undefined) {
      if (r.consent === CONSENT_IN) consent.optedInByFile++;
      else consent.optedInByBox++;
    } else consent.notRecorded++;
    if (m.dryRun) continue;

    let id: number;
    if (found === undefined) {
      id = store.insert(r, m.now);
      // Ids above the watermark are searched by a scan until indexed: when the index was complete, it stays so.
      if (m.indexNow) store.indexedUpTo(id);
    } else {
      id = found;
      if (m.onDuplicate === 'update') store.update(id, r, m.now);
    }
    if (writes) {
      for (const t of [...(r.tags ?? []), ...m.tags]) addTag(db, [id], t, m.now);
      for (const [name, value] of r.attrs) {
        const def = attributeDef(db, name);
        if (def) setAttributeValue(db, id, def.id, value);
      }
    }
    // Consent, as for the rows with a phone (engine.ts consentSteps; counted above).
    const event = (s: 'opted_in' | 'opted_out', evidence: ImportEvidence) =>
      recordConsent(db, {
        contactId: id,
        category: consent.category,
        state: s,
        source: 'import',
        sourceDetail: `import ${m.consentEvent.file}:${r.row}`,
        actor: m.consentEvent.actor,
        evidence: withRow(evidence, r.row),
        at: m.now,
      });
    if (r.consent === CONSENT_OUT) {
      if (cur?.state !== 'opted_out') event('opted_out', m.consentEvent.fileEvidence);
    } else if (saysIn && writes && cur === undefined) {
      event('opted_in', r.consent === CONSENT_IN ? m.consentEvent.fileEvidence : m.consentEvent.boxEvidence);
    }
    if (writes) reindexContact(db, id);
  }
}
