import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRefusal, gateOf, type NumberFacts } from '../../../electron/core/campaigns/test-send';
import { splitTestNumbers } from '../../../shared/campaigns/test-numbers';
import { TEST_SEND_REASONS, type TestSendReason } from '../../../shared/contract/campaigns';
import { REPO } from '../../support/harness';

const facts = (
  patch: Partial<NumberFacts> = {},
  contact: Partial<NonNullable<NumberFacts['contact']>> | null = { consent: 'opted_in' },
): NumberFacts => ({
  e164: '+972502345678',
  country: 'IL',
  erasedAt: null,
  contact: contact ? { id: 1, consent: 'opted_in', hold: null, ...contact } : null,
  ...patch,
});

describe('test send: the gate of one number', () => {
  it('passes an opted-in, unheld contact for marketing; a number that is not a contact only for other categories', () => {
    expect(gateOf(facts(), 'MARKETING', false)).toBeNull();
    expect(gateOf(facts({}, null), 'UTILITY', false)).toBeNull();
    expect(gateOf(facts({}, null), 'AUTHENTICATION', false)).toBeNull();
    expect(gateOf(facts({}, { consent: 'unknown' }), 'UTILITY', false)).toBeNull();
    expect(gateOf(facts({}, null), 'MARKETING', false)).toEqual({ reason: 'no_consent', params: { is_contact: false } });
    expect(gateOf(facts({}, { consent: 'unknown' }), 'MARKETING', false)).toEqual({ reason: 'no_consent', params: { is_contact: true } });
  });

  it('"I have consent" lifts only the missing opt-in', () => {
    expect(gateOf(facts({}, null), 'MARKETING', true)).toBeNull();
    expect(gateOf(facts({}, { consent: 'unknown' }), 'MARKETING', true)).toBeNull();
    expect(gateOf(facts({}, { consent: 'opted_out' }), 'MARKETING', true)?.reason).toBe('opted_out');
    expect(gateOf(facts({}, { hold: 'user_changed_number' }), 'MARKETING', true)?.reason).toBe('held_number_changed');
    expect(gateOf(facts({ country: 'US', e164: '+12015550123' }, null), 'MARKETING', true)?.reason).toBe('us_marketing_paused');
    expect(gateOf(facts({ erasedAt: 5 }, null), 'MARKETING', true)?.reason).toBe('erased');
  });

  it("checks in order: erased, opted out (of the template's category), held, US marketing, consent", () => {
    const worst = facts({ erasedAt: 5, country: 'US' }, { consent: 'opted_out', hold: 'identity_changed' });
    expect(gateOf(worst, 'MARKETING', false)).toEqual({ reason: 'erased', params: { erased_at: 5 } });
    expect(gateOf({ ...worst, erasedAt: null }, 'MARKETING', false)).toEqual({ reason: 'opted_out', params: { category: 'marketing' } });
    expect(gateOf({ ...worst, erasedAt: null }, 'UTILITY', false)).toEqual({ reason: 'opted_out', params: { category: 'utility' } });
    const held = facts({ country: 'US' }, { consent: 'unknown', hold: 'identity_changed' });
    expect(gateOf(held, 'MARKETING', false)).toEqual({ reason: 'held_number_changed', params: { hold_reason: 'identity_changed' } });
    expect(gateOf({ ...held, contact: { ...held.contact!, hold: null } }, 'MARKETING', false)?.reason).toBe('us_marketing_paused');
    // A US number may get a utility template.
    expect(gateOf({ ...held, contact: { ...held.contact!, hold: null } }, 'UTILITY', false)).toBeNull();
  });

  it('every refusal has an English line for the CLI', () => {
    for (const reason of TEST_SEND_REASONS) expect(describeRefusal({ reason, params: {} }).length).toBeGreaterThan(5);
    expect(describeRefusal({ reason: 'missing_params', params: { names: ['first_name', '2'] } })).toContain('first_name, 2');
  });
});

describe('test send: typed numbers', () => {
  it('splits on new lines, commas and semicolons, never on the spaces, dashes or dots inside a number', () => {
    expect(splitTestNumbers(['+972 50-234 5678, 050.000.0011;(050) 000-0012\n\n 00972500000013 ', ' ', '+1 (201) 555-0123'])).toEqual([
      '+972 50-234 5678',
      '050.000.0011',
      '(050) 000-0012',
      '00972500000013',
      '+1 (201) 555-0123',
    ]);
    expect(splitTestNumbers('+972 50 234 5678')).toEqual(['+972 50 234 5678']);
    expect(splitTestNumbers(' ,;\n')).toEqual([]);
  });
});

describe('test send: the app words every outcome in every language', () => {
  // The keys TestSendPanel builds from a reason (some reasons have a variant per param).
  const KEYS: Record<TestSendReason, string[]> = {
    invalid_number: ['invalid_number', 'not_mobile'],
    duplicate: ['duplicate'],
    erased: ['erased'],
    opted_out: ['opted_out_marketing', 'opted_out_utility'],
    held_number_changed: ['held_number_changed'],
    us_marketing_paused: ['us_marketing_paused'],
    no_consent: ['no_consent_contact', 'no_consent_stranger'],
    missing_params: ['missing_params'],
    budget: ['budget'],
    graph_error: ['graph_error'],
    send_failed: ['send_failed'],
  };
  for (const lang of ['en', 'he', 'zh-TW']) {
    it(lang, () => {
      const ns = JSON.parse(fs.readFileSync(path.join(REPO, 'renderer/i18n/locales', lang, 'campaigns.json'), 'utf8')) as {
        test: { reason: Record<string, string>; why: Record<string, string>; error: Record<string, string> };
      };
      for (const reason of TEST_SEND_REASONS)
        for (const k of KEYS[reason]) expect(ns.test.reason[k], `${lang} test.reason.${k}`).toBeTypeOf('string');
      for (const k of ['busy', 'template', 'problems', 'noNumbers', 'tooMany']) expect(ns.test.why[k]).toBeTypeOf('string');
      for (const k of ['conflict', 'unavailable', 'bad_input', 'other']) expect(ns.test.error[k]).toBeTypeOf('string');
    });
  }
});
