import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/index';
import { openDatabase } from '../../../electron/core/db/connection';
import { storeFileState } from '../../../electron/core/db/cipher';
import { migrate } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { encryptStoreIfPlaintext, type EncryptProgress } from '../../../electron/core/db/open-store';
import { silentLogger } from '../../../electron/core/log';
import { KeyFileStoreKeyVault, MemoryStoreKeyVault } from '../../../electron/core/secrets/store-key';
import { MemoryVault } from '../../../electron/core/secrets/vault';
import { MemorySettingsStore } from '../../../electron/core/settings/store';
import { PacerError } from '../../../electron/core/errors';
import { tempDataDir } from '../../support/harness';
import { runCli } from '../../../electron/core/cli/index';
import type { CliIo } from '../../../electron/core/cli/io';
import { importFile, ok, tempFile } from '../contacts/helpers';
import { runUntilDone, utilityDraft, world, type World } from '../campaigns/helpers';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

function core(dataDir: string, env: NodeJS.ProcessEnv = process.env): Core {
  const c = createCore({
    dataDir,
    host: 'cli',
    secrets: new MemoryVault(),
    settings: new MemorySettingsStore(),
    log: silentLogger,
    storeKeys: new KeyFileStoreKeyVault(dataDir, env),
  });
  open.push(c);
  return c;
}

/** Every file under dir, recursively (the data folder as an attacker with the disk sees it). */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** The needles found in any file, as UTF-8 and as UTF-16 (what `strings`/grep would find). */
function readable(dir: string, needles: string[], skip: (file: string) => boolean = () => false): string[] {
  const hits: string[] = [];
  for (const f of filesUnder(dir)) {
    if (skip(f)) continue;
    const bytes = fs.readFileSync(f);
    for (const n of needles) {
      if (bytes.includes(Buffer.from(n, 'utf8')) || bytes.includes(Buffer.from(n, 'utf16le'))) hits.push(`${path.relative(dir, f)}: ${n}`);
    }
  }
  return hits;
}

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

const PEOPLE = ['Zebulon Quartermaine', 'Ofra Haza-Testovich', '陳美玲', 'נועה לוינסקי'];
const PHONES = ['+972502000011', '+972502345678', '+886912000004', '+447911123456'];

describe('encryption at rest', () => {
  it('a fresh data folder gets a new random key (0600, outside the folder) and an encrypted store', async () => {
    const dir = tempDataDir('pacer-enc-');
    core(dir);
    const keys = new KeyFileStoreKeyVault(dir);
    expect(keys.file.startsWith(dir)).toBe(false);
    expect(fs.statSync(keys.file).mode & 0o777).toBe(0o600);
    expect(keys.read()!.length).toBe(32);
    expect(storeFileState(path.join(dir, 'pacer.db'))).toBe('encrypted');
    // A plain SQLite connection (what any SQLite tool does) cannot read it.
    const plain = new Database(path.join(dir, 'pacer.db'), { readonly: true });
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_schema').get()).toThrow(/not a database/);
    plain.close();
    // Two data folders, two keys.
    const other = tempDataDir('pacer-enc-');
    core(other);
    expect(new KeyFileStoreKeyVault(other).read()!.equals(keys.read()!)).toBe(false);
  });

  it('key loss: the key file removed → store_key_missing naming where it looked; the store is untouched and no new one appears', async () => {
    const dir = tempDataDir('pacer-enc-');
    const c = core(dir);
    const f = tempFile('people.csv', `name,phone\n${PEOPLE[0]},${PHONES[0]}\n`);
    const rep = (await importFile(c, f)).report;
    expect(rep, JSON.stringify(rep)).toMatchObject({ imported: 1 });
    await c.close();
    open.pop();
    const keys = new KeyFileStoreKeyVault(dir);
    const before = sha(path.join(dir, 'pacer.db'));
    const listing = fs.readdirSync(dir).sort();
    fs.rmSync(keys.file);

    let err: unknown;
    try {
      core(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PacerError);
    expect((err as PacerError).code).toBe('store_key_missing');
    expect((err as PacerError).details).toEqual({ file: path.join(dir, 'pacer.db'), keyLocation: { kind: 'key_file', path: keys.file } });
    expect(sha(path.join(dir, 'pacer.db'))).toBe(before);
    expect(fs.readdirSync(dir).sort()).toEqual(listing);
    expect(fs.existsSync(keys.file)).toBe(false); // no new key was made for a store that has one
    expect(fs.existsSync(path.join(dir, 'pacer.lock'))).toBe(false); // and the folder is not left locked
  });

  it('a wrong key → store_key_wrong; the store is untouched; the right key opens it again', async () => {
    const dir = tempDataDir('pacer-enc-');
    const c = core(dir);
    const f = tempFile('people.csv', `name,phone\n${PEOPLE[1]},${PHONES[1]}\n`);
    const rep = (await importFile(c, f)).report;
    expect(rep, JSON.stringify(rep)).toMatchObject({ imported: 1 });
    await c.close();
    open.pop();
    const keys = new KeyFileStoreKeyVault(dir);
    const right = fs.readFileSync(keys.file, 'utf8');
    const before = sha(path.join(dir, 'pacer.db'));
    fs.writeFileSync(keys.file, crypto.randomBytes(32).toString('hex'));

    let err: unknown;
    try {
      core(dir);
    } catch (e) {
      err = e;
    }
    expect((err as PacerError).code).toBe('store_key_wrong');
    expect(sha(path.join(dir, 'pacer.db'))).toBe(before);

    // The same through PACER_DB_KEY (a server's secret store): wrong, then right.
    const wrongEnv = { ...process.env, PACER_DB_KEY: crypto.randomBytes(32).toString('hex') };
    expect(() => core(dir, wrongEnv)).toThrow(
      expect.objectContaining({ code: 'store_key_wrong', details: expect.objectContaining({ keyLocation: { kind: 'env' } }) }),
    );
    const again = core(dir, { ...process.env, PACER_DB_KEY: right.trim() });
    expect(again.db.prepare('SELECT name FROM contacts').pluck().all()).toEqual([PEOPLE[1]]);
  });

  it('migrates a plaintext store in place: rows survive, progress is reported, the backups are encrypted, no name is readable', async () => {
    const dir = tempDataDir('pacer-enc-');
    const file = path.join(dir, 'pacer.db');
    // A store as a Pacer before encryption left it: plaintext, WAL, a migration backup beside it.
    const plain = openDatabase(file);
    migrate(plain, migrations);
    const ins = plain.prepare(
      "INSERT INTO contacts (phone, first_name, name, country, created_at, updated_at) VALUES (?, ?, ?, 'IL', 1, 1)",
    );
    PEOPLE.forEach((n, i) => ins.run(PHONES[i], n, n));
    for (let i = 0; i < 3000; i++) ins.run(`+9725030${String(i).padStart(5, '0')}`, `Filler${i}`, `Filler${i}`);
    fs.mkdirSync(path.join(dir, 'backups'));
    plain.exec(`VACUUM INTO '${path.join(dir, 'backups', 'pacer-v8-1.db')}'`);
    plain.close();
    expect(readable(dir, [PEOPLE[0]!])).not.toEqual([]); // the premise: readable before

    const keys = new KeyFileStoreKeyVault(dir);
    const seen: EncryptProgress[] = [];
    expect(await encryptStoreIfPlaintext({ dataDir: dir, host: 'cli', keys, onProgress: (p) => seen.push(p), everyMs: 5 })).toBe(true);
    expect(seen.map((p) => p.phase)).toEqual(expect.arrayContaining(['checkpoint', 'copy', 'encrypt', 'verify', 'backups', 'done']));
    expect(seen.at(-1)).toEqual({ phase: 'done', done: 1, total: 1 });
    expect(await encryptStoreIfPlaintext({ dataDir: dir, host: 'cli', keys })).toBe(false); // once

    expect(readable(dir, [...PEOPLE, ...PHONES])).toEqual([]);
    expect(storeFileState(file)).toBe('encrypted');
    const backups = fs.readdirSync(path.join(dir, 'backups')).sort();
    expect(backups).toHaveLength(2);
    expect(backups).toEqual(expect.arrayContaining(['pacer-v8-1.db', expect.stringMatching(/^pacer-v\d+-before-encryption-\d+\.db$/)]));
    for (const b of backups) {
      expect(storeFileState(path.join(dir, 'backups', b))).toBe('encrypted');
      const db = openDatabase(path.join(dir, 'backups', b), { readonly: true, key: keys.read()! });
      expect(db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(3004);
      db.close();
    }
    expect(
      fs
        .readdirSync(dir)
        .filter((f) => f.startsWith('pacer.db'))
        .sort(),
    ).toEqual(['pacer.db']);

    const c = core(dir);
    expect(c.db.prepare('SELECT name FROM contacts WHERE phone = ?').pluck().get(PHONES[2])).toBe(PEOPLE[2]);
    expect(c.db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(3004);
  });

  it('the CLI encrypts a plaintext store before its command, with progress on stderr; a missing key is exit 1 with the reason', async () => {
    const dir = tempDataDir('pacer-enc-cli-');
    const plain = openDatabase(path.join(dir, 'pacer.db'));
    migrate(plain, migrations);
    plain
      .prepare("INSERT INTO contacts (phone, first_name, name, country, created_at, updated_at) VALUES (?, ?, ?, 'IL', 1, 1)")
      .run(PHONES[1], PEOPLE[1], PEOPLE[1]);
    plain.close();
    const cli = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, untilSignal: () => new Promise(() => {}) };
      const code = await runCli(['--data-dir', dir, ...args], io);
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const listed = await cli('contacts', 'list', '--json');
    expect(listed.code, listed.err).toBe(0);
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ phone: PHONES[1], name: PEOPLE[1] })]);
    expect(listed.err).toMatch(/Encrypting the contact store[\s\S]*encrypting 100%[\s\S]*The contact store is encrypted\./);
    expect(readable(dir, [PEOPLE[1]!, PHONES[1]!])).toEqual([]);
    expect((await cli('contacts', 'list', '--json')).err).toBe(''); // once

    fs.rmSync(new KeyFileStoreKeyVault(dir).file);
    const refused = await cli('contacts', 'list', '--json');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('is encrypted and its key was not found');
    expect(fs.existsSync(path.join(dir, 'pacer.lock'))).toBe(false);
  });

  it('createCore encrypts a plaintext store by itself too (the synchronous path), with the key it already has', async () => {
    const dir = tempDataDir('pacer-enc-');
    const plain = openDatabase(path.join(dir, 'pacer.db'));
    migrate(plain, migrations);
    plain
      .prepare("INSERT INTO contacts (phone, first_name, name, country, created_at, updated_at) VALUES (?, ?, ?, 'IL', 1, 1)")
      .run(PHONES[3], PEOPLE[3], PEOPLE[3]);
    plain.close();
    const keys = new MemoryStoreKeyVault();
    const c = createCore({
      dataDir: dir,
      host: 'cli',
      secrets: new MemoryVault(),
      settings: new MemorySettingsStore(),
      log: silentLogger,
      storeKeys: keys,
    });
    open.push(c);
    expect(c.db.prepare('SELECT name FROM contacts').pluck().all()).toEqual([PEOPLE[3]]);
    expect(readable(dir, [PEOPLE[3]!, PHONES[3]!])).toEqual([]);
    expect(keys.read()).not.toBeNull();
  });

  it('after an import, a campaign and a reply, no file of the data folder holds a readable name, number or reply', async () => {
    const dataDir = tempDataDir('pacer-enc-grep-');
    const w: World = await world({ dataDir });
    open.push(w);
    const csv = tempFile('people.csv', ['first_name,phone', ...PEOPLE.map((n, i) => `${n},${PHONES[i]}`)].join('\n') + '\n');
    const rep = (await importFile(w.core, csv, { consent: 'utility', consentSource: 'web form' })).report;
    expect(rep, JSON.stringify(rep?.errors)).toMatchObject({ imported: 4 });
    const c = await ok(w.core.call('campaigns:create', utilityDraft({ name: 'Grep check' })));
    await ok(w.core.call('campaigns:start', { id: c.id }));
    expect((await runUntilDone(w, c.id)).state).toBe('completed');
    expect(w.sandbox.stats().sends.accepted).toBe(4);
    const REPLY = 'Quokka-reply please call me tomorrow';
    w.sandbox.sendInbound({ from: PHONES[0]!, kind: 'text', text: REPLY });
    await w.sandbox.webhooksIdle();
    // The reply went through the inbox writer thread (its own connection, with the key) and was processed.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(w.core.db.prepare('SELECT count(*) FROM webhook_inbox').pluck().get() as number))
      await new Promise((r) => setTimeout(r, 50));
    expect(w.core.db.prepare('SELECT count(*) FROM webhook_inbox').pluck().get()).toBeGreaterThan(0);
    const bodies = (w.core.db.prepare('SELECT body FROM webhook_inbox').pluck().all() as Buffer[]).map(String).join('\n');
    expect(bodies).toContain(REPLY); // the premise: the reply is in the store…
    // A backup as db/migrate.ts makes them before a migration that rewrites data (VACUUM INTO).
    fs.mkdirSync(path.join(dataDir, 'backups'), { recursive: true });
    w.core.db.exec(`VACUUM INTO '${path.join(dataDir, 'backups', 'manual.db').replace(/'/g, "''")}'`);

    // …and no file (pacer.db, -wal, -shm, backups, logs, staging leftovers) shows it, a name or a number.
    const needles = [...PEOPLE, ...PHONES, ...PHONES.map((p) => p.slice(1)), REPLY];
    expect(readable(dataDir, needles)).toEqual([]);
    expect(filesUnder(dataDir).map((f) => path.relative(dataDir, f))).toEqual(
      expect.arrayContaining(['pacer.db', 'pacer.db-wal', path.join('backups', 'manual.db')]),
    );
  });
});
