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
 * the identity hash go), `webhook_event_keys` keep the de-duplication keys. Message ids (which
 * encode the number) are rewritten to their erased form here in texts and bodies, and by
 * erase-wamids.ts in the columns and keys that hold one.
 */
import type { Db } from '../../db/connection';
import { erasedWamid, wamidCutter, type ErasureSubject } from './erase-wamids';

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

/** Message ids in one raw webhook body that belong to `waId`: statuses to them, messages from them (and what they answered). */
function wamidsInBody(body: string, waId: string, out: Set<string>): void {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return;
  }
  if (!isObj(doc) || !Array.isArray(doc.entry)) return;
  for (const entry of doc.entry) {
    if (!isObj(entry) || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes) {
      const value = isObj(change) && isObj(change.value) ? change.value : null;
      if (!value) continue;
      for (const s of Array.isArray(value.statuses) ? value.statuses : [])
        if (isObj(s) && String(s.recipient_id) === waId && typeof s.id === 'string') out.add(s.id);
      for (const m of Array.isArray(value.messages) ? value.messages : []) {
        if (!isObj(m) || String(m.from) !== waId) continue;
        if (typeof m.id === 'string') out.add(m.id);
        if (isObj(m.context) && typeof m.context.id === 'string') out.add(m.context.id);
      }
    }
  }
}

/**
 * The raw webhook bodies, in ONE pass over the inbox (its rows carry the bodies: every pass reads
 * them all). A body that names the number: applied → deleted (its event keys stay, so a retry is
 * still skipped); not applied yet → rewritten without the person so the rest of it still gets
 * applied. Every body (another person's batch too) and every error text that quotes one of their
 * message ids gets the erased form. The ids only a body names join `s.wamids` first.
 */
function scrubInbox(db: Db, s: ErasureSubject): { inboxDeleted: number; inboxRedacted: number } {
  const { cut, needles: idNeedles } = wamidCutter(db, s);
  const needles = [s.waId, ...idNeedles];
  const any = (col: string) => needles.map(() => `instr(${col}, ?) > 0`).join(' OR ');
  const rows = db
    .prepare(`SELECT id, state, body, last_error FROM webhook_inbox WHERE ${any('body')} OR ${any('last_error')}`)
    .all(...needles.map((n) => Buffer.from(n, 'utf8')), ...needles) as {
    id: number;
    state: string;
    body: Buffer;
    last_error: string | null;
  }[];
  const texts = rows.map((r) => r.body.toString('utf8'));
  texts.forEach((t) => t.includes(s.waId) && wamidsInBody(t, s.waId, s.wamids));
  let inboxDeleted = 0;
  let inboxRedacted = 0;
  const del = db.prepare('DELETE FROM webhook_inbox WHERE id = ?');
  const upd = db.prepare('UPDATE webhook_inbox SET body = ?, last_error = ? WHERE id = ?');
  rows.forEach((r, i) => {
    const text = texts[i]!;
    const names = text.includes(s.waId);
    if (names && r.state !== 'pending') {
      del.run(r.id);
      inboxDeleted++;
      return;
    }
    const body = cut(names ? redactBody(text, s.waId) : text);
    const lastError = r.last_error === null ? null : cut(r.last_error.split(s.e164).join(s.hash).split(s.waId).join(s.hash));
    if (body !== text || lastError !== r.last_error) {
      upd.run(Buffer.from(body, 'utf8'), lastError, r.id);
      if (names) inboxRedacted++;
    }
  });
  return { inboxDeleted, inboxRedacted };
}

/** Free-text columns that can quote the number or a message id, scanned once each (they are small, or few rows have text). */
const TEXT_COLUMNS = [
  ['campaign_events', 'detail'],
  ['audit_log', 'detail'],
] as const;

/**
 * Removes the person's traces outside the contact's own rows. Call inside the erasure transaction,
 * after the contact row is deleted, with what `subjectOf` read before. `s.hash` replaces the number
 * where an entry must stay (the audit trail): the suppression record's keyed hash, so entries about
 * one person still group. Their message ids in these texts get their erased form (erase-wamids.ts).
 */
export function eraseTraces(db: Db, s: ErasureSubject): { inboxDeleted: number; inboxRedacted: number } {
  const { e164, waId } = s;
  const p = { e164, waId, by: s.hash };
  const inbox = scrubInbox(db, s);
  const { cut, needles: idNeedles } = wamidCutter(db, s);
  const cutAll = (t: string) => cut(t.split(e164).join(s.hash).split(waId).join(s.hash));
  db.prepare('DELETE FROM webhook_contact_window WHERE wa_id = ? OR wa_id = ?').run(waId, e164);
  // Their merged statuses (found by the number through 0017's index, and by their ids).
  const statuses = new Set([
    ...(db.prepare('SELECT wamid FROM webhook_message_status WHERE recipient_id IN (?, ?)').pluck().all(waId, e164) as string[]),
    ...s.wamids,
  ]);
  const status = db.prepare('SELECT error_title FROM webhook_message_status WHERE wamid = ?').pluck();
  const clear = db.prepare(
    'UPDATE webhook_message_status SET recipient_id = NULL, recipient_identity_key_hash = NULL, error_title = ? WHERE wamid = ?',
  );
  for (const w of statuses) {
    const title = status.get(w) as string | null | undefined;
    if (title !== undefined) clear.run(title === null ? null : cutAll(title), w);
  }
  db.prepare(`UPDATE webhook_pending_status SET event = ${REPLACE_SQL('event')} WHERE ${MENTIONS_SQL('event')}`).run({ ...p, by: '' });
  // The ledger rows keep their state (counts); 0005's trigger already dropped phone/params/tz.
  const ledger = db.prepare('SELECT error_detail FROM campaign_recipients WHERE id = ?').pluck();
  const setDetail = db.prepare('UPDATE campaign_recipients SET error_detail = ? WHERE id = ?');
  for (const id of s.ledgerRows) {
    const d = ledger.get(id) as string | null | undefined;
    if (d) {
      const v = cutAll(d);
      if (v !== d) setDetail.run(v, id);
    }
  }
  // Texts that quote the number or an id: one pass each, rewritten in JS.
  const needles = [waId, ...idNeedles];
  for (const [t, c] of TEXT_COLUMNS) {
    const rows = db
      .prepare(`SELECT rowid AS id, ${c} AS v FROM ${t} WHERE ${needles.map(() => `instr(${c}, ?) > 0`).join(' OR ')}`)
      .all(...needles) as { id: number; v: string }[];
    const upd = db.prepare(`UPDATE ${t} SET ${c} = ? WHERE rowid = ?`);
    for (const r of rows) upd.run(cutAll(r.v), r.id);
  }
  // An import's kept rejected rows can quote the number ("duplicate of row 7 (+972…)").
  db.prepare(`UPDATE import_rejections SET reason = ${REPLACE_SQL('reason')} WHERE ${MENTIONS_SQL('reason')}`).run(p);
  // Earlier audit entries about this person now name the keyed hash (never the erased number).
  if (hasColumn(db, 'audit_log', 'subject'))
    db.prepare('UPDATE audit_log SET subject = @by WHERE subject = @e164 OR subject = @waId').run(p);
  // The word index is contentless: the erased row's tokens are only tombstoned until a merge.
  // 'optimize' rewrites the index now, so the name and digits leave its pages (freed pages are
  // zeroed by secure_delete).
  db.prepare("INSERT INTO contacts_fts(contacts_fts) VALUES ('optimize')").run();
  return inbox;
}

/**
 * A row whose events were forgotten (a late status of someone erased; webhooks/processor.ts):
 * those ids and numbers leave its raw body, inside the row's transaction.
 */
export function scrubForgotten(db: Db, inboxId: number, forgotten: readonly { wamid: string | null; waId: string | null }[]): void {
  const body = db.prepare('SELECT body FROM webhook_inbox WHERE id = ?').pluck().get(inboxId) as Buffer | undefined;
  if (!body) return;
  let text = body.toString('utf8');
  for (const f of forgotten) {
    if (f.waId && /^\d{6,}$/.test(f.waId)) text = redactBody(text, f.waId);
    if (f.wamid) text = text.split(f.wamid).join(erasedWamid(db, f.wamid));
  }
  db.prepare('UPDATE webhook_inbox SET body = ? WHERE id = ?').run(Buffer.from(text, 'utf8'), inboxId);
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
 * reader holding an old snapshot (the webhook writer thread between commits), or another
 * connection's checkpoint, can make it answer busy; it is retried for up to 15 s, and the next
 * erasure or close finishes it otherwise.
 */
export function scrubFreedPages(db: Db): boolean {
  if (db.inTransaction) return false;
  // Another connection's checkpoint (db/checkpoint-thread.ts, after a big import) holds the
  // checkpoint lock for up to a few seconds, and SQLite answers busy at once rather than waiting:
  // wait for it here (an erasure is rare; the erased pages must not stay behind in pacer.db).
  const until = Date.now() + SCRUB_PATIENCE_MS;
  for (;;) {
    const r = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (!r[0] || r[0].busy === 0) return true;
    if (Date.now() >= until) return false;
    Atomics.wait(pause, 0, 0, 25);
  }
}

const SCRUB_PATIENCE_MS = 15_000;
const pause = new Int32Array(new SharedArrayBuffer(4));
