import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUSINESS_VERTICALS,
  MESSAGING_LIMITS,
  PHONE_STATUSES,
  QUALITY_RATINGS,
  TEMPLATE_CATEGORIES,
  TEMPLATE_QUALITIES,
  TEMPLATE_STATUSES,
  THROUGHPUT_LEVELS,
} from '../../shared/contract/whatsapp';

const LOCALES = path.resolve(import.meta.dirname, '../../renderer/i18n/locales');
const LANGS = ['en', 'he', 'zh-TW'] as const;
const load = (lang: string, ns: string) =>
  JSON.parse(fs.readFileSync(path.join(LOCALES, lang, `${ns}.json`), 'utf8')) as Record<string, unknown>;
const at = (o: unknown, key: string): unknown =>
  key.split('.').reduce<unknown>((a, k) => (a && typeof a === 'object' ? (a as Record<string, unknown>)[k] : undefined), o);
const flat = (o: Record<string, unknown>, p = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? flat(v as Record<string, unknown>, `${p}${k}.`) : [`${p}${k}`]));

// Every enum value the contract can send has a label in every language (the UI builds keys from them).
const ENUM_KEYS: [string, string, readonly string[]][] = [
  ['account', 'limit', MESSAGING_LIMITS],
  ['account', 'quality', QUALITY_RATINGS],
  ['account', 'qualityAdvice', QUALITY_RATINGS],
  ['account', 'phoneStatus', PHONE_STATUSES],
  ['account', 'throughput', THROUGHPUT_LEVELS],
  ['account', 'vertical', BUSINESS_VERTICALS],
  ['account', 'token', ['valid', 'expired', 'invalid', 'missing', 'unchecked']],
  [
    'account',
    'blockers',
    ['not_connected', 'token_missing', 'token_expired', 'token_invalid', 'no_connected_number', 'account_restricted'],
  ],
  ['account', 'wizard.errors.format', ['accessToken', 'wabaId', 'phoneNumberId', 'appSecret', 'verifyToken', 'graphUrl', 'apiVersion']],
  [
    'account',
    'wizard.errors.reason',
    [
      'token_expired',
      'token_invalid',
      'token_permissions',
      'waba_not_found',
      'phone_not_found',
      'phone_not_in_waba',
      'unreachable',
      'bad_format',
    ],
  ],
  ['templates', 'status', TEMPLATE_STATUSES],
  ['templates', 'quality', TEMPLATE_QUALITIES],
  ['templates', 'category', TEMPLATE_CATEGORIES],
  [
    'templates',
    'reason',
    [
      'ABUSIVE_CONTENT',
      'CATEGORY_NOT_AVAILABLE',
      'INCORRECT_CATEGORY',
      'INVALID_FORMAT',
      'NONE',
      'PROMOTIONAL',
      'SCAM',
      'TAG_CONTENT_MISMATCH',
    ],
  ],
];

describe('account and templates translations', () => {
  for (const ns of ['account', 'templates']) {
    it(`${ns}: he and zh-TW have exactly the English keys, none empty`, () => {
      const en = flat(load('en', ns)).sort();
      for (const lang of ['he', 'zh-TW']) {
        const other = load(lang, ns);
        expect(flat(other).sort()).toEqual(en);
        for (const k of en) expect(String(at(other, k)).trim(), `${lang}:${ns}:${k}`).not.toBe('');
      }
    });
  }

  it('label every enum value of the contract in every language', () => {
    for (const [ns, prefix, values] of ENUM_KEYS) {
      for (const lang of LANGS) {
        const dict = load(lang, ns);
        for (const v of values) expect(at(dict, `${prefix}.${v}`), `${lang}:${ns}:${prefix}.${v}`).toEqual(expect.any(String));
      }
    }
  });

  it('Hebrew and Chinese are translated, not copied from English', () => {
    for (const ns of ['account', 'templates']) {
      const en = load('en', ns);
      const keys = flat(en).filter(
        (k) => /[a-z]{4,}/.test(String(at(en, k)).replace(/\{\{\w+\}\}/g, '')) && !/^(limitShort|wizard\.fields\.\w+\.placeholder)/.test(k),
      );
      for (const lang of ['he', 'zh-TW']) {
        const script = lang === 'he' ? /[\u0590-\u05FF]/ : /[\u4E00-\u9FFF]/;
        const untranslated = keys.filter((k) => !script.test(String(at(load(lang, ns), k))));
        expect(untranslated, `${lang}:${ns}`).toEqual([]);
      }
    }
  });
});
