import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { FromWriter, WriterData } from '../../../electron/core/webhooks/inbox-writer-protocol';
import { Inbox } from '../../../electron/core/webhooks/inbox';
import { WORKER_BUNDLE_NAME, workerScript } from '../../../electron/core/webhooks/writer-thread';
import { systemClock } from '../../../electron/core/clock';
import { emitInboxWriterWorker } from '../../support/inbox-writer-worker';
import { webhookDb } from './helpers';

/**
 * The inbox writer thread runs a real module (webhooks/inbox-writer-worker.ts): from a bundle it
 * is the file emitted beside it (scripts/build.mjs), from source the TypeScript compiled once.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-writer-'));
  dirs.push(d);
  return d;
};

describe('inbox writer thread module', () => {
  it('from source: compiles the TypeScript module once, into node_modules/.cache (no SQL kept in a string here)', () => {
    const script = workerScript();
    const file = fileURLToPath(script.url);
    expect(file).toMatch(/node_modules[\\/]\.cache[\\/]pacer-workers[\\/]inbox-writer-worker-[0-9a-f]{16}\.mjs$/);
    expect(fs.readFileSync(file, 'utf8')).toContain('INSERT INTO webhook_inbox');
    expect(workerScript()).toEqual(script);
  });

  it('from a bundle: uses the module emitted beside it, and says what is missing when it is not there', () => {
    const dir = tmp();
    const bundle = pathToFileURL(path.join(dir, 'cli.mjs')).href;
    expect(() => workerScript(bundle)).toThrow(/inbox-writer-worker/);
    fs.writeFileSync(path.join(dir, WORKER_BUNDLE_NAME), '');
    expect(workerScript(bundle)).toEqual({ kind: 'file', url: new URL(`./${WORKER_BUNDLE_NAME}`, bundle) });
  });

  it('the emitted module commits a batch and answers the ids (null for a repeated source id)', async () => {
    const dir = tmp();
    const bundle = path.join(dir, 'cli.mjs');
    await emitInboxWriterWorker(bundle);
    const { db } = webhookDb();
    const data: WriterData = {
      file: db.name,
      durability: 'full',
      sqlitePath: createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers'),
      keyHex: null,
    };
    const worker = new Worker(pathToFileURL(path.join(dir, WORKER_BUNDLE_NAME)), { workerData: data });
    try {
      const answers: FromWriter[] = [];
      const closed = new Promise<void>((resolve) =>
        worker.on('message', (m: FromWriter) => {
          answers.push(m);
          if (m === 'closed') resolve();
        }),
      );
      const body = (s: string) => new Uint8Array(Buffer.from(s));
      worker.postMessage({ seq: 1, receivedAt: 1000, source: 'relay', sourceId: 'ev-1', body: body('{"a":1}') });
      worker.postMessage({ seq: 2, receivedAt: 1001, source: 'relay', sourceId: 'ev-1', body: body('{"a":1}') });
      worker.postMessage({ seq: 3, receivedAt: 1002, source: 'direct', sourceId: null, body: body('{"b":2}') });
      worker.postMessage('close');
      await closed;
      const committed = answers.filter((m) => m !== 'closed');
      expect(committed.flatMap((m) => m.seqs)).toEqual([1, 2, 3]);
      const ids = committed.flatMap((m) => m.ids ?? []);
      expect(ids[1]).toBeNull();
      expect(ids.filter((x) => x !== null)).toHaveLength(2);
      const rows = db.prepare('SELECT source, source_id, CAST(body AS TEXT) AS body FROM webhook_inbox ORDER BY id').all();
      expect(rows).toEqual([
        { source: 'relay', source_id: 'ev-1', body: '{"a":1}' },
        { source: 'direct', source_id: null, body: '{"b":2}' },
      ]);
    } finally {
      await worker.terminate();
      db.close();
    }
  });

  it('an Inbox with the thread on commits through it and the rows are read back on the main connection', async () => {
    const { db } = webhookDb();
    const inbox = new Inbox(db, systemClock, 'normal', { thread: true });
    try {
      const ids = await Promise.all([1, 2, 3].map((i) => inbox.append({ body: Buffer.from(`{"n":${i}}`), source: 'direct' })));
      expect(ids.every((id) => typeof id === 'number')).toBe(true);
      expect(inbox.counts().pending).toBe(3);
    } finally {
      await inbox.close();
      db.close();
    }
  });
});
