/**
 * Chinese (and other CJK) names in search (contacts/search.ts): a run of up to three characters is
 * one word of the index, so a search for a two- or three-character name is answered by the index
 * alone; a longer run is its three-character words plus a check that the name holds it as typed.
 * Property (fast-check, fixed seed): for any query cut from the names, the contacts found are
 * exactly those whose name contains it (or, for several words, every one of them).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import { searchClause } from '../../../electron/core/contacts/search';
import { importFile, ok, tempFile, testCore } from './helpers';

const NAMES = [
  '王美玲',
  '陳王美玲',
  '王美 玲',
  '美玲王',
  '歐陽娜娜',
  '歐陽娜 陽娜娜',
  '林志豪',
  '張家豪',
  '李小明',
  '黃怡君',
  '山田花子',
  '김민준',
];
let core: Core;

beforeAll(async () => {
  core = testCore();
  const lines = ['name,phone'];
  NAMES.forEach((n, i) => lines.push(`${n},+97250${String(5_000_000 + i).padStart(7, '0')}`));
  const job = await importFile(core, tempFile('cjk.csv', lines.join('\n')));
  expect(job.report).toMatchObject({ imported: NAMES.length });
});
afterAll(() => core.close());

const found = async (search: string) => (await ok(core.call('contacts:query', { search, limit: 100 }))).rows.map((r) => r.name).sort();
const expected = (search: string) =>
  NAMES.filter((n) =>
    search
      .split(/\s+/)
      .filter(Boolean)
      .every((t) => n.includes(t)),
  ).sort();

describe('CJK name search', () => {
  it('a two- or three-character name is one word of the index: no check of each name (the fast path)', () => {
    for (const q of ['王美玲', '美玲', '志豪', '花子', '민준']) expect(searchClause(core.db, q, null)?.ftsOnly).toBeDefined();
    // Longer runs are checked against the name as typed.
    expect(searchClause(core.db, '歐陽娜娜', null)?.ftsOnly).toBeUndefined();
  });

  it('finds exactly the names that contain what was typed', async () => {
    expect(await found('王美玲')).toEqual(['王美玲', '陳王美玲']);
    expect(await found('歐陽娜娜')).toEqual(['歐陽娜娜']); // not "歐陽娜 陽娜娜": its words are there, not the run
    expect(await found('美玲')).toEqual(['王美玲', '美玲王', '陳王美玲']);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...NAMES.flatMap((n) => n.split(' '))), fc.nat(), fc.nat(), async (word, a, b) => {
        const chars = [...word];
        const from = a % chars.length;
        const q = chars.slice(from, from + 1 + (b % (chars.length - from))).join('');
        expect(await found(q)).toEqual(expected(q));
      }),
      { seed: 20261205, numRuns: 120 },
    );
  });
});
