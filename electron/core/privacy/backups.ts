/**
 * The copies of the store Pacer makes itself, and an erasure (issue #14, item 2; docs/security.md
 * "Backups and erasure"). `DATA_DIR/backups/` holds `VACUUM INTO` copies taken before a migration
 * that rewrites data (db/migrate.ts) and the copy kept when a plaintext store was encrypted
 * (db/open-store.ts). Each is a whole store as it was: after an erasure it still holds the person.
 *
 * The choice: an erasure REMOVES every backup Pacer made (all of them predate it), and its answer
 * says how many, so the user is told. Erasing inside each backup instead was rejected: a backup is
 * at an older schema version (the erasure's SQL targets the current one), it costs a VACUUM per
 * file on a rare but interactive action, and a backup's only use — rolling back an upgrade — is
 * gone once the upgraded store has been used (restoring it would bring the erased person back).
 *
 * Removal overwrites the file with zeros before unlinking it: the same guarantee secure_delete
 * gives pacer.db (the blocks a file system or an SSD keeps elsewhere are for full-disk encryption).
 *
 * At start (`sweepLeftovers`) what no running process can own any more goes too: files a crashed
 * run left in `uploads/` (imports staged by `pacer serve`, plaintext) and `tmp/import-*` (an
 * import's staging store, encrypted with a key that died with that process), and a plaintext
 * backup is encrypted with the store's key (a run that stopped between encrypting the store and
 * its earlier backups would otherwise leave one readable for good).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';
import { encryptFileInPlace, storeFileState } from '../db/cipher';
import type { StoreKey } from '../secrets/store-key';

const CHUNK = 1 << 20;

/** Overwrites a file with zeros (flushed), then unlinks it. */
export function shredFile(file: string): void {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r+');
  try {
    const zeros = Buffer.alloc(Math.min(CHUNK, Math.max(size, 1)));
    for (let at = 0; at < size; at += zeros.length) fs.writeSync(fd, zeros, 0, Math.min(zeros.length, size - at), at);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.rmSync(file, { force: true });
}

const filesIn = (dir: string, keep: (name: string) => boolean = () => true): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile() && keep(e.name))
        .map((e) => path.join(dir, e.name))
    : [];

/** Every file in DATA_DIR/backups (the copies and any -journal/-wal beside them). Answers the names removed. */
export function removeStoreBackups(dataDir: string, log: Logger): string[] {
  const removed: string[] = [];
  for (const file of filesIn(path.join(dataDir, 'backups'))) {
    try {
      shredFile(file);
      removed.push(path.basename(file));
    } catch (e) {
      log.warn('a backup could not be removed after an erasure', { file: path.basename(file), error: String(e) });
    }
  }
  if (removed.length) log.info('backups removed after an erasure', { files: removed.length });
  return removed;
}

/** At start, before anything else runs in this data folder (it holds the folder's lock). */
export function sweepLeftovers(dataDir: string, key: StoreKey | null, log: Logger): { removed: number; encrypted: number } {
  let removed = 0;
  let encrypted = 0;
  const leftovers = [...filesIn(path.join(dataDir, 'uploads')), ...filesIn(path.join(dataDir, 'tmp'), (n) => n.startsWith('import-'))];
  for (const file of leftovers) {
    try {
      shredFile(file);
      removed++;
    } catch (e) {
      log.warn('a leftover file could not be removed', { file: path.basename(file), error: String(e) });
    }
  }
  if (key) {
    for (const file of filesIn(path.join(dataDir, 'backups'), (n) => n.endsWith('.db'))) {
      if (storeFileState(file) !== 'plaintext') continue;
      try {
        encryptFileInPlace(file, key);
        encrypted++;
      } catch (e) {
        // Unreadable as a store: it cannot be kept in plaintext, and cannot be restored either.
        log.warn('a plaintext backup could not be encrypted; removed', { file: path.basename(file), error: String(e) });
        shredFile(file);
        removed++;
      }
    }
  }
  if (removed || encrypted) log.info('data folder leftovers', { removed, encrypted });
  return { removed, encrypted };
}
