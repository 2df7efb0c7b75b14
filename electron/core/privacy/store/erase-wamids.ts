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
  e164: string;
  /** The number as WhatsApp writes it (digits only). */
  waId: string;
  /** The suppression record's keyed hash: what replaces the number where an entry must stay. */
  hash: string;
  /** Their message ids; the raw-body pass of erase-traces.ts adds the ones only a body names. */
  wamids: Set<string>;
  /** Their campaign ledger rows (by contact id, found before the contact row goes). */
  ledgerRows: number[];
}

/**
 * Everything needed to erase one person, read inside the erasure's transaction BEFORE the contact
 * row goes. Message ids by link (ledger rows, merged statuses to the number, replies and the
 * 24-hour window, statuses kept pending) and, for Meta's format, every id in the indexed wamid
 * columns and event keys starting with the number's prefix (checked by decoding) — so a status
 * kept before its send was known is found too.
 */
export function subjectOf(db: Db, contactId: number, e164: string, hash: string): ErasureSubject {
  const waId = e164.replace(/^\+/, '');
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
  col('SELECT wamid FROM webhook_message_status WHERE recipient_id IN (?, ?)', waId, e164);
  col('SELECT message_id FROM inbound_replies WHERE wa_id = ?', waId);
  col('SELECT context_id FROM inbound_replies WHERE wa_id = ? AND context_id IS NOT NULL', waId);
  col('SELECT last_message_id FROM webhook_contact_window WHERE wa_id IN (?, ?)', waId, e164);
  col('SELECT wamid FROM webhook_pending_status WHERE instr(event, ?) > 0', waId);
  const prefix = wamidPrefixOf(waId);
  if (prefix) {
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
  return { e164, waId, hash, wamids, ledgerRows: ledger.map((r) => r.id) };
}

const WAMID_TOKEN = /wamid\.[A-Za-z0-9+/=_-]+/g;

/**
 * A function that rewrites a text's mentions of the person's message ids (those known, and any
 * Meta-format id that decodes to the number) to their erased form; and the substrings a SQL
 * `instr` can pre-select such texts by (the number's wamid prefix, the other known ids).
 */
export function wamidCutter(db: Db, s: ErasureSubject): { cut: (text: string) => string; needles: string[] } {
  const prefix = wamidPrefixOf(s.waId);
  const cut = (text: string): string => {
    let t = text.includes('wamid.')
      ? text.replace(WAMID_TOKEN, (tok) => (s.wamids.has(tok) || wamidEncodes(tok, s.waId) ? erasedWamid(db, tok) : tok))
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
  // A preference's event key names the number itself ("user_preferences:<wa_id>:…").
  db.prepare('UPDATE OR REPLACE webhook_event_keys SET key = @to || substr(key, length(@lo) + 1) WHERE key >= @lo AND key < @hi').run({
    to: `user_preferences:${s.hash}:`,
    lo: `user_preferences:${s.waId}:`,
    hi: `user_preferences:${s.waId};`,
  });
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
 * Whether an event concerns someone erased — a status of an erased message id or to an erased
 * number, a message whose id was erased (a retry), a preference of an erased number — and the key
 * to record it under (the id replaced by its erased form, the number by the suppression record's
 * hash), or null. Costs a set lookup until the first erasure; then one or two keyed hashes and
 * set lookups per event. (A lifted erasure keeps its erased ids: the person asked to be added
 * again, not for their old messages to come back.)
 */
/** What this check reads of a webhook event (webhooks/events.ts): structural, so privacy/ does not depend on webhooks/. */
export interface ErasableEvent {
  type: string;
  key: string;
  waId?: string | null | undefined;
  wamid?: string | null | undefined;
  recipientId?: string | null | undefined;
  id?: string | null | undefined;
}

export function forgottenEvent(db: Db, ev: ErasableEvent): { key: string; wamid: string | null; waId: string | null } | null {
  const sets = erasedSets(db);
  if (!sets.hashes.size && !sets.wamids.size) return null;
  const erasedNumber = (n: string | null | undefined) => (n && /^\d+$/.test(n) && sets.hashes.has(erasureHash(db, `+${n}`)) ? n : null);
  if (ev.type === 'user_preferences') {
    const waId = erasedNumber(ev.waId);
    return waId ? { key: ev.key.split(`:${waId}:`).join(`:${erasureHash(db, `+${waId}`)}:`), wamid: null, waId } : null;
  }
  const wamid = ev.type === 'status' ? ev.wamid : ev.type === 'message' ? ev.id : undefined;
  if (!wamid) return null;
  const waId = ev.type === 'status' ? erasedNumber(ev.recipientId) : null;
  if (!isErasedWamid(db, wamid) && !waId) return null;
  return { key: ev.key.split(wamid).join(erasedWamid(db, wamid)), wamid, waId: ev.type === 'status' ? (ev.recipientId ?? null) : waId };
}
