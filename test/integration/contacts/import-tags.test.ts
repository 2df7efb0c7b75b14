/**
 * The tags an import writes: the file's tags of each row and the tags the user gives the whole
 * import, on the contacts it writes to — new ones always, existing ones only when duplicates are
 * updated. Tag names are one tag whatever their case ("VIP" is the tag "vip" made earlier).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import { closedAfterEach, importFile, ok, tempFile } from './helpers';

afterEach(() => {
  delete process.env.PACER_IMPORT_SAVE_THREAD;
});
const core = closedAfterEach();
const tagsOf = async (c: Core, phone: string) => (await ok(c.call('contacts:get', { phone }))).contact.tags;

// Saved on the import's own thread, and on the core's connection where no thread can start.
describe.each(['thread', 'core connection'])('tags written by an import (saved on the %s)', (where) => {
  it('tags new contacts with the file’s and the import’s tags, and existing ones only under update', async () => {
    if (where !== 'thread') process.env.PACER_IMPORT_SAVE_THREAD = 'off';
    const c = core();
    const first = await importFile(
      c,
      tempFile('a.csv', 'name,phone,tags\nDana,050-234-5678,vip\nYossi,052-987-6543,VIP;Friends\nNoa,054-987-6543,\n'),
      { tags: ['spring'] },
    );
    expect(first.report).toMatchObject({ imported: 3 });
    expect(await tagsOf(c, '+972502345678')).toEqual(['spring', 'vip']);
    expect(await tagsOf(c, '+972529876543')).toEqual(['Friends', 'spring', 'vip']);
    expect(await tagsOf(c, '+972549876543')).toEqual(['spring']);
    expect((await ok(c.call('contacts:tags', {}))).map((t) => t.name).sort()).toEqual(['Friends', 'spring', 'vip']);

    // Existing and new people in one batch, duplicates skipped: only the new person is tagged.
    const skipped = await importFile(c, tempFile('b.csv', 'name,phone,tags\nDana,050-234-5678,new\nAvi,053-555-1234,new;vip\n'), {
      tags: ['summer'],
      onDuplicate: 'skip',
    });
    expect(skipped.report).toMatchObject({ imported: 1, skipped: 1 });
    expect(await tagsOf(c, '+972502345678')).toEqual(['spring', 'vip']);
    expect(await tagsOf(c, '+972535551234')).toEqual(['new', 'summer', 'vip']);

    // Updated: the existing person gets the row's and the import's tags, keeping theirs.
    const updated = await importFile(c, tempFile('c.csv', 'name,phone,tags\nAvi,053-555-1234,\nDana,050-234-5678,gold\n'), {
      tags: ['Autumn'],
      onDuplicate: 'update',
    });
    expect(updated.report).toMatchObject({ updated: 2 });
    expect(await tagsOf(c, '+972502345678')).toEqual(['Autumn', 'gold', 'spring', 'vip']);
    expect(await tagsOf(c, '+972535551234')).toEqual(['Autumn', 'new', 'summer', 'vip']);
    // Dana 4, Yossi 3, Noa 1, Avi 4: nobody else got a tag.
    expect(c.db.prepare('SELECT count(*) FROM contact_tags').pluck().get()).toBe(12);

    // The save skips foreign-key checks (save-batches.ts): every row it wrote points at a real
    // contact and tag, and the store's own connection checks them again afterwards — deleting a
    // contact still takes their tags with it.
    expect(c.db.pragma('foreign_key_check')).toEqual([]);
    expect(c.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const dana = (await ok(c.call('contacts:get', { phone: '+972502345678' }))).contact.id;
    c.db.prepare('DELETE FROM contacts WHERE id = ?').run(dana);
    expect(c.db.prepare('SELECT count(*) FROM contact_tags WHERE contact_id = ?').pluck().get(dana)).toBe(0);
  });
});
