import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../support/harness';

const LOCALES = path.join(REPO, 'renderer', 'i18n', 'locales');
const keys = (obj: unknown, prefix = ''): string[] =>
  typeof obj === 'object' && obj !== null ? Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)) : [prefix];

describe('translations', () => {
  const namespaces = fs.readdirSync(path.join(LOCALES, 'en')).filter((f) => f.endsWith('.json'));

  it.each(['he', 'zh-TW'])('%s has every namespace and key English has, and no extra', (lang) => {
    for (const ns of namespaces) {
      const en = JSON.parse(fs.readFileSync(path.join(LOCALES, 'en', ns), 'utf8'));
      const file = path.join(LOCALES, lang, ns);
      expect(fs.existsSync(file), `${lang}/${ns} missing`).toBe(true);
      const other = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect(keys(other).sort(), `${lang}/${ns}`).toEqual(keys(en).sort());
    }
  });

  it.each(['he', 'zh-TW'])('%s strings are translated, not copies of English', (lang) => {
    let same = 0;
    let total = 0;
    for (const ns of namespaces) {
      const en = JSON.parse(fs.readFileSync(path.join(LOCALES, 'en', ns), 'utf8'));
      const other = JSON.parse(fs.readFileSync(path.join(LOCALES, lang, ns), 'utf8'));
      const get = (o: unknown, k: string) => k.split('.').reduce<unknown>((a, p) => (a as Record<string, unknown>)?.[p], o);
      for (const k of keys(en)) {
        const e = get(en, k);
        if (typeof e !== 'string' || !/[a-z]{3}/i.test(e.replace(/\{\{[^}]+\}\}/g, ''))) continue;
        total++;
        if (get(other, k) === e) same++;
      }
    }
    // Product names and codes may stay as they are; prose may not.
    expect(same / total).toBeLessThan(0.05);
  });
});
