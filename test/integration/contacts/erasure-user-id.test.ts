/**
 * A person erased while known only by their WhatsApp user id (no number) stays erased: a later file
 * with their user id — alone or beside a number — does not bring them back, and the row says why.
 * When they ask to come back, the record is lifted by that user id (app and CLI), audited without it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import { runCli } from '../../../electron/core/cli/index';
import type { CliIo } from '../../../electron/core/cli/io';
import { openDataDirStore } from '../../support/store';
import { tempDataDir } from '../../support/harness';
import { importFile, ok, tempFile, testCore } from './helpers';

let cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.map((c) => c.close()));
  cores = [];
});

const ID = 'IL.1502576394655843';
const FILE = `phone,name,whatsapp_user_id\n,Noa,${ID}\n+972529876543,Yossi,IL.999000111222\n`;
const countById = (c: Core, id: string) => c.db.prepare('SELECT count(*) FROM contacts WHERE user_id = ?').pluck().get(id) as number;

describe('erasure of a person known only by their user id', () => {
  it('a later file with their user id is refused row by row, with or without a number, until the erasure is lifted', async () => {
    const c = testCore();
    cores.push(c);
    expect((await importFile(c, tempFile('people.csv', FILE))).report).toMatchObject({ imported: 2 });
    expect(countById(c, ID)).toBe(1);
    expect((await ok(c.call('contacts:delete', { userId: ID }))).deleted).toBe(true);

    // The same file again: her row is refused as erased; Yossi is already there.
    const again = await importFile(c, tempFile('people.csv', FILE));
    expect(again.report?.errors).toEqual([expect.objectContaining({ row: 2, code: 'erased', params: { date: expect.any(String) } })]);
    expect(countById(c, ID)).toBe(0);
    // Her user id beside a number (WhatsApp linked them meanwhile): still her, still refused.
    const withPhone = await importFile(c, tempFile('linked.csv', `phone,name,whatsapp_user_id\n+972502345678,Noa,${ID}\n`));
    expect(withPhone.report?.errors).toEqual([expect.objectContaining({ row: 2, code: 'erased' })]);
    expect(c.db.prepare("SELECT count(*) FROM contacts WHERE phone = '+972502345678'").pluck().get()).toBe(0);

    // She asked to come back: lifted by her user id (a number would not find the record).
    expect(await ok(c.call('contacts:lift-erasure', { phone: '+972502345678', reason: 'asked again' }))).toEqual({
      lifted: false,
      erased_at: null,
    });
    const lifted = await ok(c.call('contacts:lift-erasure', { userId: ID, reason: 'wrote to the shop asking to join again' }));
    expect(lifted).toMatchObject({ lifted: true, erased_at: expect.any(Number) });
    const audit = c.db.prepare("SELECT detail FROM audit_log WHERE action = 'contact.erasure_lifted'").pluck().all() as string[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toContain('wrote to the shop');
    expect(audit[0]).not.toContain(ID);
    const back = await importFile(c, tempFile('people.csv', FILE));
    expect(back.report?.errors).toEqual([]);
    expect(countById(c, ID)).toBe(1);
  });

  it('pacer contacts lift-erasure takes a user id', async () => {
    const dir = tempDataDir();
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, untilSignal: () => new Promise(() => {}) };
    const pacer = (...args: string[]) => runCli(['--data-dir', dir, ...args], io);
    const code = await pacer('import', tempFile('people.csv', FILE), '--default-country', 'IL');
    expect(code, err.join('\n')).toBe(0);
    expect(await pacer('contacts', 'delete', ID)).toBe(0);
    expect(await pacer('contacts', 'lift-erasure', ID, '--reason', 'asked to join again', '--json')).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ lifted: true });
    const db = openDataDirStore(dir, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM contact_erasures').pluck().get()).toBe(0);
    db.close();
  });
});
