import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3-multiple-ciphers';
import type { StoreKeyVault } from '../secrets/store-key';
import { ENCRYPT_WORKER_SOURCE, encryptFileInPlace, storeFileState, storeKeyMissing, type StoreKey, type StoreKeyParams } from './cipher';
import { openDatabase, type Db } from './connection';
import { acquireDataDirLock } from './lock';

/**
 * Opening the data folder's store, encrypted. The rules (docs/security.md "Encryption at rest"):
 * - no pacer.db yet → the stored key, or a new random one, and a new encrypted store;
 * - a plaintext pacer.db (from a Pacer before encryption) → encrypted once, with a backup;
 * - an encrypted pacer.db → its key; no key → `store_key_missing`, a key that does not open it →
 *   `store_key_wrong`. Never a new empty store beside (or instead of) one that cannot be opened.
 */
export const STORE_FILE = 'pacer.db';

export interface EncryptProgress {
  phase: 'checkpoint' | 'copy' | 'encrypt' | 'verify' | 'backups' | 'done';
  /** Bytes done / total of the phase (the rollback journal's size during `encrypt`). */
  done: number;
  total: number;
}

/** Only the benchmarks open a store without encryption, to print its cost side by side. */
export const UNENCRYPTED_FOR_BENCHMARKS = 'unencrypted-for-benchmarks';

export interface OpenStoreOptions {
  dataDir: string;
  keys: StoreKeyVault;
  now?: () => number;
}

const keyParams = (dataDir: string, keys: StoreKeyVault): StoreKeyParams => ({
  file: path.join(dataDir, STORE_FILE),
  keyLocation: keys.location(),
});

/** The key for the store, creating one only where that cannot hide an existing store. */
function keyFor(dataDir: string, keys: StoreKeyVault): { key: StoreKey; state: 'absent' | 'plaintext' | 'encrypted' } {
  const file = path.join(dataDir, STORE_FILE);
  const state = storeFileState(file);
  const stored = keys.read();
  if (stored) return { key: stored, state };
  if (state === 'encrypted') throw storeKeyMissing(keyParams(dataDir, keys));
  return { key: keys.create(), state };
}

/** Opens (creating or encrypting first, synchronously) the data folder's store. */
export function openStore(opts: Omit<OpenStoreOptions, 'keys'> & { keys: StoreKeyVault | typeof UNENCRYPTED_FOR_BENCHMARKS }): Db {
  if (opts.keys === UNENCRYPTED_FOR_BENCHMARKS) return openDatabase(path.join(opts.dataDir, STORE_FILE));
  const keys = opts.keys;
  const { key, state } = keyFor(opts.dataDir, keys);
  if (state === 'plaintext') encryptPlaintextStoreSync(opts.dataDir, key, opts.now ?? Date.now);
  return openDatabase(path.join(opts.dataDir, STORE_FILE), { key, keyParams: keyParams(opts.dataDir, keys) });
}

/**
 * The CLI (every command and `pacer serve`) calls this before createCore: when pacer.db is still
 * plaintext it is encrypted here, on a worker thread, with progress every `everyMs` (printed on
 * stderr), so createCore then finds it encrypted. The desktop app's core has no screen to show
 * progress on yet and lets createCore do it synchronously. Answers whether it encrypted anything.
 */
export async function encryptStoreIfPlaintext(
  opts: OpenStoreOptions & { host: string; onProgress?: (p: EncryptProgress) => void; everyMs?: number },
): Promise<boolean> {
  if (storeFileState(path.join(opts.dataDir, STORE_FILE)) !== 'plaintext') return false;
  // One writer per data folder: nobody else may use the plaintext store while it is encrypted.
  const lock = acquireDataDirLock(opts.dataDir, opts.host);
  try {
    if (storeFileState(path.join(opts.dataDir, STORE_FILE)) !== 'plaintext') return false;
    const { key } = keyFor(opts.dataDir, opts.keys);
    const job = new PlaintextEncryption(opts.dataDir, key, opts.now ?? Date.now, opts.onProgress);
    job.prepare();
    try {
      await rekeyOnWorker(job.work, key, (done, total) => opts.onProgress?.({ phase: 'encrypt', done, total }), opts.everyMs ?? 250);
      job.finish();
    } catch (e) {
      job.cleanUp();
      throw e;
    }
    return true;
  } finally {
    lock.release();
  }
}

/** Synchronous (createCore is): the same steps, the rekey on this thread. */
function encryptPlaintextStoreSync(dataDir: string, key: StoreKey, now: () => number): void {
  const job = new PlaintextEncryption(dataDir, key, now);
  job.prepare();
  try {
    encryptFileInPlace(job.work, key);
    job.finish();
  } catch (e) {
    job.cleanUp();
    throw e;
  }
}

/**
 * The steps. The original file is not touched until an encrypted copy of it is verified:
 * 1. fold the WAL into pacer.db (journal_mode=DELETE: -wal and -shm are gone, and with them the
 *    plaintext pages they held);
 * 2. copy pacer.db to pacer.db.encrypting and encrypt the copy (PRAGMA rekey; the caller);
 * 3. open the copy with the key: integrity check, same schema version and the same tables;
 * 4. rename it over pacer.db (atomic), which replaces the plaintext file;
 * 5. encrypt the earlier migration backups in backups/ (plaintext VACUUM INTO copies) in place,
 *    and keep an encrypted copy of the store as it was before encryption
 *    (backups/pacer-vN-before-encryption-T.db).
 */
class PlaintextEncryption {
  readonly file: string;
  readonly work: string;
  private before = '';
  constructor(
    private readonly dataDir: string,
    private readonly key: StoreKey,
    private readonly now: () => number,
    private readonly onProgress?: (p: EncryptProgress) => void,
  ) {
    this.file = path.join(dataDir, STORE_FILE);
    this.work = `${this.file}.encrypting`;
  }

  prepare(): void {
    this.onProgress?.({ phase: 'checkpoint', done: 0, total: 1 });
    this.before = describe(new Database(this.file, { fileMustExist: true }), (db) => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('journal_mode = DELETE');
    });
    this.cleanUp();
    const total = fs.statSync(this.file).size;
    this.onProgress?.({ phase: 'copy', done: 0, total });
    fs.copyFileSync(this.file, this.work);
    this.onProgress?.({ phase: 'copy', done: total, total });
  }

  finish(): void {
    this.onProgress?.({ phase: 'verify', done: 0, total: 1 });
    const after = describe(
      openDatabase(this.work, { key: this.key, keyParams: { file: this.work, keyLocation: { kind: 'memory' } } }),
      (db) => {
        const check = db.pragma('quick_check', { simple: true });
        if (check !== 'ok') throw new Error(`the encrypted copy of ${this.file} failed its integrity check: ${String(check)}`);
      },
    );
    if (after !== this.before) throw new Error(`the encrypted copy of ${this.file} does not hold the same schema`);
    fs.renameSync(this.work, this.file);
    fsyncDir(this.dataDir);

    const backupDir = path.join(this.dataDir, 'backups');
    const olds = fs.existsSync(backupDir) ? fs.readdirSync(backupDir).filter((f) => f.endsWith('.db')) : [];
    olds.forEach((f, i) => {
      this.onProgress?.({ phase: 'backups', done: i, total: olds.length + 1 });
      const p = path.join(backupDir, f);
      if (storeFileState(p) === 'plaintext') encryptFileInPlace(p, this.key);
    });
    fs.mkdirSync(backupDir, { recursive: true, mode: 0o700 });
    fs.copyFileSync(this.file, path.join(backupDir, `pacer-v${this.before.split(':')[0]}-before-encryption-${this.now()}.db`));
    this.onProgress?.({ phase: 'done', done: 1, total: 1 });
  }

  /** Removes an unfinished copy: the original pacer.db was not touched. */
  cleanUp(): void {
    fs.rmSync(this.work, { force: true });
    fs.rmSync(`${this.work}-journal`, { force: true });
  }
}

/** "version:tables" of a database, to check an encrypted copy against its original. */
function describe(db: Db, before: (db: Db) => void): string {
  try {
    before(db);
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table','index','trigger','view') ORDER BY name").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    return `${version}:${tables.join(',')}`;
  } finally {
    db.close();
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* not supported on this platform (Windows): the rename is still atomic */
  }
}

/** PRAGMA rekey on a worker thread; meanwhile the rollback journal's growth is the progress. */
function rekeyOnWorker(file: string, key: StoreKey, onProgress: (done: number, total: number) => void, everyMs: number): Promise<void> {
  const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');
  const total = fs.statSync(file).size;
  const worker = new Worker(ENCRYPT_WORKER_SOURCE, { eval: true, workerData: { file, keyHex: key.toString('hex'), sqlitePath } });
  onProgress(0, total);
  const timer = setInterval(() => {
    let done = 0;
    try {
      done = fs.statSync(`${file}-journal`).size;
    } catch {
      /* not yet / already gone */
    }
    onProgress(Math.min(done, total), total);
  }, everyMs);
  return new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; message?: string }) => (m.ok ? resolve() : reject(new Error(m.message))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the encryption thread stopped (${code})`)));
  }).finally(() => {
    clearInterval(timer);
    onProgress(total, total);
    void worker.terminate();
  });
}
