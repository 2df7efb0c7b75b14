import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { storeFileState } from '../../electron/core/db/cipher';
import { openDatabase, type Db } from '../../electron/core/db/connection';
import { KeyFileStoreKeyVault } from '../../electron/core/secrets/store-key';

/**
 * pacer.db is encrypted (docs/security.md): a test that looks inside a data folder's store opens it
 * with the folder's key, from the same key-file vault `pacer serve` and the CLI use.
 */
export function openDataDirStore(dataDir: string, opts: { readonly?: boolean } = {}): Db {
  const key = new KeyFileStoreKeyVault(dataDir).read();
  if (!key) throw new Error(`no store key for ${dataDir}`);
  return openDatabase(path.join(dataDir, 'pacer.db'), { ...opts, key });
}

/**
 * A copy of the data folder with every encrypted database file (pacer.db with its WAL, backups,
 * staging leftovers) decrypted in the copy (PRAGMA rekey to no key rewrites every page), so a test
 * can grep what the store holds byte for byte, as it would have before encryption at rest.
 */
export function decryptedCopy(dataDir: string, key: Buffer): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-decrypted-'));
  fs.cpSync(dataDir, out, { recursive: true, filter: (src) => !src.endsWith('.lock') });
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const file of walk(out)) {
    if (/-(wal|shm|journal)$/.test(file) || storeFileState(file) !== 'encrypted' || !/\.db$/.test(file)) continue;
    const db = openDatabase(file, { key });
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('journal_mode = DELETE');
      db.pragma("rekey = ''");
    } finally {
      db.close();
    }
  }
  return out;
}
