/**
 * The consent ledger: per contact and category, the current state (consent_state) and the
 * append-only history of every change (consent_events). All changes go through recordConsent.
 */
import type { ConsentCategory, ConsentEvent, ConsentSource, ConsentState } from '../../../shared/contract/contacts';
import { CONSENT_CATEGORIES } from '../../../shared/contract/contacts';
import type { Db } from '../db/connection';
import { badInput } from '../errors';

export interface ConsentChange {
  contactId: number;
  category: ConsentCategory | 'all';
  state: 'opted_in' | 'opted_out';
  source: ConsentSource;
  /** e.g. "import list.csv:17", "keyword STOP", "manual". */
  sourceDetail: string;
  actor: string;
  evidence?: string | null | undefined;
  /** Required to re-opt-in a contact that opted out, when the change is manual. */
  reason?: string | null | undefined;
  at: number;
}

export function consentOf(db: Db, contactId: number): Record<ConsentCategory, ConsentState> {
  const out: Record<ConsentCategory, ConsentState> = { marketing: 'unknown', utility: 'unknown' };
  for (const r of db.prepare('SELECT category, state FROM consent_state WHERE contact_id = ?').all(contactId) as { category: ConsentCategory; state: ConsentState }[]) {
    out[r.category] = r.state;
  }
  return out;
}

/**
 * Records a change and answers the categories that actually changed (a repeat of the current
 * state is not recorded again). An import can never opt an opted-out contact back in; a manual
 * re-opt-in needs a reason.
 */
export function recordConsent(db: Db, change: ConsentChange): ConsentCategory[] {
  const categories = change.category === 'all' ? [...CONSENT_CATEGORIES] : [change.category];
  const current = consentOf(db, change.contactId);
  const changed: ConsentCategory[] = [];
  const insertEvent = db.prepare(
    'INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, evidence, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const upsert = db.prepare(`
    INSERT INTO consent_state (contact_id, category, state, updated_at, event_id) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (contact_id, category) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, event_id = excluded.event_id
  `);
  db.transaction(() => {
    for (const category of categories) {
      if (current[category] === change.state) continue;
      let evidence = change.evidence?.trim() || null;
      if (change.state === 'opted_in' && current[category] === 'opted_out') {
        if (change.source === 'import') continue; // never: an import does not undo an opt-out
        if (change.source === 'manual') {
          const reason = change.reason?.trim();
          if (!reason) throw badInput('This contact opted out. Opting them back in needs a reason (for example, how they asked to be re-subscribed).');
          evidence = `${evidence ? evidence + ' — ' : ''}re-opt-in reason: ${reason}`;
        }
      }
      const ev = insertEvent.run(change.contactId, category, change.state, change.source, change.sourceDetail, change.actor, evidence, change.at);
      upsert.run(change.contactId, category, change.state, change.at, Number(ev.lastInsertRowid));
      changed.push(category);
    }
  })();
  return changed;
}

export function consentHistory(db: Db, contactId: number): ConsentEvent[] {
  return (
    db
      .prepare('SELECT id, category, state, source, source_detail, actor, evidence, at FROM consent_events WHERE contact_id = ? ORDER BY id DESC')
      .all(contactId) as {
      id: number;
      category: ConsentCategory;
      state: 'opted_in' | 'opted_out';
      source: ConsentSource;
      source_detail: string;
      actor: string;
      evidence: string | null;
      at: number;
    }[]
  ).map((r) => ({ id: r.id, category: r.category, state: r.state, source: r.source, sourceDetail: r.source_detail, actor: r.actor, evidence: r.evidence, at: r.at }));
}
