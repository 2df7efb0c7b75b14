/**
 * The consent ledger: per contact and category, the current state (consent_state) and the
 * append-only history of every change (consent_events). All changes go through recordConsent.
 */
import type { ConsentCategory, ConsentEvent, ConsentSource, ConsentState } from '../../../shared/contract/contacts';
import { CONSENT_CATEGORIES } from '../../../shared/contract/contacts';
import { parseConsentEvidence, type ConsentEvidence } from '../../../shared/contract/consent-evidence';
import { evidenceText } from './consent-evidence';
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
  /**
   * What the change rests on, as a code with parameters (stored with its English text). A string
   * is a legacy English text (a pending change queued before evidence had codes): kept as written.
   */
  evidence?: ConsentEvidence | string | null | undefined;
  /** Required to re-opt-in a contact that opted out, when the change is manual. */
  reason?: string | null | undefined;
  /** When the person acted (a webhook's timestamp), or now for a change made in the app: decides the order. */
  at: number;
}

export function consentOf(db: Db, contactId: number): Record<ConsentCategory, ConsentState> {
  const out: Record<ConsentCategory, ConsentState> = { marketing: 'unknown', utility: 'unknown' };
  for (const r of db.prepare('SELECT category, state FROM consent_state WHERE contact_id = ?').all(contactId) as {
    category: ConsentCategory;
    state: ConsentState;
  }[]) {
    out[r.category] = r.state;
  }
  return out;
}

interface CurrentState {
  state: 'opted_in' | 'opted_out';
  /** When the person (or the marketer) did what decided it: the deciding event's `at`. */
  at: number;
  /** The deciding event's source (null if its event is gone). */
  source: ConsentSource | null;
}

function currentStates(db: Db, contactId: number): Map<ConsentCategory, CurrentState> {
  const rows = db
    .prepare(
      `SELECT s.category, s.state, s.updated_at AS at, e.source FROM consent_state s
    LEFT JOIN consent_events e ON e.id = s.event_id WHERE s.contact_id = ?`,
    )
    .all(contactId) as ({ category: ConsentCategory } & CurrentState)[];
  return new Map(rows.map((r) => [r.category, { state: r.state, at: r.at, source: r.source }]));
}

/**
 * Whether a change decides the current state, or only joins the history: consent follows the
 * person's LATEST action (by `at`, the webhook's timestamp), not the order Pacer processed them in,
 * so a "resume" that arrives after a newer STOP does not undo it.
 * - A manual change always decides: the marketer acts now, seeing the current state.
 * - Same instant (webhooks have whole seconds): the opt-out wins, so the outcome does not depend
 *   on arrival order.
 * - An older opt-out still beats an import's opt-in: an import never stands over an opt-out,
 *   whichever of the two arrived first.
 */
function decides(change: ConsentChange, cur: CurrentState | undefined): boolean {
  if (!cur || change.source === 'manual' || change.at > cur.at) return true;
  if (change.state !== 'opted_out') return false;
  return change.at === cur.at || (cur.source === 'import' && cur.state === 'opted_in');
}

/**
 * Records a change and answers the categories whose state it changed. A repeat of the current
 * state is not recorded again (a newer one only moves the state's time on); an older change that
 * arrived late is recorded in the history, marked, without changing the state. An import can
 * never opt an opted-out contact back in; a manual re-opt-in needs a reason.
 */
export function recordConsent(db: Db, change: ConsentChange): ConsentCategory[] {
  const categories = change.category === 'all' ? [...CONSENT_CATEGORIES] : [change.category];
  const current = currentStates(db, change.contactId);
  const changed: ConsentCategory[] = [];
  const insertEvent = db.prepare(
    'INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, evidence, evidence_data, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  // A legacy text has no structured value: it is stored as written (with the late note if any).
  const legacy = typeof change.evidence === 'string' ? change.evidence.trim() || null : null;
  const asText = (ev: ConsentEvidence | null): string | null =>
    legacy === null
      ? evidenceText(ev)
      : ev?.olderThan !== undefined
        ? `${legacy} — ${evidenceText({ code: 'manual', params: {}, olderThan: ev.olderThan })}`
        : legacy;
  const asData = (ev: ConsentEvidence | null) => (ev && legacy === null ? JSON.stringify(ev) : null);
  const upsert = db.prepare(`
    INSERT INTO consent_state (contact_id, category, state, updated_at, event_id) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (contact_id, category) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, event_id = excluded.event_id
  `);
  const touch = db.prepare('UPDATE consent_state SET updated_at = ? WHERE contact_id = ? AND category = ? AND updated_at < ?');
  // The same person's same action (a webhook handed over again) is history once.
  const recorded = db.prepare(
    'SELECT 1 FROM consent_events WHERE contact_id = ? AND category = ? AND state = ? AND source = ? AND at = ? LIMIT 1',
  );
  db.transaction(() => {
    for (const category of categories) {
      const cur = current.get(category);
      if (cur?.state === change.state) {
        // The state's time is its latest confirmation: an event older than that must lose to it.
        touch.run(change.at, change.contactId, category, change.at);
        continue;
      }
      let evidence: ConsentEvidence | null = typeof change.evidence === 'string' ? null : (change.evidence ?? null);
      if (change.state === 'opted_in' && cur?.state === 'opted_out') {
        if (change.source === 'import') continue; // never: an import does not undo an opt-out
        if (change.source === 'manual') {
          const reason = change.reason?.trim();
          if (!reason)
            throw badInput('This contact opted out. Opting them back in needs a reason (for example, how they asked to be re-subscribed).');
          // A merged copy's reason is the merge (mergedFrom says so in the evidence).
          evidence = { ...(evidence ?? { code: 'manual', params: {} }), ...(evidence?.mergedFrom === undefined ? { reason } : {}) };
        }
      }
      if (!decides(change, cur)) {
        if (recorded.get(change.contactId, category, change.state, change.source, change.at)) continue;
        // Kept as history, marked: not applied, older than the state's time.
        const late: ConsentEvidence = { ...(evidence ?? { code: 'manual', params: {} }), olderThan: cur!.at };
        insertEvent.run(
          change.contactId,
          category,
          change.state,
          change.source,
          change.sourceDetail,
          change.actor,
          asText(late),
          asData(late),
          change.at,
        );
        continue;
      }
      const ev = insertEvent.run(
        change.contactId,
        category,
        change.state,
        change.source,
        change.sourceDetail,
        change.actor,
        asText(evidence),
        asData(evidence),
        change.at,
      );
      // A manual change is "now"; should this clock be behind the one that timed the state, the
      // state keeps the later time, so an event older than the marketer's decision cannot undo it.
      const stateAt = change.source === 'manual' && cur ? Math.max(change.at, cur.at) : change.at;
      upsert.run(change.contactId, category, change.state, stateAt, Number(ev.lastInsertRowid));
      changed.push(category);
    }
  })();
  return changed;
}

export function consentHistory(db: Db, contactId: number): ConsentEvent[] {
  return (
    db
      .prepare(
        'SELECT id, category, state, source, source_detail, actor, evidence, evidence_data, at FROM consent_events WHERE contact_id = ? ORDER BY id DESC',
      )
      .all(contactId) as {
      id: number;
      category: ConsentCategory;
      state: 'opted_in' | 'opted_out';
      source: ConsentSource;
      source_detail: string;
      actor: string;
      evidence: string | null;
      evidence_data: string | null;
      at: number;
    }[]
  ).map((r) => ({
    id: r.id,
    category: r.category,
    state: r.state,
    source: r.source,
    sourceDetail: r.source_detail,
    actor: r.actor,
    evidence: r.evidence,
    evidenceData: parseConsentEvidence(r.evidence_data),
    at: r.at,
  }));
}
