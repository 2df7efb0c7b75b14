/**
 * The store copies Pacer makes, and erasure (issue #14 item 2; privacy/backups.ts): an erasure
 * removes them, overwriting before unlinking; at start, a crashed run's leftovers go and a
 * plaintext backup is encrypted. Real files, real SQLite (encrypted with a real key).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { removeStoreBackups, shredFile, sweepLeftovers } from '../../../electron/core/privacy/backups';
import { openDatabase } from '../../../electron/core/db/connection';
import { storeFileState } from '../../../electron/core/db/cipher';
import { silentLogger } from '../../../electron/core/log';
import { tempDataDir } from '../../support/harness';
import { testCore } from '../../support/core';

const key = crypto.randomBytes(32);

function plainStore(file: string, text: string): void {
  const db = new Database(file);
  db.exec('CREATE TABLE t (v TEXT)');
  db.prepare('INSERT INTO t VALUES (?)').run(text);
  db.close();
}

describe('removing the backups Pacer made (after an erasure)', () => {
  it('overwrites each file with zeros before unlinking it (a hard link to it sees only zeros)', () => {
    const dir = tempDataDir('pacer-shred-');
    const file = path.join(dir, 'b.db');
    fs.writeFileSync(file, Buffer.from('Danaqwe +972502345678 '.repeat(100_000)));
    fs.linkSync(file, path.join(dir, 'link'));
    shredFile(file);
    expect(fs.existsSync(file)).toBe(false);
    const left = fs.readFileSync(path.join(dir, 'link'));
    expect(left.length).toBe(2_200_000);
    expect(left.every((b) => b === 0)).toBe(true);
  });

  it('removes every file under backups/ and answers their names; an empty or absent folder is fine', () => {
    const dataDir = tempDataDir('pacer-backups-');
    expect(removeStoreBackups(dataDir, silentLogger)).toEqual([]);
    fs.mkdirSync(path.join(dataDir, 'backups'));
    const db = openDatabase(path.join(dataDir, 'pacer.db'), { key });
    db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('Danaqwe')");
    db.exec(`VACUUM INTO '${path.join(dataDir, 'backups', 'pacer-v15-1.db')}'`);
    db.close();
    fs.writeFileSync(path.join(dataDir, 'backups', 'pacer-v15-1.db-journal'), 'x');
    expect(removeStoreBackups(dataDir, silentLogger).sort()).toEqual(['pacer-v15-1.db', 'pacer-v15-1.db-journal']);
    expect(fs.readdirSync(path.join(dataDir, 'backups'))).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'pacer.db'))).toBe(true);
  });
});

describe('leftovers of a crashed run, at start', () => {
  const cores: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const c of cores.splice(0)) await c.close();
  });

  it('removes staged uploads and import staging files, encrypts a plaintext backup, keeps the rest', () => {
    const dataDir = tempDataDir('pacer-sweep-');
    for (const d of ['uploads', 'tmp', 'backups']) fs.mkdirSync(path.join(dataDir, d));
    fs.writeFileSync(path.join(dataDir, 'uploads', 'f0d3'), 'phone,name\n+972502345678,Danaqwe\n');
    fs.writeFileSync(path.join(dataDir, 'tmp', 'import-job1-ab12.db'), 'staging');
    fs.writeFileSync(path.join(dataDir, 'tmp', 'import-job1-ab12.db-journal'), 'staging');
    fs.writeFileSync(path.join(dataDir, 'tmp', 'other.txt'), 'not an import');
    plainStore(path.join(dataDir, 'backups', 'pacer-v8-1.db'), 'Danaqwe');
    expect(sweepLeftovers(dataDir, key, silentLogger)).toEqual({ removed: 3, encrypted: 1 });
    expect(fs.readdirSync(path.join(dataDir, 'uploads'))).toEqual([]);
    expect(fs.readdirSync(path.join(dataDir, 'tmp'))).toEqual(['other.txt']);
    const b = path.join(dataDir, 'backups', 'pacer-v8-1.db');
    expect(storeFileState(b)).toBe('encrypted');
    expect(fs.readFileSync(b).includes(Buffer.from('Danaqwe'))).toBe(false);
    const db = openDatabase(b, { key, readonly: true });
    expect(db.prepare('SELECT v FROM t').pluck().get()).toBe('Danaqwe');
    db.close();
    // Nothing left to do the second time.
    expect(sweepLeftovers(dataDir, key, silentLogger)).toEqual({ removed: 0, encrypted: 0 });
  });

  it('a plaintext file in backups/ that is not a readable store cannot stay: it is removed', () => {
    const dataDir = tempDataDir('pacer-sweep-');
    fs.mkdirSync(path.join(dataDir, 'backups'));
    const b = path.join(dataDir, 'backups', 'broken.db');
    plainStore(b, 'Danaqwe');
    const bytes = fs.readFileSync(b);
    bytes.fill(0x41, 100); // the header says SQLite, the pages are garbage
    fs.writeFileSync(b, bytes);
    expect(sweepLeftovers(dataDir, key, silentLogger).removed).toBe(1);
    expect(fs.existsSync(b)).toBe(false);
  });

  it('the core sweeps at start (a harness upload a crashed run left behind)', () => {
    const dataDir = tempDataDir('pacer-sweep-core-');
    fs.mkdirSync(path.join(dataDir, 'uploads'));
    fs.writeFileSync(path.join(dataDir, 'uploads', 'f0d3'), '+972502345678,Danaqwe\n');
    cores.push(testCore({ dataDir }));
    expect(fs.readdirSync(path.join(dataDir, 'uploads'))).toEqual([]);
  });
});
