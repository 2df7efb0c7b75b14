/**
 * The contacts table's pages of a search, newest or oldest first, come straight from the word
 * index's id order (contacts/store/contacts.ts). Property: for any search word, direction, offset
 * and page size, the page is exactly the matching contacts in id order, sliced — and the total is
 * their number — after deletions too (fast-check, fixed seed).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import { importFile, ok, tempFile, testCore } from './helpers';

const FIRST = ['Dana', 'Yossi', 'Noa', 'Avi', 'Maya'];
const LAST = ['Levi', 'Cohen', 'Peretz', 'Mizrahi'];
const ROWS = 600;
let core: Core;

beforeAll(async () => {
  core = testCore();
  const lines = ['first_name,last_name,phone'];
  for (let i = 0; i < ROWS; i++) lines.push(`${FIRST[i % 5]},${LAST[(i * 7) % 4]},+97250${String(4_000_000 + i).padStart(7, '0')}`);
  const job = await importFile(core, tempFile('people.csv', lines.join('\n')));
  expect(job.report).toMatchObject({ imported: ROWS });
  await core.services.contacts.indexer.kick();
  // A few erased and deleted people: the index must not keep them.
  for (const i of [3, 4, 250, 599]) await ok(core.call('contacts:delete', { phone: `+97250${String(4_000_000 + i).padStart(7, '0')}` }));
});
afterAll(() => core.close());

describe('search pages in id order', () => {
  it('equal the matching contacts sorted by id and sliced, for any word, direction and page', async () => {
    const all = core.db.prepare('SELECT id, first_name, last_name FROM contacts ORDER BY id').all() as {
      id: number;
      first_name: string;
      last_name: string;
    }[];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FIRST, ...LAST, 'dana levi', 'Noa Cohen'),
        fc.constantFrom('asc', 'desc'),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 120 }),
        async (search, order, offset, limit) => {
          const words = search.toLowerCase().split(' ');
          const matching = all.filter((c) => words.every((w) => [c.first_name, c.last_name].some((n) => n.toLowerCase() === w)));
          if (order === 'desc') matching.reverse();
          const page = await ok(core.call('contacts:query', { search, sort: 'created', order, offset, limit }));
          expect(page.total).toBe(matching.length);
          expect(page.rows.map((r) => r.id)).toEqual(matching.slice(offset, offset + limit).map((c) => c.id));
        },
      ),
      { seed: 20261205, numRuns: 60 },
    );
  });
});
