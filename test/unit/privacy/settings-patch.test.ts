import { describe, expect, it } from 'vitest';
import { settingsPatchSchema, settingsSchema } from '../../../shared/settings';
import { MemorySettingsStore } from '../../../electron/core/settings/store';

describe('settings patch', () => {
  it('a patch of one field changes only that field (no defaults filled in)', () => {
    expect(settingsPatchSchema.strict().parse({ webhookRetentionDays: 14 })).toEqual({ webhookRetentionDays: 14 });
    const store = new MemorySettingsStore({ language: 'he', theme: 'dark' });
    store.update(settingsPatchSchema.strict().parse({ webhookRetentionDays: 7 }));
    expect(store.get()).toMatchObject({ language: 'he', theme: 'dark', webhookRetentionDays: 7 });
  });

  it('still validates and refuses the administrator-only fields', () => {
    expect(settingsPatchSchema.strict().safeParse({ webhookRetentionDays: 0 }).success).toBe(false);
    expect(settingsPatchSchema.strict().safeParse({ language: 'fr' }).success).toBe(false);
    expect(settingsPatchSchema.strict().safeParse({ caFile: '/x.pem' }).success).toBe(false);
    expect(Object.keys(settingsPatchSchema.shape).sort()).toEqual(
      Object.keys(settingsSchema.shape)
        .filter((k) => k !== 'caFile' && k !== 'systemCa')
        .sort(),
    );
  });
});
