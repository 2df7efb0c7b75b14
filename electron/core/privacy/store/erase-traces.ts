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
import { anyOf, erasedWamid, hasColumn, theirPendingStatuses, wamidCutter, type ErasureSubject } from './erase-wamids';
import { cutPerson, idNeedles, personIds, personNeedles, redactDoc, type PersonIds } from './erase-person';

/** The number as WhatsApp writes it in webhook bodies (wa_id, from, recipient_id): digits only. */
export const waIdOf = (e164: string) => e164.replace(/^\+/, '');

/**
 * A webhook body without the person: their inbound messages, contact profiles and preference
 * changes removed, the recipient fields of their statuses dropped (the status itself still
 * counts), and any remaining mention of their number, user ids, username or profile name (a reply
 * quoting it, an error text) cut out. `who`: a number (digits), or the person as erase-person.ts knows them.
 */
export function redactBody(body: string, who: string | PersonIds): string {
  const p = typeof who === 'string' ? personIds({ phone: who }) : who;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return cutPerson(p, body, '');
  }
  redactDoc(p, doc);
  return cutPerson(p, JSON.stringify(doc), '');
}

/**
 * The raw webhook bodies, in ONE pass over the inbox (its rows carry the bodies: every pass reads
 * them all). A body that names the person (by number, user id, parent id — or their contacts entry
 * by username): applied → deleted (its event keys stay, so a retry is still skipped); not applied
 * yet → rewritten without the person so the rest of it still gets applied. Every body (another
 * person's batch too) and every error text that quotes one of their message ids gets the erased
 * form, and loses any mention of their identifiers. The ids only a body names join `s.wamids` first.
 */
function scrubInbox(db: Db, s: ErasureSubject): { inboxDeleted: number; inboxRedacted: number } {
  const p = s.person;
  const { cut, needles: wamidNeedles } = wamidCutter(db, s);
  const needles = [...personNeedles(p), ...wamidNeedles];
  const rows = db
    .prepare(`SELECT id, state, body, last_error FROM webhook_inbox WHERE ${anyOf('body', needles)} OR ${anyOf('last_error', needles)}`)
    .all(...needles.map((n) => Buffer.from(n, 'utf8')), ...needles) as {
    id: number;
    state: string;
    body: Buffer;
    last_error: string | null;
  }[];
  // First every body is read for what is theirs (their message ids and profile names join the
  // subject), then each is written: an id found in one body is cut from all of them.
  const ids = idNeedles(p);
  const read = rows.map((r) => {
    const text = r.body.toString('utf8');
    let doc: unknown = null;
    try {
      doc = JSON.parse(text);
    } catch {
      /* cut as text below */
    }
    const structural = doc !== null && redactDoc(p, doc, (w) => s.wamids.add(w));
    return { text, doc, names: structural || ids.some((n) => text.includes(n)), structural };
  });
  let inboxDeleted = 0;
  let inboxRedacted = 0;
  const del = db.prepare('DELETE FROM webhook_inbox WHERE id = ?');
  const upd = db.prepare('UPDATE webhook_inbox SET body = ?, last_error = ? WHERE id = ?');
  rows.forEach((r, i) => {
    const { text, doc, names, structural } = read[i]!;
    if (names && r.state !== 'pending') {
      del.run(r.id);
      inboxDeleted++;
      return;
    }
    const body = cut(cutPerson(p, structural ? JSON.stringify(doc) : text, ''));
    const lastError = r.last_error === null ? null : cut(cutPerson(p, r.last_error, s.hash));
    if (body !== text || lastError !== r.last_error) {
      upd.run(Buffer.from(body, 'utf8'), lastError, r.id);
      if (names) inboxRedacted++;
    }
  });
  return { inboxDeleted, inboxRedacted };
}

/** Free-text columns that can quote the person or a message id, scanned once each (they are small, or few rows have text). */
const TEXT_COLUMNS = [
  ['campaign_events', 'detail'],
  ['audit_log', 'detail'],
] as const;

/**
 * Removes the person's traces outside the contact's own rows. Call inside the erasure transaction,
 * after the contact row is deleted, with what `subjectOf` read before. `s.hash` replaces their
 * number, user ids, username and profile name where an entry must stay (the audit trail): the
 * suppression record's keyed hash, so entries about one person still group. Their message ids in
 * these texts get their erased form (erase-wamids.ts).
 */
export function eraseTraces(db: Db, s: ErasureSubject): { inboxDeleted: number; inboxRedacted: number } {
  const p = s.person;
  const inbox = scrubInbox(db, s);
  const { cut, needles: wamidNeedles } = wamidCutter(db, s);
  const cutAll = (t: string) => cut(cutPerson(p, t, s.hash));
  if (s.waId) db.prepare('DELETE FROM webhook_contact_window WHERE wa_id = ? OR wa_id = ?').run(s.waId, s.e164);
  // Their merged statuses (found by the number through 0017's index, and by their ids).
  const statuses = new Set([
    ...(s.waId
      ? (db.prepare('SELECT wamid FROM webhook_message_status WHERE recipient_id IN (?, ?)').pluck().all(s.waId, s.e164) as string[])
      : []),
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
  // Statuses kept pending: theirs lose every field naming them (null, never an empty string), any
  // other mention is cut; the status stays and still applies to its ledger row (its wamid gets
  // the erased form in eraseWamids).
  const setEvent = db.prepare('UPDATE webhook_pending_status SET event = ? WHERE event_key = ?');
  for (const r of theirPendingStatuses(db, p)) {
    const event = cut(cutPerson(p, r.redacted ?? r.event, ''));
    if (event !== r.event) setEvent.run(event, r.event_key);
  }
  // The ledger rows keep their state (counts); 0005's and 0017's triggers already dropped phone,
  // user id, params and tz.
  const ledger = db.prepare('SELECT error_detail FROM campaign_recipients WHERE id = ?').pluck();
  const setDetail = db.prepare('UPDATE campaign_recipients SET error_detail = ? WHERE id = ?');
  for (const id of s.ledgerRows) {
    const d = ledger.get(id) as string | null | undefined;
    if (d) {
      const v = cutAll(d);
      if (v !== d) setDetail.run(v, id);
    }
  }
  // Texts that quote the person or an id: one pass each, rewritten in JS.
  const needles = [...personNeedles(p), ...wamidNeedles];
  for (const [t, c] of TEXT_COLUMNS) {
    const rows = db.prepare(`SELECT rowid AS id, ${c} AS v FROM ${t} WHERE ${anyOf(c, needles)}`).all(...needles) as {
      id: number;
      v: string;
    }[];
    const upd = db.prepare(`UPDATE ${t} SET ${c} = ? WHERE rowid = ?`);
    for (const r of rows) upd.run(cutAll(r.v), r.id);
  }
  // An import's kept rejected rows can quote the person ("duplicate of row 7 (+972…)", a user id).
  const person = personNeedles(p);
  if (person.length) {
    const rejected = db
      .prepare(
        `SELECT import_id, seq, reason, params FROM import_rejections WHERE ${anyOf('reason', person)} OR ${anyOf("coalesce(params, '')", person)}`,
      )
      .all(...person, ...person) as { import_id: string; seq: number; reason: string; params: string | null }[];
    const setRejected = db.prepare('UPDATE import_rejections SET reason = ?, params = ? WHERE import_id = ? AND seq = ?');
    for (const r of rejected)
      setRejected.run(cutPerson(p, r.reason, s.hash), r.params === null ? null : cutPerson(p, r.params, s.hash), r.import_id, r.seq);
  }
  // Earlier audit entries about this person now name the keyed hash (never the erased number or id).
  const subjects = [...(s.e164 ? [s.e164] : []), ...idNeedles(p)];
  if (subjects.length && hasColumn(db, 'audit_log', 'subject'))
    db.prepare(`UPDATE audit_log SET subject = ? WHERE subject IN (${subjects.map(() => '?').join(', ')})`).run(s.hash, ...subjects);
  // Consent that waited for their user id (migration 0014's table, emptied by 0017 but still written
  // by older paths) holds their ids, username and profile name.
  if (hasColumn(db, 'user_id_consent_pending', 'user_id')) {
    const del = db.prepare('DELETE FROM user_id_consent_pending WHERE user_id = ? OR parent_user_id = ? OR username = ?');
    for (const u of [...p.userIds, ...p.parentUserIds, ...p.usernames]) del.run(u, u, u);
  }
  // Replies kept by user id (a phone-less sender), where the store has them; by number, 0015's trigger.
  if (p.userIds.size && hasColumn(db, 'inbound_replies', 'user_id')) {
    const del = db.prepare('DELETE FROM inbound_replies WHERE user_id = ?');
    for (const u of p.userIds) del.run(u);
  }
  // The word index is contentless: the erased row's tokens are only tombstoned until a merge.
  // 'optimize' rewrites the index now, so the name and digits leave its pages (freed pages are
  // zeroed by secure_delete).
  db.prepare("INSERT INTO contacts_fts(contacts_fts) VALUES ('optimize')").run();
  return inbox;
}

/**
 * A row whose events were forgotten (a late status or message of someone erased;
 * webhooks/processor.ts): those ids, numbers and user ids leave its raw body, inside the row's transaction.
 */
export function scrubForgotten(
  db: Db,
  inboxId: number,
  forgotten: readonly { wamid: string | null; waId: string | null; userId?: string | undefined }[],
): void {
  const body = db.prepare('SELECT body FROM webhook_inbox WHERE id = ?').pluck().get(inboxId) as Buffer | undefined;
  if (!body) return;
  let text = body.toString('utf8');
  for (const f of forgotten) {
    const phone = f.waId && /^\d{6,}$/.test(f.waId) ? f.waId : null;
    if (phone || f.userId) text = redactBody(text, personIds({ phone, userId: f.userId ?? null }));
    if (f.wamid) text = text.split(f.wamid).join(erasedWamid(db, f.wamid));
  }
  db.prepare('UPDATE webhook_inbox SET body = ? WHERE id = ?').run(Buffer.from(text, 'utf8'), inboxId);
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
