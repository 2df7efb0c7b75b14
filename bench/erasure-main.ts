// Options after `--`: --contacts N (default 200000), --erasures K (default 5), --contacts-only (no
// campaign, webhook data or backup: the store the first erasure figure of docs/benchmarks.md had).
/**
 * Erasure benchmark (issue #14 item 2): an encrypted store of N imported contacts (through the
 * contract's import, search index complete), each sent one campaign message with a Meta-shaped
 * wamid, its merged status, its event keys and its raw status bodies (10 people per body, as Meta
 * batches them), plus one backup as db/migrate.ts makes it. Then K erasures through
 * `contacts:delete` (the first one also removes the backup), and the per-event cost of the check
 * that recognises a late status of an erased message id.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../electron/core/index';
import { MemoryVault } from '../electron/core/secrets/vault';
import { MemoryStoreKeyVault } from '../electron/core/secrets/store-key';
import { MemorySettingsStore } from '../electron/core/settings/store';
import { silentLogger } from '../electron/core/log';
import { forgottenEvent } from '../electron/core/privacy/store/erase-wamids';
import type { WebhookEvent } from '../electron/core/webhooks/events';

const argv = process.argv.slice(2);
const opt = (name: string, d: number) => Number(argv[argv.indexOf(name) + 1] ?? 0) || d;
const N = argv.includes('--contacts') ? opt('--contacts', 200_000) : 200_000;
const K = argv.includes('--erasures') ? opt('--erasures', 5) : 5;
const CONTACTS_ONLY = argv.includes('--contacts-only') || process.env.BENCH_CONTACTS_ONLY === '1';

const wamidOf = (waId: string) =>
  'wamid.' +
  Buffer.concat([
    Buffer.from([0x1c, 0x18, waId.length]),
    Buffer.from(waId, 'ascii'),
    Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]),
    Buffer.from(crypto.randomBytes(9).toString('hex').toUpperCase(), 'ascii'),
    Buffer.from([0x00]),
  ]).toString('base64');

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-bench-erasure-'));
  const csv = path.join(work, 'contacts.csv');
  const lines = ['phone,first_name,last_name,email'];
  for (let i = 0; i < N; i++) lines.push(`+97250${String(i).padStart(7, '0')},First${i},Last${i % 997},user${i}@example.com`);
  fs.writeFileSync(csv, lines.join('\n') + '\n');

  const core = createCore({
    dataDir: path.join(work, 'data'),
    host: 'cli',
    secrets: new MemoryVault(),
    settings: new MemorySettingsStore(),
    log: silentLogger,
    storeKeys: new MemoryStoreKeyVault(),
  });
  let t = performance.now();
  const staged = core.ctx.files.stagePath(csv);
  const preview = await core.call('import:preview', { fileId: staged.fileId });
  if (!preview.ok) throw new Error(preview.message);
  const started = await core.call('import:start', { fileId: staged.fileId, mapping: preview.value.mapping, defaultCountry: 'IL' });
  if (!started.ok) throw new Error(started.message);
  const job = await core.services.imports.wait(started.value.jobId);
  if (job.state !== 'done') throw new Error(`import ${job.state}`);
  await core.services.contacts.indexer.stop();
  core.services.contacts.indexer.catchUpNow();
  console.log(`imported ${N.toLocaleString('en')} contacts, index complete: ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // One campaign to everyone: ledger rows with wamids, merged statuses, event keys, raw bodies.
  const db = core.db;
  t = performance.now();
  const now = Date.now();
  if (!CONTACTS_ONLY)
    db.transaction(() => {
      db.prepare(
        "INSERT INTO campaigns (id, name, state, template_name, template_language, audience, created_at, updated_at) VALUES ('c1', 'bench', 'completed', 't', 'en', '{}', ?, ?)",
      ).run(now, now);
      const contacts = db.prepare('SELECT id, phone FROM contacts').all() as { id: number; phone: string }[];
      const ledger = db.prepare(
        "INSERT INTO campaign_recipients (campaign_id, contact_id, phone, phone_hash, state, wamid, updated_at) VALUES ('c1', ?, ?, ?, 'read', ?, ?)",
      );
      const status = db.prepare(
        "INSERT INTO webhook_message_status (wamid, status, recipient_id, pricing_category, updated_at) VALUES (?, 'read', ?, 'utility', ?)",
      );
      const key = db.prepare('INSERT INTO webhook_event_keys (key, inbox_id, processed_at) VALUES (?, ?, ?)');
      const inbox = db.prepare(
        "INSERT INTO webhook_inbox (received_at, source, body, state, processed_at) VALUES (?, 'direct', ?, 'processed', ?)",
      );
      let batch: Record<string, unknown>[] = [];
      for (const c of contacts) {
        const waId = c.phone.slice(1);
        const w = wamidOf(waId);
        ledger.run(c.id, c.phone, crypto.createHash('sha256').update(c.phone).digest('hex'), w, now);
        status.run(w, waId, now);
        for (const s of ['sent', 'delivered', 'read']) {
          key.run(`status:${w}:${s}:${Math.floor(now / 1000)}`, 1, now);
          batch.push({ id: w, status: s, timestamp: String(Math.floor(now / 1000)), recipient_id: waId });
        }
        if (batch.length >= 30) {
          inbox.run(
            now,
            Buffer.from(
              JSON.stringify({
                object: 'whatsapp_business_account',
                entry: [{ id: 'W', changes: [{ field: 'messages', value: { statuses: batch } }] }],
              }),
            ),
            now,
          );
          batch = [];
        }
      }
    })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  console.log(`seeded ledger, statuses, 3 event keys each, raw bodies: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(path.join(dataDir, 'backups'), { recursive: true });
  if (!CONTACTS_ONLY) db.exec(`VACUUM INTO '${path.join(dataDir, 'backups', `pacer-v16-${now}.db`)}'`);
  const sizes = {
    store: fs.statSync(path.join(dataDir, 'pacer.db')).size,
    backup: fs.readdirSync(path.join(dataDir, 'backups')).reduce((n, f) => n + fs.statSync(path.join(dataDir, 'backups', f)).size, 0),
  };
  console.log(`store ${(sizes.store / 1e6).toFixed(0)} MB, backup ${(sizes.backup / 1e6).toFixed(0)} MB`);

  const times: number[] = [];
  const erasedWamids: string[] = [];
  for (let k = 0; k < K; k++) {
    const i = Math.floor(((k + 1) * N) / (K + 1));
    const phone = `+97250${String(i).padStart(7, '0')}`;
    if (!CONTACTS_ONLY) erasedWamids.push(db.prepare('SELECT wamid FROM campaign_recipients WHERE phone = ?').pluck().get(phone) as string);
    t = performance.now();
    const r = await core.call('contacts:delete', { phone });
    const ms = performance.now() - t;
    if (!r.ok || !r.value.deleted) throw new Error(`erasure failed: ${JSON.stringify(r)}`);
    times.push(ms);
    console.log(`erasure ${k + 1}: ${ms.toFixed(0)} ms${r.value.backups_removed ? ` (removed ${r.value.backups_removed} backup)` : ''}`);
  }

  // The late-status check, per event: a status of an erased id, and an ordinary one.
  // (Since 2026 statuses also carry the recipient's user id: one more keyed hash, to see whether an
  // erased person known only by it is meant.)
  const ev = (wamid: string, recipientUserId: string | null = null) =>
    ({ type: 'status', key: `status:${wamid}:read:1`, wamid, recipientId: null, recipientUserId }) as unknown as WebhookEvent;
  const other = CONTACTS_ONLY
    ? ''
    : (db.prepare('SELECT wamid FROM campaign_recipients WHERE wamid LIKE ? LIMIT 1').pluck().get('wamid.%') as string);
  for (const [label, w, expect, userId] of (CONTACTS_ONLY
    ? []
    : [
        ['erased id', erasedWamids[0]!, true, null],
        ['ordinary id', other, false, null],
        ['ordinary id with a user id', other, false, 'IL.1502576394655843'],
      ]) as [string, string, boolean, string | null][]) {
    const M = 50_000;
    t = performance.now();
    for (let j = 0; j < M; j++) if (!!forgottenEvent(db, ev(w, userId)) !== expect) throw new Error('wrong answer');
    console.log(`late-status check (${label}): ${(((performance.now() - t) * 1000) / M).toFixed(1)} µs per event`);
  }
  await core.close();
  fs.rmSync(work, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      contacts: N,
      storeMB: +(sizes.store / 1e6).toFixed(0),
      backupMB: +(sizes.backup / 1e6).toFixed(0),
      erasureMs: times.map((x) => Math.round(x)),
    }),
  );
}

await main();
