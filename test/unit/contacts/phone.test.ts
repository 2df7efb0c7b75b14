import { describe, expect, it } from 'vitest';
import { getCountries, getExampleNumber, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json';
import { fastClassify, normalizePhone, pickMobile } from '../../../electron/core/contacts/phone';

describe('normalizePhone', () => {
  it.each([
    ['050-234-5678', 'IL', '+972502345678'],
    ['+972 50 234 5678', 'IL', '+972502345678'],
    ['00972502345678', 'GB', '+972502345678'],
    ['972502345678', 'GB', '+972502345678'], // international without "+"
    ['9.72502345678E+11', 'GB', '+972502345678'], // Excel scientific notation
    ['+49 (0)160 1234567', 'IL', '+491601234567'],
    ['+44 (0)7400 123456', 'IL', '+447400123456'],
    ['886912345678', 'IL', '+886912345678'],
    ['447400123456', 'IL', '+447400123456'],
    ['0912 345 678', 'TW', '+886912345678'],
    ['+886-912-345-678', 'IL', '+886912345678'],
    ['07400 123456', 'GB', '+447400123456'],
    ['tel:+1-201-555-0123', 'IL', '+12015550123'],
    ['＋９７２５０２３４５６７８', 'TW', '+972502345678'],
  ])('%s (default %s) → %s', (raw, cc, e164) => {
    const r = normalizePhone(raw, cc);
    expect(r).toMatchObject({ ok: true, e164 });
  });

  it('says why a number is rejected', () => {
    expect(normalizePhone('', 'IL')).toMatchObject({ ok: false, code: 'no_phone' });
    expect(normalizePhone('05412', 'IL')).toMatchObject({
      ok: false,
      code: 'invalid_phone',
      reason: expect.stringContaining('not a valid number for IL'),
    });
    expect(normalizePhone('03-123-4567', 'IL')).toMatchObject({
      ok: false,
      code: 'not_mobile',
      reason: expect.stringContaining('fixed line'),
    });
  });

  it('prefers a mobile among several numbers', () => {
    expect(pickMobile(['03-123-4567 ::: 052-987-6543'], 'IL')).toMatchObject({ ok: true, e164: '+972529876543' });
    expect(pickMobile(['03-123-4567', '', '0529876543'], 'IL')).toMatchObject({ ok: true, e164: '+972529876543' });
    expect(pickMobile(['03-123-4567'], 'IL')).toMatchObject({ ok: false, code: 'not_mobile' });
    expect(pickMobile(['', ' '], 'IL')).toMatchObject({ ok: false, code: 'no_phone' });
  });
});

describe('fastMobile agrees with libphonenumber', () => {
  // A seeded PRNG so a failure is reproducible.
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

  it('for mutated example numbers of every country, in international and national forms', () => {
    let fastHits = 0;
    let fastInvalid = 0;
    let checked = 0;
    const table = examples as unknown as Parameters<typeof getExampleNumber>[1];
    for (const country of getCountries()) {
      const example = getExampleNumber(country, table);
      if (!example) continue;
      for (let k = 0; k < 40; k++) {
        // Mutate a few digits and sometimes the length of the national number.
        let nn = example.nationalNumber.split('');
        for (let m = 0; m < 3; m++) nn[Math.floor(rnd() * nn.length)] = String(Math.floor(rnd() * 10));
        if (rnd() < 0.2) nn = nn.slice(0, -1);
        if (rnd() < 0.2) nn.push(String(Math.floor(rnd() * 10)));
        const national = nn.join('');
        const forms = [`+${example.countryCallingCode}${national}`, national, `0${national}`, `${example.countryCallingCode}${national}`];
        for (const form of forms) {
          const fast = fastClassify(form, country);
          const slow = parsePhoneNumberFromString(form, country as CountryCode);
          const slowMobile = slow?.isValid() && ['MOBILE', 'FIXED_LINE_OR_MOBILE'].includes(slow.getType() ?? '') ? slow : undefined;
          checked++;
          if (fast?.kind === 'mobile') {
            fastHits++;
            expect({ form, country, e164: fast.e164, c: fast.country }).toEqual({
              form,
              country,
              e164: slowMobile?.number,
              c: slowMobile?.country,
            });
          } else if (fast?.kind === 'invalid') {
            fastInvalid++;
            expect({ form, country, valid: !!slow?.isValid() }).toEqual({ form, country, valid: false });
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
    expect(fastHits).toBeGreaterThan(checked / 5); // the fast path does answer for common shapes
    expect(fastInvalid).toBeGreaterThan(checked / 20);
  });
});
