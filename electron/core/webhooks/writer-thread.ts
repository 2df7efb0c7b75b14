import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { workerScript as threadScript, type WorkerScript } from '../threads/worker-script';
import type { AppendMessage, Durability, FromWriter, InboxItem, ToWriter, WriterData } from './inbox-writer-protocol';

/**
 * The inbox's committer on its own thread, with its own connection to the same database file.
 * Why: better-sqlite3 is synchronous, so an fsync on the main thread stops it from reading the
 * next requests. Here the main thread keeps parsing and verifying while this thread commits, and
 * everything that arrived during one commit goes into the next (group commit that adapts to load).
 *
 * The thread runs inbox-writer-worker.ts, a module of its own (typed, linted). scripts/build.mjs
 * emits it as inbox-writer-worker.mjs beside each bundle that contains this file (dist/cli.mjs,
 * dist/electron/core-host.mjs), where `workerScript` finds it; run from source (tests, benchmarks)
 * it is compiled on the fly with esbuild, a dev dependency that is always there with the source.
 */
export const WORKER_BUNDLE_NAME = 'inbox-writer-worker.mjs';

/** The worker's code: the emitted bundle beside this module, else the TypeScript source compiled once. */
export function workerScript(base: string = import.meta.url): WorkerScript {
  return threadScript(WORKER_BUNDLE_NAME, './inbox-writer-worker.ts', base);
}

interface Pending {
  resolve: (id: number | null) => void;
  reject: (e: unknown) => void;
}

export class InboxWriterThread {
  private readonly worker: Worker;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private closed: Promise<void> | null = null;
  readonly stats = { commits: 0, rows: 0 };

  constructor(
    file: string,
    durability: Durability,
    private readonly onCommitted: (added: number) => void,
    /** The store's key when it is encrypted (db/connection.ts storeKeyOf): the thread's connection needs it too. */
    key: Buffer | null = null,
  ) {
    const data: WriterData = {
      file,
      durability,
      sqlitePath: createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers'),
      keyHex: key ? key.toString('hex') : null,
    };
    const script = workerScript();
    this.worker = new Worker(script.url, { workerData: data });
    this.worker.unref();
    this.worker.on('message', (m: FromWriter) => {
      if (m === 'closed') return;
      this.stats.commits++;
      this.stats.rows += m.seqs.length;
      let added = 0;
      m.seqs.forEach((s, i) => {
        const p = this.pending.get(s);
        this.pending.delete(s);
        if (!p) return;
        if (m.error) p.reject(new Error(m.error));
        else {
          const id = m.ids?.[i] ?? null;
          if (id !== null) added++;
          p.resolve(id);
        }
      });
      if (added) this.onCommitted(added);
    });
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', () => this.failAll(new Error('inbox writer thread stopped')));
  }

  append(item: InboxItem, receivedAt: number): Promise<number | null> {
    if (this.closed) return Promise.reject(new Error('inbox writer is closed'));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.post({ seq, receivedAt, source: item.source, sourceId: item.sourceId ?? null, body: item.body } satisfies AppendMessage);
    });
  }

  /** Commits what is queued, then stops the thread. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      const done = () => resolve();
      this.worker.once('exit', done);
      this.worker.on('message', (m: FromWriter) => {
        if (m === 'closed') void this.worker.terminate();
      });
      this.post('close');
    });
    return this.closed;
  }

  private post(m: ToWriter): void {
    this.worker.postMessage(m);
  }

  private failAll(e: unknown): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
