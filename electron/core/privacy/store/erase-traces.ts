/**
 * Erasure that leaves nothing (issue #14, item 2). Deleting the contact row cascades to its tags,
 * attributes, consent state and history, holds and message history, and 0005's trigger clears the
 * campaign ledger's phone/params. What the cascade cannot reach is everything keyed by the
 * WhatsApp number rather than by contact id — the webhook tables — and text that merely mentions
 * the number (audit details, error texts). `eraseTraces` removes those, inside the erasure's
 * transaction; `scrubFreedPages` runs after the commit so the deleted bytes leave the files too.
 *
 * Campaign counts are untouched: ledger rows keep their state and timestamps (only the personal
 * columns go), `webhook_message_status` rows keep status/timestamps/pricing (only recipient_id and
 * the identity hash go), `webhook_event_keys` keep the de-duplication keys (no number in them).
 */
import type { Db } from '../../db/connection';

/** The number as WhatsApp writes it in webhook bodies (wa_id, from, recipient_id): digits only. */
export const waIdOf = (e164: string) => e164.replace(/^\+/, '');

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A webhook body without the person: their inbound messages and contact profiles removed, the
 * recipient of their statuses blanked (the status itself still counts), and any remaining mention
 * of the number (a reply quoting it, an error text) cut out. Answers null when nothing changed.
 */
export function redactBody(body: string, waId: string): string {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return body.split(waId).join('');
  }
  if (isObj(doc) && Array.isArray(doc.entry)) {
    for (const entry of doc.entry) {
      if (!isObj(entry) || !Array.isArray(entry.changes)) continue;
      for (const change of entry.changes) {
        const value = isObj(change) && isObj(change.value) ? change.value : null;
        if (!value) continue;
        if (Array.isArray(value.messages)) value.messages = value.messages.filter((m) => !(isObj(m) && String(m.from) === waId));
        if (Array.isArray(value.contacts)) value.contacts = value.contacts.filter((c) => !(isObj(c) && String(c.wa_id) === waId));
        if (Array.isArray(value.statuses)) {
          for (const s of value.statuses) if (isObj(s) && String(s.recipient_id) === waId) delete s.recipient_id;
        }
      }
    }
  }
  return JSON.stringify(doc).split(waId).join('');
}

/** Replaces a text's mentions of the number (E.164 first, then bare digits) by `by`. */
const REPLACE_SQL = (col: string) => `replace(replace(${col}, @e164, @by), @waId, @by)`;
const MENTIONS_SQL = (col: string) => `(instr(${col}, @waId) > 0)`;

/**
 * Removes the person's traces outside the contact's own rows. Call inside the erasure transaction,
 * before or after the contact row is deleted. `hash` replaces the number where an entry must stay
 * (the audit trail): the suppression record's keyed hash, so entries about one person still group.
 */
export function eraseTraces(db: Db, e164: string, hash: string): { inboxDeleted: number; inboxRedacted: number } {
  const waId = waIdOf(e164);
  const p = { e164, waId, by: hash };
  // Raw webhook bodies: an applied body goes (its event keys stay, so a retry is still skipped);
  // one not yet applied is rewritten without the person so the rest of it still gets applied.
  const needle = Buffer.from(waId, 'utf8');
  const rows = db.prepare('SELECT id, state, body FROM webhook_inbox WHERE instr(body, ?) > 0').all(needle) as {
    id: number;
    state: string;
    body: Buffer;
  }[];
  let inboxDeleted = 0;
  let inboxRedacted = 0;
  const del = db.prepare('DELETE FROM webhook_inbox WHERE id = ?');
  const upd = db.prepare('UPDATE webhook_inbox SET body = ? WHERE id = ?');
  for (const r of rows) {
    if (r.state === 'pending') {
      upd.run(Buffer.from(redactBody(r.body.toString('utf8'), waId), 'utf8'), r.id);
      inboxRedacted++;
    } else {
      del.run(r.id);
      inboxDeleted++;
    }
  }
  db.prepare(`UPDATE webhook_inbox SET last_error = ${REPLACE_SQL('last_error')} WHERE ${MENTIONS_SQL('last_error')}`).run(p);
  db.prepare('DELETE FROM webhook_contact_window WHERE wa_id = ? OR wa_id = ?').run(waId, e164);
  db.prepare(
    'UPDATE webhook_message_status SET recipient_id = NULL, recipient_identity_key_hash = NULL WHERE recipient_id = ? OR recipient_id = ?',
  ).run(waId, e164);
  db.prepare(`UPDATE webhook_message_status SET error_title = ${REPLACE_SQL('error_title')} WHERE ${MENTIONS_SQL('error_title')}`).run(p);
  db.prepare(`UPDATE webhook_pending_status SET event = ${REPLACE_SQL('event')} WHERE ${MENTIONS_SQL('event')}`).run({ ...p, by: '' });
  // The ledger row keeps its state (counts); 0005's trigger already dropped phone/params/tz.
  db.prepare(`UPDATE campaign_recipients SET error_detail = ${REPLACE_SQL('error_detail')} WHERE ${MENTIONS_SQL('error_detail')}`).run(p);
  db.prepare(`UPDATE campaign_events SET detail = ${REPLACE_SQL('detail')} WHERE ${MENTIONS_SQL('detail')}`).run(p);
  // An import's kept rejected rows can quote the number ("duplicate of row 7 (+972…)").
  db.prepare(`UPDATE import_rejections SET reason = ${REPLACE_SQL('reason')} WHERE ${MENTIONS_SQL('reason')}`).run(p);
  // Earlier audit entries about this person now name the keyed hash (never the erased number).
  db.prepare(`UPDATE audit_log SET detail = ${REPLACE_SQL('detail')} WHERE ${MENTIONS_SQL('detail')}`).run(p);
  if (hasColumn(db, 'audit_log', 'subject'))
    db.prepare('UPDATE audit_log SET subject = @by WHERE subject = @e164 OR subject = @waId').run(p);
  // The word index is contentless: the erased row's tokens are only tombstoned until a merge.
  // 'optimize' rewrites the index now, so the name and digits leave its pages (freed pages are
  // zeroed by secure_delete).
  db.prepare("INSERT INTO contacts_fts(contacts_fts) VALUES ('optimize')").run();
  return { inboxDeleted, inboxRedacted };
}

const columns = new WeakMap<Db, Map<string, boolean>>();
function hasColumn(db: Db, table: string, column: string): boolean {
  let m = columns.get(db);
  if (!m) columns.set(db, (m = new Map()));
  const k = `${table}.${column}`;
  let v = m.get(k);
  if (v === undefined) {
    v = (db.prepare(`SELECT 1 FROM pragma_table_info('${table}') WHERE name = ?`).get(column) ?? null) !== null;
    m.set(k, v);
  }
  return v;
}

/**
 * After the erasure commits: the WAL still holds the old pages (it is only overwritten as it is
 * reused). A TRUNCATE checkpoint copies the zeroed pages into pacer.db and empties the WAL. A
 * reader holding an old snapshot (the webhook writer thread between commits) can make it answer
 * busy; it is retried briefly, and the next erasure or close finishes it otherwise.
 */
export function scrubFreedPages(db: Db): boolean {
  if (db.inTransaction) return false;
  for (let i = 0; i < 5; i++) {
    const r = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (!r[0] || r[0].busy === 0) return true;
  }
  return false;
}
