import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { explainPhone } from '../../../electron/core/contacts/phone-explain';
import { normalizePhone } from '../../../electron/core/contacts/phone';

// A refused number is explained with the country it was read for and a valid example of that
// country: the example itself must pass the same normaliser, or the advice would be wrong.
describe('explainPhone: why a typed number was refused', () => {
  it('reads the country from the "+" code, not the default country', () => {
    expect(explainPhone('+44 7700 900123', 'IL')).toMatchObject({ country: 'GB', calling_code: '44', example: '+44 7400 123456' });
    expect(explainPhone('0044 7700 900123', 'IL')).toMatchObject({ country: 'GB', calling_code: '44' });
    expect(explainPhone('+972 54 123 4567', 'US')).toMatchObject({ country: 'IL', calling_code: '972', example: '+972 50 234 5678' });
  });
  it('a national number is read for the default country', () => {
    expect(explainPhone('050-123', 'IL')).toMatchObject({ country: 'IL', calling_code: '972', length: 'too_short' });
    expect(explainPhone('(201) 555', 'US')).toMatchObject({ country: 'US', calling_code: '1', length: 'too_short' });
    expect(explainPhone('+972 50 234 5678 999 999', 'US').length).toBe('too_long');
  });
  it('never throws, and every example it offers is a valid mobile number there (property, fixed seed)', () => {
    const countries = ['IL', 'US', 'GB', 'DE', 'FR', 'ES', 'IT', 'RU', 'AE', 'TW', 'CN', 'BR', 'IN'];
    fc.assert(
      fc.property(fc.constantFrom(...countries), fc.string({ maxLength: 24 }), (country, raw) => {
        const e = explainPhone(raw, country);
        expect(e.country.length).toBe(2);
        if (e.example) expect(normalizePhone(e.example, country)).toMatchObject({ ok: true, country: e.country });
      }),
      { seed: 16, numRuns: 400 },
    );
  });
});
