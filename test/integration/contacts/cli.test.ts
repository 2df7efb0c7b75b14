import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/core/cli/index';
import type { CliIo } from '../../../electron/core/cli/io';
import { tempDataDir } from '../../support/harness';
import { tempFile } from './helpers';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, untilSignal: () => new Promise(() => {}) };
  return { io: value, out, err };
}

async function pacer(dataDir: string, ...args: string[]) {
  const c = io();
  const code = await runCli(['--data-dir', dataDir, ...args], c.io);
  return { code, out: c.out.join('\n'), err: c.err.join('\n') };
}

const CSV = [
  'First Name,Last Name,Mobile,Email,Tags,attr.city,attr.age',
  'Dana,Levi,050-234-5678,dana@example.com,vip,Haifa,34',
  'Yossi,Cohen,0529876543,,"vip, new",Tel Aviv,41',
  'No,Phone,,,,,',
  'Fixed,Line,03-123-4567,,,,',
  'Twice,Again,+972 50-234-5678,,,,',
  'Short,Num,05412,,,Eilat,50',
].join('\n');

describe('pacer import / contacts (CLI contract)', () => {
  it('imports with the JSON report of cli.md, counts adding up, and lists contacts', async () => {
    const dir = tempDataDir();
    const file = tempFile('people.csv', CSV);
    const r = await pacer(dir, 'import', file, '--default-country', 'IL', '--tag', 'spring', '--consent', 'marketing', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(Object.keys(report).sort()).toEqual(
      ['duplicates', 'encoding', 'errors', 'format', 'imported', 'invalid', 'rows', 'skipped', 'updated'].sort(),
    );
    expect(report).toMatchObject({
      format: 'csv',
      encoding: 'utf-8',
      rows: 6,
      imported: 2,
      updated: 0,
      duplicates: 1,
      invalid: 3,
      skipped: 0,
    });
    expect(report.imported + report.updated + report.duplicates + report.invalid + report.skipped).toBe(report.rows);
    expect(report.errors).toEqual([
      { row: 4, reason: 'no phone number' },
      { row: 5, reason: expect.stringMatching(/^not a mobile number \(fixed line\)/) },
      { row: 6, reason: 'duplicate of row 2 (+972502345678)' },
      { row: 7, reason: 'not a valid number for IL: 05412' },
    ]);

    const list = await pacer(dir, 'contacts', 'list', '--json');
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.out);
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0]).sort()).toEqual(
      ['attributes', 'consent', 'email', 'first_name', 'id', 'last_name', 'name', 'phone', 'tags'].sort(),
    );
    const dana = rows.find((x: { phone: string }) => x.phone === '+972502345678');
    expect(dana).toMatchObject({
      name: 'Dana Levi',
      first_name: 'Dana',
      last_name: 'Levi',
      email: 'dana@example.com',
      tags: ['spring', 'vip'],
      attributes: { city: 'Haifa', age: 34 },
      consent: { marketing: 'opted_in', utility: 'unknown' },
    });

    const search = JSON.parse((await pacer(dir, 'contacts', 'list', '--search', '052-987', '--json')).out);
    expect(search.map((x: { phone: string }) => x.phone)).toEqual(['+972529876543']);
    const tagged = JSON.parse((await pacer(dir, 'contacts', 'list', '--tag', 'new', '--json')).out);
    expect(tagged.map((x: { name: string }) => x.name)).toEqual(['Yossi Cohen']);
  });

  it('opt-out, opt-in (reason needed after opt-out), delete', async () => {
    const dir = tempDataDir();
    await pacer(dir, 'import', tempFile('p.csv', CSV), '--consent', 'marketing');
    const out = await pacer(dir, 'contacts', 'opt-out', '0502345678', '--category', 'marketing', '--reason', 'asked by phone', '--json');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.out).consent.marketing).toBe('opted_out');
    const noReason = await pacer(dir, 'contacts', 'opt-in', '+972502345678', '--category', 'marketing', '--source', 'form');
    expect(noReason.code).toBe(2);
    expect(noReason.err).toMatch(/needs a reason/);
    const withReason = await pacer(
      dir,
      'contacts',
      'opt-in',
      '+972502345678',
      '--category',
      'marketing',
      '--source',
      'form',
      '--reason',
      'signed again at store',
      '--json',
    );
    expect(withReason.code).toBe(0);
    expect(JSON.parse(withReason.out).consent.marketing).toBe('opted_in');
    const del = await pacer(dir, 'contacts', 'delete', '+972502345678', '--json');
    expect(del.code).toBe(0);
    expect(JSON.parse(del.out)).toEqual({ deleted: true, backups_removed: 0 });
    expect((await pacer(dir, 'contacts', 'delete', '+972502345678')).code).toBe(1);
    expect(JSON.parse((await pacer(dir, 'contacts', 'list', '--json')).out).map((x: { phone: string }) => x.phone)).toEqual([
      '+972529876543',
    ]);
  });

  it('exports csv with formula-like cells neutralised', async () => {
    const dir = tempDataDir();
    await pacer(dir, 'import', tempFile('p.csv', 'name,phone\n=HYPERLINK("http://evil"),0502345678\n'));
    const r = await pacer(dir, 'contacts', 'export', '--format', 'csv');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^phone,name,first_name/);
    expect(lines[1]).toMatch(/^\+972502345678,"'=HYPERLINK\(""http:\/\/evil""\)",/);
    const out = path.join(dir, 'c.json');
    expect((await pacer(dir, 'contacts', 'export', '--format', 'json', '--out', out)).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))[0]).toMatchObject({ phone: '+972502345678', name: '=HYPERLINK("http://evil")' });
  });

  it.each([
    ['empty file', ''],
    ['header only', 'name,phone\n'],
    ['binary', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x3e, 0x00])],
    ['unbalanced quote', 'name,phone\n"Dana,0502345678\nYossi,0529876543\n'],
  ])('bad input (%s) exits 2, writes nothing', async (_label, content) => {
    const dir = tempDataDir();
    const r = await pacer(dir, 'import', tempFile('bad.csv', content), '--json');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^pacer: /);
    expect(JSON.parse((await pacer(dir, 'contacts', 'list', '--json')).out)).toEqual([]);
  });

  it('bad usage exits 2', async () => {
    const dir = tempDataDir();
    const file = tempFile('p.csv', CSV);
    expect((await pacer(dir, 'import', path.join(dir, 'missing.csv'))).code).toBe(2);
    expect((await pacer(dir, 'import', file, '--default-country', 'Israel')).code).toBe(2);
    expect((await pacer(dir, 'import', file, '--on-duplicate', 'merge')).code).toBe(2);
    expect((await pacer(dir, 'import', file, '--map', 'phone=Nope')).code).toBe(2);
    expect((await pacer(dir, 'import', file, '--map', 'shoe=Mobile')).code).toBe(2);
    expect((await pacer(dir, 'import', file, '--encoding', 'ebcdic')).code).toBe(2);
  });

  it('--dry-run reports and writes nothing; --map overrides a guess', async () => {
    const dir = tempDataDir();
    const file = tempFile('p.csv', 'who,number,other\nDana,0502345678,x\n');
    const dry = await pacer(dir, 'import', file, '--map', 'phone=number', '--map', 'name=who', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ rows: 1, imported: 1 });
    expect(JSON.parse((await pacer(dir, 'contacts', 'list', '--json')).out)).toEqual([]);
    expect((await pacer(dir, 'import', file, '--map', 'phone=number', '--map', 'name=who')).code).toBe(0);
    expect(JSON.parse((await pacer(dir, 'contacts', 'list', '--json')).out)[0]).toMatchObject({ name: 'Dana', phone: '+972502345678' });
  });
});
