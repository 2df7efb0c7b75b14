import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = path.resolve(import.meta.dirname, '../../../renderer/i18n/locales/he');

/** Every string of the Hebrew catalogue, with its key. */
function strings(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string') out.push([key, v]);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, key ? `${key}.${k}` : k);
  };
  for (const f of fs.readdirSync(DIR)) walk(JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')), f.replace(/\.json$/, ''));
  return out;
}

describe('Hebrew: a file extension keeps its dot in front', () => {
  it('"(.xlsx)" carries a left-to-right mark before the dot (else a right-to-left line shows "(xlsx.)")', () => {
    const bad = strings()
      .filter(([, s]) => /\(\.[a-z]{2,4}\b/i.test(s))
      .map(([k]) => k);
    expect(bad).toEqual([]);
    // The rule has something to check: the catalogue does name extensions.
    expect(strings().filter(([, s]) => s.includes('(\u200e.xlsx)')).length).toBeGreaterThan(0);
  });
});
