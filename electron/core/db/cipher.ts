import fs from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { isStoreKey, type StoreKey } from '../secrets/store-key';

/**
 * Encryption at rest of the store (SQLite3MultipleCiphers, SQLCipher 4 format: AES-256-CBC per
 * page with an HMAC-SHA512, so `sqlcipher` opens a Pacer store given the key). The key is 32
 * random bytes handed over raw (`x'…'`), so there is no passphrase derivation on every open.
 * The WAL holds encrypted pages too; `VACUUM INTO` writes its copy with the same key. The key's
 * type and the errors of a missing or wrong key live with the key vaults (secrets/store-key.ts).
 */

/** Selects the SQLCipher 4 scheme and gives the key; must run before anything reads the file. */
export function applyKey(db: Database.Database, key: StoreKey): void {
  if (!isStoreKey(key)) throw new Error('a store key is 32 bytes');
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}

export { STORE_KEY_BYTES, isStoreKey, storeKeyMissing, storeKeyWrong, describeKeyLocation } from '../secrets/store-key';
export type { StoreKey, StoreKeyLocation, StoreKeyParams } from '../secrets/store-key';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** What is at `file`: nothing (absent or empty), a plaintext SQLite database, or something else (encrypted). */
export function storeFileState(file: string): 'absent' | 'plaintext' | 'encrypted' {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw e;
  }
  try {
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    if (n === 0) return 'absent';
    return n === 16 && head.equals(SQLITE_HEADER) ? 'plaintext' : 'encrypted';
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Encrypts a plaintext database file in place (PRAGMA rekey on an unencrypted database). SQLite3MC
 * refuses to rekey in WAL mode, so the WAL is folded in first (journal_mode=DELETE); the rekey then
 * runs in one transaction through the rollback journal, so a crash leaves the old file intact.
 * The journal grows with each page rewritten: its size is the progress (see open-store.ts).
 */
export function encryptFileInPlace(file: string, key: StoreKey): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 4');
    db.pragma(`rekey = "x'${key.toString('hex')}'"`);
  } finally {
    db.close();
  }
}

/**
 * The same as source text, for a worker thread (the core is bundled per host by esbuild, so the
 * worker is inline JavaScript like the webhook writer thread's).
 */
export const ENCRYPT_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
try {
  const db = new Database(workerData.file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 4');
    db.pragma('rekey = "x' + "'" + workerData.keyHex + "'" + '"');
  } finally { db.close(); }
  parentPort.postMessage({ ok: true });
} catch (e) {
  parentPort.postMessage({ ok: false, message: String(e && e.message || e) });
}
`;
