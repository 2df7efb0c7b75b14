import { afterEach, describe, expect, it } from 'vitest';
import { contactsOf, importFile, ok, tempFile, testCore } from './helpers';

let cores: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(cores.map((c) => c.close()));
  cores = [];
});
const core = () => {
  const c = testCore();
  cores.push(c);
  return c;
};

describe('smoke', () => {
  it('imports a simple CSV', async () => {
    const c = core();
    const f = tempFile('a.csv', 'Name,Phone,Email,Tags\nDana Levi,050-234-5678,dana@example.com,vip;friends\nBad,123,,\nDup,+972502345678,,\n');
    const job = await importFile(c, f);
    expect(job.error).toBeNull();
    expect(job.report).toMatchObject({ rows: 3, imported: 1, invalid: 1, duplicates: 1 });
    expect(contactsOf(c)).toEqual([{ phone: '+972502345678', name: 'Dana Levi', first_name: null, last_name: null, email: 'dana@example.com', country: 'IL' }]);
    const q = await ok(c.call('contacts:query', { search: 'dana' }));
    expect(q.total).toBe(1);
    expect(q.rows[0]!.tags).toEqual(['friends', 'vip']);
  });
});
