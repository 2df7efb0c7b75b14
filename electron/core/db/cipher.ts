import fs from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { PacerError } from '../errors';

/**
 * Encryption at rest of the store (SQLite3MultipleCiphers, SQLCipher 4 format: AES-256-CBC per
 * page with an HMAC-SHA512, so `sqlcipher` opens a Pacer store given the key). The key is 32
 * random bytes handed over raw (`x'…'`), so there is no passphrase derivation on every open.
 * The WAL holds encrypted pages too; `VACUUM INTO` writes its copy with the same key.
 */
export const STORE_KEY_BYTES = 32;

export type StoreKey = Buffer;

export const isStoreKey = (k: unknown): k is StoreKey => Buffer.isBuffer(k) && k.length === STORE_KEY_BYTES;

/** Selects the SQLCipher 4 scheme and gives the key; must run before anything reads the file. */
export function applyKey(db: Database.Database, key: StoreKey): void {
  if (!isStoreKey(key)) throw new Error('a store key is 32 bytes');
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}

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

/** Where a store key is kept: a value, not text, so each language can say it (the app's startup window). */
export type StoreKeyLocation =
  | { kind: 'key_file'; path: string }
  | { kind: 'env' } // PACER_DB_KEY
  | { kind: 'keychain' } // the desktop app's safeStorage entry in secrets.json
  | { kind: 'memory' }; // tests, benchmarks

/** The English words for a location (CLI and log messages). */
export function describeKeyLocation(l: StoreKeyLocation): string {
  switch (l.kind) {
    case 'key_file': return `the key file ${l.path}`;
    case 'env': return 'the PACER_DB_KEY environment variable';
    case 'keychain': return "the system keychain (the app's secrets.json)";
    case 'memory': return 'memory';
  }
}

/** Why the store cannot be opened (the error's details); `keyLocation` says where Pacer looked for the key. */
export interface StoreKeyParams {
  file: string;
  keyLocation: StoreKeyLocation;
}

/** An encrypted store exists but no key was found: refuse, never start a new empty store. */
export const storeKeyMissing = (p: StoreKeyParams) =>
  new PacerError(
    'store_key_missing',
    `${p.file} is encrypted and its key was not found (looked in ${describeKeyLocation(p.keyLocation)}). Pacer did not open or change it. Restore the key (or set PACER_DB_KEY / PACER_DB_KEY_FILE) and start again.`,
    p,
  );

/** The key found does not open the store. */
export const storeKeyWrong = (p: StoreKeyParams) =>
  new PacerError(
    'store_key_wrong',
    `${p.file} could not be opened with the key from ${describeKeyLocation(p.keyLocation)}: the key does not match (or the file is damaged). Pacer did not change it.`,
    p,
  );

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
