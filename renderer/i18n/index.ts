import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isRtl, LANGUAGES, languageFromLocales, type Language, type Settings } from '../../shared/settings';

// Every namespace of every language, bundled (the app works offline). Vite's glob keeps this list
// in step with the files: add renderer/i18n/locales/<lang>/<ns>.json and it is picked up.
const files = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json', { eager: true });
const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [file, mod] of Object.entries(files)) {
  const m = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(file);
  if (!m) continue;
  const [, lang, ns] = m as unknown as [string, string, string];
  (resources[lang] ??= {})[ns] = mod.default;
}

export const namespaces = [...new Set(Object.values(resources).flatMap((r) => Object.keys(r)))];

void i18next.use(initReactI18next).init({
  resources,
  lng: 'en',
  fallbackLng: 'en',
  ns: namespaces,
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function resolveLanguage(setting: Settings['language']): Language {
  if (setting !== 'system') return setting;
  return languageFromLocales(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

/** Switches the UI language and mirrors the whole document for Hebrew. */
export async function applyLanguage(lang: Language): Promise<void> {
  await i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = isRtl(lang) ? 'rtl' : 'ltr';
}

export { LANGUAGES };
export default i18next;
