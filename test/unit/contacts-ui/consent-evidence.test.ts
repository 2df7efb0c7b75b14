import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSENT_EVIDENCE_CODES, parseConsentEvidence, type ConsentEvidence } from '../../../shared/contract/consent-evidence';
import { evidenceText } from '../../../electron/core/contacts/consent-evidence';
import { evidenceLines } from '../../../renderer/features/contacts/drawer/ConsentEvidenceView';

const LOCALES = path.resolve(import.meta.dirname, '../../../renderer/i18n/locales');
const catalogue = (lang: string) =>
  JSON.parse(fs.readFileSync(path.join(LOCALES, lang, 'contacts.json'), 'utf8')) as Record<string, unknown>;

/** i18next's lookup and {{x}} interpolation, enough for these keys; a missing key or value throws. */
function translator(lang: string) {
  const cat = catalogue(lang);
  return (key: string, params: Record<string, string> = {}) => {
    const v = key.split('.').reduce<unknown>((a, k) => (a && typeof a === 'object' ? (a as Record<string, unknown>)[k] : undefined), cat);
    if (typeof v !== 'string') throw new Error(`${lang}: no ${key}`);
    return v.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      if (params[name] === undefined) throw new Error(`${lang}: ${key} needs ${name}`);
      return params[name];
    });
  };
}

const AT = Date.UTC(2026, 0, 5, 9, 0);
/** One value per code, as the core's producers write them (a webhook's carry when and which event). */
const SAMPLES: Record<(typeof CONSENT_EVIDENCE_CODES)[number], ConsentEvidence> = {
  import_file: { code: 'import_file', params: { file: 'people.csv', row: 2, at: AT, by: 'cli', note: 'signup form 2025' } },
  import_column: { code: 'import_column', params: { file: 'crm.csv', column: 'opt-in', row: 4, at: AT, by: 'user' } },
  manual: { code: 'manual', params: { note: 'paper form', reference: 'form #12' }, reason: 'signed again' },
  manual_bulk: { code: 'manual_bulk', params: { note: 'asked by phone' }, mergedFrom: 7 },
  stop_keyword: { code: 'stop_keyword', params: { keyword: 'STOP', message: 'wamid.A', at: AT, ref: 'k1' } },
  button: {
    code: 'button',
    params: { label: 'Stop promotions', payload: 'STOP_PROMO', message: 'wamid.B', replyTo: 'wamid.T', at: AT, ref: 'k2' },
  },
  meta_preference: { code: 'meta_preference', params: { value: 'stop', at: AT, ref: 'k3' }, olderThan: AT + 60_000 },
  send_refused: { code: 'send_refused', params: { error: 131050, detail: 'User has stopped marketing messages' } },
  status_failed: { code: 'status_failed', params: { error: 131050, message: 'wamid.C' } },
  test_send_attested: { code: 'test_send_attested', params: { campaign: 'c1' } },
  test_send_refused: { code: 'test_send_refused', params: { error: 131050, detail: 'stopped' } },
};

const isolated = /\u2068[^\u2069]*\u2069/g;
const time = (ms: number) =>
  new Intl.DateTimeFormat('he', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Jerusalem' }).format(ms);

describe('consent evidence: a code with parameters, worded in every language', () => {
  it('every code has a sample here (a new code must be worded before it ships)', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...CONSENT_EVIDENCE_CODES].sort());
  });

  for (const lang of ['en', 'he', 'zh-TW']) {
    it(`${lang}: every code renders every line, with every placeholder filled; no English outside the isolated values`, () => {
      const t = translator(lang);
      for (const ev of Object.values(SAMPLES)) {
        for (const state of ['opted_in', 'opted_out'] as const) {
          const lines = evidenceLines(ev, state, t, time);
          expect(lines.length, ev.code).toBeGreaterThan(0);
          for (const line of lines) {
            expect(line).not.toMatch(/\{\{|\}\}/);
            // No machine timestamp: times are the formatter's, in the user's locale and zone.
            expect(line).not.toMatch(/\d{4}-\d\d-\d\dT/);
            if (lang !== 'en')
              expect(line.replace(isolated, ' ').replace(/WhatsApp/g, ' '), `${lang} ${ev.code}`).not.toMatch(/[A-Za-z]{3,}/);
          }
        }
      }
    });
  }

  it('shows the formatted time of the import and of the state an older event lost to', () => {
    const lines = evidenceLines(SAMPLES.meta_preference, 'opted_out', translator('he'), time);
    expect(lines.join('\n')).toContain(time(AT + 60_000));
    expect(evidenceLines(SAMPLES.import_file, 'opted_in', translator('en'), time)[0]).toContain(time(AT));
  });

  it('the core keeps an English text of each value; the JSON reads back the same value; prose is not a value', () => {
    for (const ev of Object.values(SAMPLES)) {
      expect(evidenceText(ev)).toBeTruthy();
      expect(parseConsentEvidence(JSON.stringify(ev))).toEqual(ev);
    }
    expect(evidenceText(SAMPLES.import_file)).toBe('signup form 2025 — file people.csv, imported 2026-01-05T09:00:00.000Z by cli');
    expect(evidenceText(SAMPLES.stop_keyword)).toBe('reply "STOP" (message wamid.A) — 2026-01-05T09:00:00.000Z [k1]');
    expect(evidenceText(SAMPLES.manual_bulk)).toBe('asked by phone — merged from contact #7 (known by WhatsApp user id)');
    expect(parseConsentEvidence('file people.csv, imported 2026-01-05T09:00:00.000Z by cli')).toBeNull();
    expect(parseConsentEvidence('{"code":"made_up","params":{}}')).toBeNull();
    expect(parseConsentEvidence(null)).toBeNull();
  });
});
