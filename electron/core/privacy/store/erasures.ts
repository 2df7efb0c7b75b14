/**
 * Erasure suppression records (migration 0007). When a person asks to be erased
 * (`contacts:delete`, `pacer contacts delete PHONE`), their contact and personal data go, and one
 * row stays in `contact_erasures`: a keyed hash of the E.164 number (HMAC-SHA256 with a random key
 * made once per data folder, kept in `app_meta` under `contacts.erasure_key`), the time and the
 * reason. Nothing in it can be read back as a number; it only answers "was this number erased?"
 * for a number someone types or imports again.
 *
 * The key is NOT the campaigns' `phone_hash` key: a suppression record cannot be joined to the
 * messaging log or a campaign's anonymous ledger rows (see docs/contacts.md for the reasoning).
 *
 * Who asks: the import's row validation (`erasureCheck`, hooked in import/engine.ts), the webhook
 * consent path (an opt-out of an erased number does not create a contact again).
 */
import crypto from 'node:crypto';
import type { Db } from '../../db/connection';

export const ERASURE_REASON = 'erasure request';
const KEY_NAME = 'contacts.erasure_key';

// A KeyObject, not a Buffer: HMAC with a raw Buffer key sets the key up at every call (measured
// ~20 µs against ~3 µs), and the late-webhook check hashes once per event.
const keys = new WeakMap<Db, crypto.KeyObject>();

/** The data folder's erasure key (made on first use; random, 32 bytes). */
function erasureKey(db: Db): crypto.KeyObject {
  let key = keys.get(db);
  if (key) return key;
  let hex = db.prepare('SELECT value FROM app_meta WHERE key = ?').pluck().get(KEY_NAME) as string | undefined;
  if (!hex) {
    db.prepare('INSERT OR IGNORE INTO app_meta (key, value) VALUES (?, ?)').run(KEY_NAME, crypto.randomBytes(32).toString('hex'));
    hex = db.prepare('SELECT value FROM app_meta WHERE key = ?').pluck().get(KEY_NAME) as string;
  }
  key = crypto.createSecretKey(Buffer.from(hex, 'hex'));
  keys.set(db, key);
  return key;
}

const hashWith = (key: crypto.KeyObject, e164: string) => crypto.createHmac('sha256', key).update(e164).digest('base64url');

/**
 * The same keyed hash over any text (a message id): what an erasure writes in place of a value
 * that encodes the person (privacy/store/erase-wamids.ts). Same key, so nothing new to keep.
 */
export function erasureToken(db: Db, text: string): string {
  return hashWith(erasureKey(db), text);
}

const versions = new WeakMap<Db, number>();

/** Moves on at every erasure or lift on this connection: caches of the records reload (erase-wamids.ts). */
export function erasuresVersion(db: Db): number {
  return versions.get(db) ?? 0;
}
const bump = (db: Db) => versions.set(db, erasuresVersion(db) + 1);

/** The keyed hash a suppression record holds for an E.164 number. */
export function erasureHash(db: Db, e164: string): string {
  return hashWith(erasureKey(db), e164);
}

/** Keeps the suppression record of an erased number (a second erasure keeps the first time). */
export function recordErasure(db: Db, e164: string, at: number, reason: string = ERASURE_REASON): string {
  const hash = erasureHash(db, e164);
  db.prepare('INSERT INTO contact_erasures (hash, erased_at, reason) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING').run(hash, at, reason);
  bump(db);
  return hash;
}

/** Removes the suppression record of an E.164 number; answers its keyed hash and erasure time, or null when it had none. */
export function liftErasure(db: Db, e164: string): { hash: string; erasedAt: number } | null {
  const hash = erasureHash(db, e164);
  const at = db.prepare('SELECT erased_at FROM contact_erasures WHERE hash = ?').pluck().get(hash) as number | undefined;
  if (at === undefined) return null;
  db.prepare('DELETE FROM contact_erasures WHERE hash = ?').run(hash);
  bump(db);
  return { hash, erasedAt: at };
}

/** When this E.164 number was erased at the person's request, or null. */
export function erasedAt(db: Db, e164: string): number | null {
  if (!hasErasures(db)) return null;
  return (
    (db.prepare('SELECT erased_at FROM contact_erasures WHERE hash = ?').pluck().get(erasureHash(db, e164)) as number | undefined) ?? null
  );
}

export function isErased(db: Db, e164: string): boolean {
  return erasedAt(db, e164) !== null;
}

function hasErasures(db: Db): boolean {
  return db.prepare('SELECT 1 FROM contact_erasures LIMIT 1').get() !== undefined;
}

/**
 * For checking many numbers (an import): null when nothing was ever erased (no cost per row),
 * else a function answering the erasure time of an E.164 number or null. The records are read once,
 * so the function needs no database (it could run in a worker given the same key and map).
 */
export function erasureCheck(db: Db): ((e164: string) => number | null) | null {
  const snapshot = erasureSnapshot(db);
  return snapshot && erasureMatcher(snapshot);
}

/** The suppression records as values (an import's reading thread checks numbers against them); null when none. */
export interface ErasureSnapshot {
  keyHex: string;
  records: [hash: string, erasedAt: number][];
}

export function erasureSnapshot(db: Db): ErasureSnapshot | null {
  if (!hasErasures(db)) return null;
  const rows = db.prepare('SELECT hash, erased_at FROM contact_erasures').all() as { hash: string; erased_at: number }[];
  return { keyHex: erasureKey(db).export().toString('hex'), records: rows.map((r) => [r.hash, r.erased_at]) };
}

export function erasureMatcher(snapshot: ErasureSnapshot): (e164: string) => number | null {
  const key = crypto.createSecretKey(Buffer.from(snapshot.keyHex, 'hex'));
  const byHash = new Map(snapshot.records);
  return (e164) => byHash.get(hashWith(key, e164)) ?? null;
}

/** The import report's reason for an erased number's row. */
export function erasedReason(at: number): string {
  return `erased at the person's request on ${new Date(at).toISOString().slice(0, 10)} — not re-imported`;
}
