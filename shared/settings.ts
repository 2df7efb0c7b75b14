import { z } from 'zod';

export const LANGUAGES = ['en', 'he', 'zh-TW'] as const;
export type Language = (typeof LANGUAGES)[number];

export const settingsSchema = z.object({
  /** 'system' follows the OS language, falling back to English. */
  language: z.enum(['system', ...LANGUAGES]).default('system'),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  /** ISO 3166-1 alpha-2 country used to read numbers written without a country code. */
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('IL'),
  /**
   * Extra certificate authorities (a PEM file) trusted for Meta's API, for networks behind a
   * TLS-inspecting proxy. The packaged app's fuses ignore NODE_EXTRA_CA_CERTS / NODE_OPTIONS, so
   * this is the way in. Read by the core at start.
   */
  caFile: z.string().min(1).max(4096).nullable().default(null),
  /**
   * Marketing Messages API: while the business portfolio has not accepted the MM API terms, Meta
   * sends marketing templates through the Cloud API instead (its default). Strict: send
   * `product_policy: "STRICT"` so Meta refuses, and the campaign pauses (docs/whatsapp.md).
   */
  mmStrict: z.boolean().default(false),
  /** Also trust the operating system's certificate store (where IT installs a proxy's CA). */
  systemCa: z.boolean().default(false),
  /**
   * Days raw webhook bodies and processed inbox rows are kept (issue #14: retention). The runtime
   * prunes older ones at start and daily; statuses, counts and consent are kept (privacy/retention.ts).
   */
  webhookRetentionDays: z.number().int().min(1).max(3650).default(30),
});

export type Settings = z.infer<typeof settingsSchema>;
/**
 * What the renderer may change. Trust anchors are not in it: which CAs the engine trusts is set
 * in settings.json by whoever administers the computer, never by a page.
 */
// Built field by field without the defaults: zod 4's .partial() keeps a field's default, so a patch
// of one field (the retention period, strict mode) would have reset the language and theme to 'system'.
const { language, theme, defaultCountry, webhookRetentionDays, mmStrict } = settingsSchema.shape;
export const settingsPatchSchema = z.object({
  language: language.unwrap().optional(),
  theme: theme.unwrap().optional(),
  defaultCountry: defaultCountry.unwrap().optional(),
  webhookRetentionDays: webhookRetentionDays.unwrap().optional(),
  mmStrict: mmStrict.unwrap().optional(),
});
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
