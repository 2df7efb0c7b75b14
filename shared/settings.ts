import { z } from 'zod';

export const LANGUAGES = ['en', 'he', 'zh-TW'] as const;
export type Language = (typeof LANGUAGES)[number];

export const settingsSchema = z.object({
  /** 'system' follows the OS language, falling back to English. */
  language: z.enum(['system', ...LANGUAGES]).default('system'),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  /** ISO 3166-1 alpha-2 country used to read numbers written without a country code. */
  defaultCountry: z.string().regex(/^[A-Z]{2}$/).default('IL'),
});

export type Settings = z.infer<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema.partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

/** Picks the UI language from the OS's preferred languages (BCP 47 tags). */
export function languageFromLocales(locales: readonly string[]): Language {
  for (const tag of locales) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('he') || lower.startsWith('iw')) return 'he';
    if (lower.startsWith('zh')) return 'zh-TW';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export const isRtl = (lang: Language): boolean => lang === 'he';
