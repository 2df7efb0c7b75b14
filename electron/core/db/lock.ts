import fs from 'node:fs';
import path from 'node:path';
import { PacerError } from '../errors';

export interface DataDirLock {
  release(): void;
}

interface LockInfo {
  pid: number;
  host: string;
  since: string;
}

/** Locks this process holds: a second core in the same process must be refused too. */
const heldHere = new Set<string>();

const isAlive = (pid: number): boolean => {
  if (pid === process.pid) return false; // our own pid but not in heldHere: left by a previous life of this pid

  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One process per data dir (inside it, the main connection and the webhook inbox writer thread write;
 * docs/architecture.md "Data"): the app, `pacer serve`, `pacer run` and every CLI command take this
 * lock. A second instance gets a clear message instead of a second process writing the same database. A lock left by a
 * process that died (kill -9, power loss) is taken over.
 */
export function acquireDataDirLock(dataDir: string, host: string): DataDirLock {
  const file = path.join(dataDir, 'pacer.lock');
  const info: LockInfo = { pid: process.pid, host, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      let released = false;
      heldHere.add(path.resolve(file));
      return {
        release() {
          if (released) return;
          released = true;
          heldHere.delete(path.resolve(file));
          try {
            const current = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
            if (current.pid === process.pid) fs.unlinkSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: LockInfo | null = null;
      try {
        holder = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
      } catch {
        holder = null; // half-written or unreadable: treat as stale
      }
      if (holder && (isAlive(holder.pid) || heldHere.has(path.resolve(file)))) {
        throw new PacerError(
          'unavailable',
          `Pacer is already running with this data folder (${holder.host}, process ${holder.pid}, since ${holder.since}). Close it first, or use another --data-dir.`,
          { holder },
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new PacerError('unavailable', `Could not lock the data folder ${dataDir}.`);
}
