/**
 * A failed call shown to the user (renderer/i18n/errorText.ts): every error code has a sentence in
 * en, he and zh-TW; a Hebrew or Chinese screen gets that sentence, never the core's English text;
 * an English screen keeps the core's specific sentence.
 */
import fs from 'node:fs';
import path from 'node:path';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../shared/contract/result';
import { errorText } from '../../../renderer/i18n/errorText';
import { REPO } from '../../support/harness';

const LANGS = ['en', 'he', 'zh-TW'] as const;
const common = (lang: string) =>
  JSON.parse(fs.readFileSync(path.join(REPO, 'renderer/i18n/locales', lang, 'common.json'), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  await i18next.init({
    resources: Object.fromEntries(LANGS.map((l) => [l, { common: common(l) }])),
    lng: 'en',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
});

describe('errors are worded in the UI language', () => {
  it.each(ERROR_CODES)('%s: a sentence in en, he and zh-TW', (code) => {
    const core = { code, message: 'The core said something specific in English.' };
    expect(errorText(core, 'en')).toBe(core.message);
    const en = i18next.t(`common:errors.code.${code}`, { lng: 'en' });
    expect(en).toMatch(/\S/);
    expect(en).not.toBe(`errors.code.${code}`);
    for (const lang of ['he', 'zh-TW']) {
      const text = errorText(core, lang);
      expect(text, lang).not.toBe(en);
      expect(text, lang).not.toContain('English');
      expect(text, lang).not.toContain(code);
      // Only the product's and WhatsApp's names (and zh-TW's "ID") may stay in Latin letters.
      expect(text.replace(/Pacer|WhatsApp|ID/g, ''), lang).not.toMatch(/[A-Za-z]{2,}/);
    }
  });

  it('an unknown code still gets a sentence in the UI language', () => {
    expect(errorText({ code: 'something_new', message: 'x' }, 'he')).toBe(i18next.t('common:errors.code.internal', { lng: 'he' }));
  });
});
