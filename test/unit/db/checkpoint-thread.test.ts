import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointOnThread } from '../../../electron/core/db/checkpoint-thread';
import { openDatabase, type Db } from '../../../electron/core/db/connection';
import { scrubFreedPages } from '../../../electron/core/privacy/store/erase-traces';

/**
 * A big save's WAL is copied back into pacer.db on a thread of its own (the core answers calls
 * meanwhile), and an erasure that comes while that thread holds the checkpoint still gets its
 * zeroed pages into the file: it waits for the thread instead of giving up.
 */
const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const d of dbs.splice(0)) d.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function bigWal(): { db: Db; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-ckpt-'));
  dirs.push(dir);
  const file = path.join(dir, 'pacer.db');
  const db = openDatabase(file, { key: crypto.randomBytes(32) });
  dbs.push(db);
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 40_000; i++) ins.run(crypto.randomBytes(600).toString('hex'));
  })();
  return { db, file };
}

describe('checkpoint thread', () => {
  it('copies an encrypted store’s WAL back on its own connection', async () => {
    const { db, file } = bigWal();
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(20e6);
    const before = fs.statSync(file).size;
    expect(await checkpointOnThread(db)).toMatchObject({ ok: true });
    expect(fs.statSync(file).size).toBeGreaterThan(before + 20e6);
    // Nothing left to copy: every frame of the WAL is in the file.
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    expect(r!.checkpointed).toBe(r!.log);
  });

  it('an erasure’s scrub while the thread checkpoints waits for it and empties the WAL', async () => {
    const { db, file } = bigWal();
    const before = fs.statSync(file).size;
    const running = checkpointOnThread(db);
    // Until the thread is copying (the file grows): it holds the checkpoint lock now.
    while (fs.statSync(file).size <= before) await new Promise((r) => setTimeout(r, 2));
    expect(scrubFreedPages(db)).toBe(true);
    expect(fs.statSync(`${file}-wal`).size).toBe(0);
    await running;
  });
});
