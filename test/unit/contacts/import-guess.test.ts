import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { guessMapping } from '../../../electron/core/contacts/import/guess';
import {
  countryFromNumbers,
  guessFromData,
  phoneColumnFromData,
  plainAttributeName,
} from '../../../electron/core/contacts/import/guess-data';
import { openTable } from '../../../electron/core/contacts/import/source';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'import-guess');

/** A fixture as the preview reads it: headers and up to 20 rows, then the two guessing passes. */
async function preview(file: string, defaultCountry = 'IL') {
  const source = await openTable(path.join(FIXTURES, file), {});
  const rows: string[][] = [];
  try {
    for await (const batch of source.batches()) for (const r of batch) if (rows.length < 20) rows.push(r.cells);
  } finally {
    source.close();
  }
  const g = guessFromData(source.headers, rows, guessMapping(source.headers, rows), defaultCountry);
  return { ...g, fields: Object.fromEntries(g.mapping.map((m) => [m.field, m.column])) };
}

describe('column guessing: European and Arabic headers', () => {
  it.each([
    ['de.csv', { phone: 'Handynummer', first_name: 'Vorname', last_name: 'Nachname', email: 'E-Mail', consent: 'Einwilligung' }, 'DE'],
    [
      'fr.csv',
      { phone: 'Téléphone portable', first_name: 'Prénom', last_name: 'Nom', email: 'Courriel', consent: 'Consentement', country: 'Pays' },
      'FR',
    ],
    [
      'es.csv',
      { phone: 'Móvil', first_name: 'Nombre', last_name: 'Apellidos', email: 'Correo electrónico', consent: 'Consentimiento' },
      'ES',
    ],
    ['it.csv', { phone: 'Cellulare', first_name: 'Nome', last_name: 'Cognome', email: 'Posta elettronica', consent: 'Consenso' }, 'IT'],
    [
      'ru.csv',
      { phone: 'Мобильный телефон', first_name: 'Имя', last_name: 'Фамилия', email: 'Электронная почта', consent: 'Согласие' },
      'RU',
    ],
    ['ar.csv', { phone: 'الجوال', name: 'الاسم', email: 'البريد الإلكتروني', consent: 'الموافقة', country: 'الدولة' }, 'AE'],
  ])('%s: phone, name, e-mail and consent columns; the country proposed from the numbers', async (file, expected, country) => {
    const g = await preview(file);
    expect(g.fields).toMatchObject(expected);
    expect(g.guesses.phoneFromData).toBeNull();
    expect(g.guesses.country?.country).toBe(country);
  });

  it('a plain-word header no field took becomes a custom attribute, typed from its values', async () => {
    const g = await preview('de.csv');
    expect(g.mapping).toContainEqual({ column: 'Stadt', field: 'attr.Stadt', type: 'text' });
    expect(g.guesses.customColumns).toEqual(['Stadt']);
  });
});

describe('column guessing from the data', () => {
  it('no header names a phone column: the column of mostly valid numbers is the phone column', async () => {
    const g = await preview('no-header.csv');
    expect(g.guesses.phoneFromData).toEqual({ column: 'C', valid: 4, of: 4 });
    expect(g.mapping[0]).toEqual({ column: 'C', field: 'phone' });
    // Three of the four numbers carry +972, one +44: Israel proposed, with the counts behind it.
    expect(g.guesses.country).toEqual({ country: 'IL', numbers: 2, of: 3 });
    // Single letters are not plain words worth an attribute; "Lieblingsfarbe" is.
    expect(g.mapping.map((m) => m.field)).toEqual(['phone', 'attr.Lieblingsfarbe']);
  });

  it('a header-named phone column is never overruled by the data', () => {
    const headers = ['Phone', 'Other'];
    const rows = [
      ['not a number', '+972502345678'],
      ['x', '+972502345679'],
    ];
    const g = guessFromData(headers, rows, guessMapping(headers, rows), 'IL');
    expect(g.guesses.phoneFromData).toBeNull();
    expect(g.mapping.filter((m) => m.field === 'phone')).toEqual([{ column: 'Phone', field: 'phone' }]);
  });

  it('a column under the threshold (40% numbers) is not taken; numbers without a code propose nothing', () => {
    const rows = [['0502345678'], ['0502345679'], ['hello'], ['world'], ['again']];
    expect(phoneColumnFromData(['X'], rows, new Set(), 'IL')).toBeNull();
    expect(phoneColumnFromData(['X'], rows.slice(0, 3), new Set(), 'IL')).toEqual({ column: 'X', valid: 2, of: 3 });
    expect(countryFromNumbers(['0502345678', '050 234 5679'], 'IL')).toBeNull();
    // No majority: two countries, one number each out of three.
    expect(countryFromNumbers(['+972502345678', '+447400123456', '+4915123456789'], 'IL')).toBeNull();
    expect(countryFromNumbers(['00972502345678', '+972 50 234 5679', '+447400123456'], 'US')).toEqual({ country: 'IL', numbers: 2, of: 3 });
  });

  it('plain words only: letters of any script, at most two words', () => {
    expect(plainAttributeName('City')).toBe('City');
    expect(plainAttributeName('עיר מגורים')).toBe('עיר_מגורים');
    expect(plainAttributeName('城市')).toBe('城市');
    for (const h of ['Phone 2 - Type', 'Organization 1 - Name', 'a b c', '2024', '', 'x@y']) expect(plainAttributeName(h)).toBeNull();
  });

  it('the data guess only adds: every header mapping survives, and no column is mapped twice (property, fixed seed)', () => {
    const cell = fc.oneof(
      fc.constantFrom('+972502345678', '050-234-5678', '+447400123456', 'yes', 'Dana', ''),
      fc.string({ maxLength: 8 }),
    );
    const header = fc.oneof(fc.constantFrom('Phone', 'Name', 'Handy', 'Stadt', 'A', 'Notes', 'E-Mail', 'עיר'), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(
        fc.uniqueArray(header, { minLength: 1, maxLength: 6 }),
        fc.array(fc.array(cell, { minLength: 6, maxLength: 6 }), { maxLength: 8 }),
        (headers, rows) => {
          const base = guessMapping(headers, rows);
          const g = guessFromData(headers, rows, base, 'IL');
          for (const m of base) expect(g.mapping).toContainEqual(m);
          const cols = g.mapping.map((m) => m.column);
          expect(new Set(cols).size).toBe(cols.length);
          expect(g.mapping.filter((m) => m.field === 'phone').length).toBe(
            Math.max(base.filter((m) => m.field === 'phone').length, g.guesses.phoneFromData ? 1 : 0),
          );
        },
      ),
      { seed: 1616, numRuns: 300 },
    );
  });
});

describe('consent cells in the same languages', () => {
  it('yes and no in German, French, Spanish, Italian, Russian and Arabic', async () => {
    const { parseConsentCell } = await import('../../../electron/core/contacts/import/guess');
    for (const v of ['ja', 'Oui', 'sí', 'sì', 'Да', 'نعم']) expect(parseConsentCell(v)).toBe('in');
    for (const v of ['nein', 'non', 'нет', 'لا']) expect(parseConsentCell(v)).toBe('out');
  });
});
