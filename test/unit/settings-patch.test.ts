import { describe, expect, it } from 'vitest';
import { settingsPatchSchema, settingsSchema } from '../../shared/settings';

describe('settings patch', () => {
  it("a patch of one field carries only that field (zod 4 would apply the other fields' defaults)", () => {
    expect(settingsPatchSchema.parse({ mmStrict: true })).toEqual({ mmStrict: true });
    expect(settingsPatchSchema.parse({ theme: 'dark' })).toEqual({ theme: 'dark' });
    expect(settingsPatchSchema.parse({})).toEqual({});
  });

  it('every setting but the trust anchors can be patched, with the same validation', () => {
    const patchable = Object.keys(settingsPatchSchema.shape).sort();
    const all = Object.keys(settingsSchema.shape)
      .filter((k) => k !== 'caFile' && k !== 'systemCa')
      .sort();
    expect(patchable).toEqual(all);
    expect(() => settingsPatchSchema.parse({ defaultCountry: 'il' })).toThrow();
    expect(() => settingsPatchSchema.strict().parse({ caFile: '/x.pem' })).toThrow();
  });
});
