/**
 * Erasure of a person's WhatsApp message ids (issue #14, item 2). Meta's wamids
 * (`wamid.HBgMOTcyNTAy…`) are base64 of a small protobuf that starts with the recipient's number
 * (the sender's, for an inbound message): `HBgM` is 0x1c 0x18 0x0c — a tag and the number's length
 * — and `OTcyNTAy…` is "972502…". Anyone holding a wamid reads the number back, so after an
 * erasure no table, key or text may keep one of that person's wamids.
 *
 * Each is replaced by `erased.` + the keyed hash of the wamid (HMAC with the suppression record's
 * per-install key, erasures.ts): not reversible without the key, the same value in every table (a
 * ledger row and its merged status still join, a pending status still finds its row), and the
 * prefix can never be a real wamid. Rows, states and timestamps stay, so campaign counts do not
 * move. A late status for the original wamid is recognised by hashing it again
 * (`forgottenEvent`): the webhook processor records it as seen and applies it to nothing.
 *
 * The steps of an erasure: `subjectOf` (before the contact row goes: its ledger rows are found by
 * contact id), then erase-traces.ts (numbers, names, raw bodies, texts — wamids in texts too, with
 * `wamidCutter`), then `eraseWamids` (the columns and keys that hold an id).
 */
import type { Db } from '../../db/connection';
import { erasureHash, erasuresVersion, erasureToken } from './erasures';
import { personIds, personNeedles, idNeedles, redactStatusEvent, type PersonIds, type PersonInput } from './erase-person';

export const ERASED_WAMID_PREFIX = 'erased.';

/** What an erased wamid becomes (deterministic per data folder, so every table agrees). */
export function erasedWamid(db: Db, wamid: string): string {
  return ERASED_WAMID_PREFIX + erasureToken(db, `wamid:${wamid}`);
}

/**
 * The start every Meta-format wamid of this number shares: base64 of 0x1c 0x18 <length> <digits>,
 * cut to whole 3-byte groups (the next characters also depend on what follows the number).
 */
export function wamidPrefixOf(waId: string): string | null {
  if (!/^\d{6,20}$/.test(waId)) return null;
  const bytes = Buffer.concat([Buffer.from([0x1c, 0x18, waId.length]), Buffer.from(waId, 'ascii')]);
  return 'wamid.' + bytes.subarray(0, Math.floor(bytes.length / 3) * 3).toString('base64');
}

/** Whether a wamid's payload holds the number's digits (Meta's format, or any that embeds them). */
export function wamidEncodes(wamid: string, waId: string): boolean {
  if (!wamid.startsWith('wamid.') || waId.length < 6) return false;
  return Buffer.from(wamid.slice(6), 'base64').includes(Buffer.from(waId, 'ascii'));
}

/** `[from, to)` of the strings starting with `p` (binary collation: bump the last character). */
const rangeOf = (p: string): [string, string] => [p, p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) + 1)];

/** Who is being erased, as the steps of an erasure need them. */
export interface ErasureSubject {
  /** Their number; null for a person known only by their WhatsApp user id (migration 0017). */
  e164: string | null;
  /** The number as WhatsApp writes it (digits only); null without a number. */
  waId: string | null;
  /** Every way webhooks name them: number, user id, parent user id, username, profile names (erase-person.ts). */
  person: PersonIds;
  /** The suppression record's keyed hash: what replaces the number where an entry must stay. */
  hash: string;
  /** Their message ids; the raw-body pass of erase-traces.ts adds the ones only a body names. */
  wamids: Set<string>;
  /** Their campaign ledger rows (by contact id, found before the contact row goes). */
  ledgerRows: number[];
}

const columns = new WeakMap<Db, Map<string, boolean>>();
/** Whether a table has a column (a table another branch's migration adds; a webhook-only database). */
export function hasColumn(db: Db, table: string, column: string): boolean {
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

/** `instr(col, ?) > 0 OR …` for each needle. */
export const anyOf = (col: string, needles: readonly string[]) => needles.map(() => `instr(${col}, ?) > 0`).join(' OR ') || '0';

/**
 * Pending statuses (kept before their send was known; webhooks/processor.ts) that are the person's:
 * pre-selected by their ids in the event text, then checked field by field — a phone-less
 * person's has `recipientId: null` and names them by `recipientUserId` (and username). `redacted`
 * is the event without them (erase-person.ts), or null when it only mentions them in passing.
 */
export function theirPendingStatuses(db: Db, p: PersonIds): { event_key: string; wamid: string; event: string; redacted: string | null }[] {
  const needles = personNeedles(p);
  if (!needles.length) return [];
  const rows = db
    .prepare(`SELECT event_key, wamid, event FROM webhook_pending_status WHERE ${anyOf('event', needles)}`)
    .all(...needles) as { event_key: string; wamid: string; event: string }[];
  return rows.map((r) => ({ ...r, redacted: redactStatusEvent(p, r.event) }));
}

/** Who: a number (E.164 or digits), or what the contact row says of them. */
export type ErasureWho = string | PersonInput;

/** The contact's WhatsApp identity as its row holds it (read before the row goes). */
function contactPerson(db: Db, contactId: number, who: ErasureWho): PersonInput {
  const given: PersonInput =
    typeof who === 'string' ? (who.startsWith('+') || /^\d+$/.test(who) ? { phone: who } : { phone: null, userId: who }) : who;
  const row = db.prepare('SELECT phone, user_id, parent_user_id, username, name FROM contacts WHERE id = ?').get(contactId) as
    { phone: string | null; user_id: string | null; parent_user_id: string | null; username: string | null; name: string } | undefined;
  if (!row) return given;
  return {
    phone: given.phone ?? row.phone,
    userId: given.userId ?? row.user_id,
    parentUserId: given.parentUserId ?? row.parent_user_id,
    username: given.username ?? row.username,
    // A contact without a phone was named by WhatsApp (their profile name, migration 0017).
    profileName: given.profileName ?? (row.phone === null ? row.name : null),
  };
}

/**
 * Everything needed to erase one person, read inside the erasure's transaction BEFORE the contact
 * row goes. Message ids by link (ledger rows, merged statuses to the number, replies and the
 * 24-hour window, statuses kept pending that name them by number or user id) and, for Meta's
 * format, every id in the indexed wamid columns and event keys starting with the number's prefix
 * (checked by decoding) — so a status kept before its send was known is found too. A person known
 * only by user id has no number to decode: their ids are found by link (and in raw bodies, by
 * erase-traces.ts).
 */
export function subjectOf(db: Db, contactId: number, who: ErasureWho, hash: string): ErasureSubject {
  const person = personIds(contactPerson(db, contactId, who));
  const { e164, waId } = person;
  const wamids = new Set<string>();
  const add = (values: unknown[]) => {
    for (const v of values) if (typeof v === 'string' && v && !v.startsWith(ERASED_WAMID_PREFIX)) wamids.add(v);
  };
  const ledger = db.prepare('SELECT id, wamid FROM campaign_recipients WHERE contact_id = ?').all(contactId) as {
    id: number;
    wamid: string | null;
  }[];
  add(ledger.map((r) => r.wamid));
  const col = (sql: string, ...p: unknown[]) =>
    add(
      db
        .prepare(sql)
        .pluck()
        .all(...p),
    );
  if (waId) {
    col('SELECT wamid FROM webhook_message_status WHERE recipient_id IN (?, ?)', waId, e164);
    col('SELECT message_id FROM inbound_replies WHERE wa_id = ?', waId);
    col('SELECT context_id FROM inbound_replies WHERE wa_id = ? AND context_id IS NOT NULL', waId);
    col('SELECT last_message_id FROM webhook_contact_window WHERE wa_id IN (?, ?)', waId, e164);
  }
  // Replies kept by user id (a phone-less sender), where the store has them.
  if (person.userIds.size && hasColumn(db, 'inbound_replies', 'user_id'))
    for (const u of person.userIds) {
      col('SELECT message_id FROM inbound_replies WHERE user_id = ?', u);
      col('SELECT context_id FROM inbound_replies WHERE user_id = ? AND context_id IS NOT NULL', u);
    }
  const ids = idNeedles(person);
  add(theirPendingStatuses(db, person).flatMap((r) => (r.redacted !== null || ids.some((n) => r.event.includes(n)) ? [r.wamid] : [])));
  const prefix = waId ? wamidPrefixOf(waId) : null;
  if (prefix && waId) {
    const [lo, hi] = rangeOf(prefix);
    const found: unknown[] = [];
    for (const [t, c] of [
      ['campaign_recipients', 'wamid'],
      ['webhook_message_status', 'wamid'],
      ['webhook_pending_status', 'wamid'],
      ['inbound_replies', 'message_id'],
    ] as const)
      found.push(...db.prepare(`SELECT ${c} FROM ${t} WHERE ${c} >= ? AND ${c} < ?`).pluck().all(lo, hi));
    for (const kind of ['status:', 'message:']) {
      const keys = db
        .prepare('SELECT key FROM webhook_event_keys WHERE key >= ? AND key < ?')
        .pluck()
        .all(kind + lo, kind + hi) as string[];
      found.push(...keys.map((k) => k.slice(kind.length).split(':')[0]));
    }
    add(found.filter((w) => typeof w === 'string' && wamidEncodes(w, waId)));
  }
  return { e164, waId, person, hash, wamids, ledgerRows: ledger.map((r) => r.id) };
}

const WAMID_TOKEN = /wamid\.[A-Za-z0-9+/=_-]+/g;

/**
 * A function that rewrites a text's mentions of the person's message ids (those known, and any
 * Meta-format id that decodes to the number) to their erased form; and the substrings a SQL
 * `instr` can pre-select such texts by (the number's wamid prefix, the other known ids).
 */
export function wamidCutter(db: Db, s: ErasureSubject): { cut: (text: string) => string; needles: string[] } {
  const waId = s.waId;
  const prefix = waId ? wamidPrefixOf(waId) : null;
  const cut = (text: string): string => {
    let t = text.includes('wamid.')
      ? text.replace(WAMID_TOKEN, (tok) => (s.wamids.has(tok) || (waId !== null && wamidEncodes(tok, waId)) ? erasedWamid(db, tok) : tok))
      : text;
    for (const w of s.wamids) if (!w.startsWith('wamid.') && t.includes(w)) t = t.split(w).join(erasedWamid(db, w));
    return t;
  };
  const needles = [...(prefix ? [prefix] : []), ...[...s.wamids].filter((w) => !prefix || !w.startsWith(prefix))];
  return { cut, needles };
}

/**
 * Replaces the person's message ids by their erased form in the columns and keys that hold an id,
 * and the number inside their preferences' event keys by the suppression record's hash. Call inside
 * the erasure's transaction, after erase-traces.ts. Answers how many ids were replaced.
 */
export function eraseWamids(db: Db, s: ErasureSubject): number {
  // Keyed by the wamid, through its index: a few statements per id.
  const byId = [
    'UPDATE campaign_recipients SET wamid = @e WHERE wamid = @w',
    'UPDATE OR REPLACE webhook_message_status SET wamid = @e WHERE wamid = @w',
    'UPDATE OR REPLACE webhook_pending_status SET wamid = @e, event_key = replace(event_key, @w, @e), event = replace(event, @w, @e) WHERE wamid = @w',
    "UPDATE OR REPLACE webhook_event_keys SET key = replace(key, @w, @e) WHERE key >= 'status:' || @w || ':' AND key < 'status:' || @w || ';'",
    "UPDATE OR REPLACE webhook_event_keys SET key = 'message:' || @e WHERE key = 'message:' || @w",
    'UPDATE OR REPLACE inbound_replies SET message_id = @e WHERE message_id = @w',
  ].map((sql) => db.prepare(sql));
  const map: Record<string, string> = {};
  for (const w of s.wamids) {
    const e = erasedWamid(db, w);
    map[w] = e;
    for (const st of byId) st.run({ w, e });
  }
  // Clicks on their messages: no index on the id (few rows: only clicks), one pass with the map.
  if (s.wamids.size)
    db.prepare(
      'UPDATE click_events SET wamid = (SELECT value FROM json_each(@json) WHERE key = click_events.wamid) WHERE wamid IN (SELECT key FROM json_each(@json))',
    ).run({ json: JSON.stringify(map) });
  // A preference's event key names the number itself ("user_preferences:<wa_id>:…"), or the
  // user id when the webhook withheld the number (webhooks/payload.ts).
  const pref = db.prepare(
    'UPDATE OR REPLACE webhook_event_keys SET key = @to || substr(key, length(@lo) + 1) WHERE key >= @lo AND key < @hi',
  );
  for (const id of [...(s.waId ? [s.waId] : []), ...s.person.userIds])
    pref.run({ to: `user_preferences:${s.hash}:`, lo: `user_preferences:${id}:`, hi: `user_preferences:${id};` });
  forgetCache(db);
  return s.wamids.size;
}

/**
 * What `forgottenEvent` compares against, read once (and again after an erasure or a lift): the
 * suppression records' hashes and every erased message id (the ledger, the merged statuses and the
 * event keys hold them). Asked for every webhook event, so it must not query per event.
 */
interface ErasedSets {
  version: number;
  hashes: Set<string>;
  wamids: Set<string>;
}
const caches = new WeakMap<Db, ErasedSets>();

/** Drop the cached sets (an erasure, a lift). */
export function forgetCache(db: Db): void {
  caches.delete(db);
}

function erasedSets(db: Db): ErasedSets {
  const version = erasuresVersion(db);
  let c = caches.get(db);
  if (c && c.version === version) return c;
  // A webhook-only database (tests, tools) has no contacts or ledger: nothing can be erased there.
  const tables = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
  const full = ['contact_erasures', 'campaign_recipients', 'webhook_message_status', 'webhook_event_keys'].every((t) => tables.has(t));
  const hashes = new Set(full ? (db.prepare('SELECT hash FROM contact_erasures').pluck().all() as string[]) : []);
  const wamids = new Set<string>();
  if (full) {
    const [lo, hi] = rangeOf(ERASED_WAMID_PREFIX);
    for (const sql of [
      'SELECT wamid FROM campaign_recipients WHERE wamid >= ? AND wamid < ?',
      'SELECT wamid FROM webhook_message_status WHERE wamid >= ? AND wamid < ?',
    ])
      for (const w of db.prepare(sql).pluck().all(lo, hi) as string[]) wamids.add(w);
    for (const kind of ['status:', 'message:'])
      for (const k of db
        .prepare('SELECT key FROM webhook_event_keys WHERE key >= ? AND key < ?')
        .pluck()
        .all(kind + lo, kind + hi) as string[])
        wamids.add(k.slice(kind.length).split(':')[0]!);
  }
  c = { version, hashes, wamids };
  caches.set(db, c);
  return c;
}

/** Was this message id erased with its person? */
export function isErasedWamid(db: Db, wamid: string): boolean {
  const sets = erasedSets(db);
  if (!sets.wamids.size || !wamid || wamid.startsWith(ERASED_WAMID_PREFIX)) return false;
  return sets.wamids.has(erasedWamid(db, wamid));
}

/**
 * Whether an event concerns someone erased — a status of an erased message id, to an erased
 * number or to an erased user id; a message whose id was erased (a retry) or from an erased user
 * id; a preference of an erased number or user id; a click on an erased message or by an erased
 * person — and the key to record it under (the id replaced by its erased form, the number or user
 * id by the suppression record's hash), or null. Costs a set lookup until the first erasure; then
 * one to three keyed hashes and set lookups per event. (A lifted erasure keeps its erased ids: the
 * person asked to be added again, not for their old messages to come back.)
 *
 * A person erased by number who writes again with that number is new data they sent (handled as
 * usual; docs/security.md). A person erased while known only by user id is recognised by that id:
 * what they send later is recorded as seen and applied to nothing — no contact made again, no text kept.
 */
/** What this check reads of a webhook event (webhooks/events.ts): structural, so privacy/ does not depend on webhooks/. */
export interface ErasableEvent {
  type: string;
  key: string;
  waId?: string | null | undefined;
  wamid?: string | null | undefined;
  recipientId?: string | null | undefined;
  recipientUserId?: string | null | undefined;
  userId?: string | null | undefined;
  id?: string | null | undefined;
}

export interface ForgottenEvent {
  key: string;
  wamid: string | null;
  waId: string | null;
  /** The erased user id the event named (absent when it was recognised otherwise). */
  userId?: string;
}

/** The suppression record's key for a person known by user id (contacts/user-ids-store.ts identityKey). */
const userKey = (userId: string) => `bsuid:${userId}`;

export function forgottenEvent(db: Db, ev: ErasableEvent): ForgottenEvent | null {
  const sets = erasedSets(db);
  if (!sets.hashes.size && !sets.wamids.size) return null;
  const erasedNumber = (n: string | null | undefined) => (n && /^\d+$/.test(n) && sets.hashes.has(erasureHash(db, `+${n}`)) ? n : null);
  const erasedUser = (u: string | null | undefined) => (u && sets.hashes.has(erasureHash(db, userKey(u))) ? u : null);
  const withUser = (userId: string | null) => (userId ? { userId } : {});
  if (ev.type === 'user_preferences') {
    const waId = erasedNumber(ev.waId);
    if (waId) return { key: ev.key.split(`:${waId}:`).join(`:${erasureHash(db, `+${waId}`)}:`), wamid: null, waId };
    const userId = erasedUser(ev.userId);
    if (!userId) return null;
    return { key: ev.key.split(`:${userId}:`).join(`:${erasureHash(db, userKey(userId))}:`), wamid: null, waId: ev.waId ?? null, userId };
  }
  if (ev.type === 'click') {
    const who = ev.recipientId ?? null;
    const waId = erasedNumber(who);
    const userId = waId ? null : erasedUser(who);
    if (!waId && !userId && !(ev.wamid && isErasedWamid(db, ev.wamid))) return null;
    return { key: ev.key, wamid: ev.wamid ?? null, waId, ...withUser(userId) };
  }
  const wamid = ev.type === 'status' ? ev.wamid : ev.type === 'message' ? ev.id : undefined;
  if (!wamid) return null;
  const waId = ev.type === 'status' ? erasedNumber(ev.recipientId) : null;
  const userId = erasedUser(ev.type === 'status' ? ev.recipientUserId : ev.userId);
  if (!isErasedWamid(db, wamid) && !waId && !userId) return null;
  return {
    key: ev.key.split(wamid).join(erasedWamid(db, wamid)),
    wamid,
    waId: ev.type === 'status' ? (ev.recipientId ?? null) : waId,
    ...withUser(userId),
  };
}
