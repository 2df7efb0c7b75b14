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
 * move. A late status for the original wamid is recognised by hashing it again (`isErasedWamid`):
 * the webhook processor records it as seen and applies it to nothing (webhooks/processor.ts).
 */
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../../db/connection';
import { anyErasure, erasureToken, isErased } from './erasures';
import { redactBody, waIdOf } from './erase-traces';
import type { WebhookEvent } from '../../webhooks/events';

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

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

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
 * Every message id of the person Pacer holds. Call inside the erasure's transaction BEFORE the
 * contact row goes (its ledger rows are found by contact id, its replies by number — both are
 * unlinked or deleted with the contact). Linked rows first, then, for Meta's format, every id in
 * the indexed wamid columns and event keys that starts with the number's prefix (checked by
 * decoding), so a status kept before its send was known is found too.
 */
export function wamidsOf(db: Db, contactId: number, e164: string): Set<string> {
  const waId = waIdOf(e164);
  const out = new Set<string>();
  const add = (values: unknown[]) => {
    for (const v of values) if (typeof v === 'string' && v && !v.startsWith(ERASED_WAMID_PREFIX)) out.add(v);
  };
  const col = (sql: string, ...p: unknown[]) =>
    add(
      db
        .prepare(sql)
        .pluck()
        .all(...p),
    );
  col('SELECT wamid FROM campaign_recipients WHERE contact_id = ? AND wamid IS NOT NULL', contactId);
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
  const bodies = db.prepare('SELECT body FROM webhook_inbox WHERE instr(body, ?) > 0').pluck().all(Buffer.from(waId, 'utf8')) as Buffer[];
  for (const b of bodies) wamidsInBody(b.toString('utf8'), waId, out);
  return out;
}

/** Free-text columns that can quote a message id (error texts, event details, audit entries). */
const TEXT_COLUMNS = [
  ['campaign_recipients', 'error_detail'],
  ['campaign_events', 'detail'],
  ['audit_log', 'detail'],
  ['webhook_inbox', 'last_error'],
  ['webhook_message_status', 'error_title'],
] as const;

const WAMID_TOKEN = /wamid\.[A-Za-z0-9+/=_-]+/g;

/**
 * Replaces the person's message ids everywhere by their erased form, and the number inside the
 * webhook event keys of their preferences by the suppression record's hash. Call inside the
 * erasure's transaction, after eraseTraces (which already deleted the applied bodies that name
 * the number). Answers how many ids were replaced.
 */
export function eraseWamids(db: Db, e164: string, wamids: ReadonlySet<string>, recordHash: string): number {
  const waId = waIdOf(e164);
  const map = new Map<string, string>();
  for (const w of wamids) map.set(w, erasedWamid(db, w));
  const prefix = wamidPrefixOf(waId);
  const cut = (text: string): string => {
    let t = text.replace(WAMID_TOKEN, (tok) => map.get(tok) ?? (wamidEncodes(tok, waId) ? erasedWamid(db, tok) : tok));
    for (const [w, e] of map) if (!w.startsWith('wamid.') && t.includes(w)) t = t.split(w).join(e);
    return t;
  };

  // Keyed by the wamid, through its index: one statement per id.
  const byId = [
    'UPDATE campaign_recipients SET wamid = @e WHERE wamid = @w',
    'UPDATE OR REPLACE webhook_message_status SET wamid = @e WHERE wamid = @w',
    'UPDATE OR REPLACE webhook_pending_status SET wamid = @e, event_key = replace(event_key, @w, @e), event = replace(event, @w, @e) WHERE wamid = @w',
    "UPDATE OR REPLACE webhook_event_keys SET key = replace(key, @w, @e) WHERE key >= 'status:' || @w || ':' AND key < 'status:' || @w || ';'",
    "UPDATE OR REPLACE webhook_event_keys SET key = 'message:' || @e WHERE key = 'message:' || @w",
    "UPDATE OR REPLACE webhook_event_keys SET key = 'click:' || @e WHERE key = 'click:' || @w",
  ].map((sql) => db.prepare(sql));
  for (const [w, e] of map) for (const s of byId) s.run({ w, e });

  // Columns without an index on the id: one pass each, with the whole map.
  if (map.size) {
    const json = JSON.stringify(Object.fromEntries(map));
    for (const [t, c] of [
      ['click_events', 'wamid'],
      ['inbound_replies', 'context_id'],
      ['inbound_replies', 'message_id'],
      ['webhook_contact_window', 'last_message_id'],
    ] as const)
      db.prepare(
        `UPDATE ${t} SET ${c} = (SELECT value FROM json_each(@json) WHERE key = ${t}.${c}) WHERE ${c} IN (SELECT key FROM json_each(@json))`,
      ).run({ json });
  }

  // Text that quotes an id: found by the number's wamid prefix or an id itself, rewritten in JS.
  const needles = [...(prefix ? [prefix] : []), ...[...map.keys()].filter((w) => !prefix || !w.startsWith(prefix))];
  if (needles.length) {
    const where = (c: string) => needles.map(() => `instr(${c}, ?) > 0`).join(' OR ');
    for (const [t, c] of TEXT_COLUMNS) {
      const rows = db.prepare(`SELECT rowid AS id, ${c} AS v FROM ${t} WHERE ${c} IS NOT NULL AND (${where(c)})`).all(...needles) as {
        id: number;
        v: string;
      }[];
      const upd = db.prepare(`UPDATE ${t} SET ${c} = ? WHERE rowid = ?`);
      for (const r of rows) {
        const v = cut(r.v);
        if (v !== r.v) upd.run(v, r.id);
      }
    }
    // Raw bodies that still quote an id (another person's batch, a body not applied yet).
    const bodies = db
      .prepare(`SELECT id, body FROM webhook_inbox WHERE ${where('body')}`)
      .all(...needles.map((n) => Buffer.from(n, 'utf8'))) as { id: number; body: Buffer }[];
    const upd = db.prepare('UPDATE webhook_inbox SET body = ? WHERE id = ?');
    for (const b of bodies) {
      const text = b.body.toString('utf8');
      const v = cut(text);
      if (v !== text) upd.run(Buffer.from(v, 'utf8'), b.id);
    }
  }

  // A preference's event key names the number itself ("user_preferences:<wa_id>:…").
  const [lo, hi] = [`user_preferences:${waId}:`, `user_preferences:${waId};`];
  db.prepare('UPDATE OR REPLACE webhook_event_keys SET key = @to || substr(key, length(@lo) + 1) WHERE key >= @lo AND key < @hi').run({
    to: `user_preferences:${recordHash}:`,
    lo,
    hi,
  });
  return map.size;
}

const probes = new WeakMap<Db, Statement>();

/**
 * Was this message id erased with its person? Hashes it and looks for the erased form where an
 * erasure leaves it (the ledger, the merged statuses, the event keys). Costs nothing until the
 * first erasure; then one keyed hash and a few index probes per event.
 */
export function isErasedWamid(db: Db, wamid: string): boolean {
  if (!wamid || wamid.startsWith(ERASED_WAMID_PREFIX) || !anyErasure(db)) return false;
  let probe = probes.get(db);
  if (!probe) {
    probe = db.prepare(`SELECT 1 WHERE EXISTS (SELECT 1 FROM campaign_recipients WHERE wamid = @e)
      OR EXISTS (SELECT 1 FROM webhook_message_status WHERE wamid = @e)
      OR EXISTS (SELECT 1 FROM webhook_event_keys WHERE key >= 'status:' || @e || ':' AND key < 'status:' || @e || ';')
      OR EXISTS (SELECT 1 FROM webhook_event_keys WHERE key = 'message:' || @e)`);
    probes.set(db, probe);
  }
  return probe.get({ e: erasedWamid(db, wamid) }) !== undefined;
}

/**
 * Whether an event concerns someone erased — a status of an erased message id or to an erased
 * number, a message id that was erased — and the key to record it under (the wamid and the number
 * replaced by their erased forms), or null.
 */
export function forgottenEvent(db: Db, ev: WebhookEvent): { key: string; wamid: string; waId: string | null } | null {
  if (!anyErasure(db)) return null;
  const wamid = ev.type === 'status' ? ev.wamid : ev.type === 'message' ? ev.id : undefined;
  if (!wamid) return null;
  const waId = ev.type === 'status' && ev.recipientId && /^\d+$/.test(ev.recipientId) ? ev.recipientId : null;
  if (!isErasedWamid(db, wamid) && !(waId && isErased(db, `+${waId}`))) return null;
  return { key: ev.key.split(wamid).join(erasedWamid(db, wamid)), wamid, waId };
}

/** The raw body of a row whose events were forgotten: those ids and numbers leave it (in the row's transaction). */
export function scrubForgotten(db: Db, inboxId: number, forgotten: readonly { wamid: string; waId: string | null }[]): void {
  const body = db.prepare('SELECT body FROM webhook_inbox WHERE id = ?').pluck().get(inboxId) as Buffer | undefined;
  if (!body) return;
  let text = body.toString('utf8');
  for (const f of forgotten) {
    if (f.waId) text = redactBody(text, f.waId);
    text = text.split(f.wamid).join(erasedWamid(db, f.wamid));
  }
  db.prepare('UPDATE webhook_inbox SET body = ? WHERE id = ?').run(Buffer.from(text, 'utf8'), inboxId);
}
