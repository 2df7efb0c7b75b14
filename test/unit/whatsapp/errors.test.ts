import { describe, expect, it } from 'vitest';
import {
  backoffFor,
  classifyError,
  ERROR_RULES,
  findErrorRule,
  tokenStateForCode,
  type ErrorClass,
} from '../../../electron/core/whatsapp/errors';
import { CLOUD_API_ERROR_CODES } from '../../fixtures/cloud-api-error-codes';

/** The codes of Meta's error-codes table that matter for bulk sending (a code added there fails here until handled). */
function referenceCodes(): number[] {
  return CLOUD_API_ERROR_CODES.flatMap((row) => row.codes);
}

/** What Pacer does for each code of the table (the fact sheet's Handling column, in Pacer's classes). */
const EXPECTED: Record<number, ErrorClass> = {
  0: 'halt_account',
  1: 'retry_soon',
  2: 'retry_soon',
  3: 'halt_account',
  4: 'retry_soon',
  10: 'halt_account',
  17: 'retry_soon',
  613: 'retry_soon',
  33: 'halt_account',
  100: 'fix_payload',
  190: 'halt_account',
  200: 'halt_account',
  250: 'halt_account',
  299: 'halt_account',
  368: 'halt_account',
  80007: 'retry_soon',
  130429: 'retry_soon',
  130472: 'terminal_recipient',
  130497: 'terminal_recipient',
  131000: 'retry_soon',
  131005: 'halt_account',
  131008: 'fix_payload',
  131009: 'fix_payload',
  131016: 'retry_soon',
  131021: 'terminal_recipient',
  131026: 'terminal_recipient',
  131031: 'halt_account',
  131042: 'halt_account',
  131045: 'halt_account',
  131047: 'terminal_recipient',
  131048: 'halt_account',
  131049: 'retry_after_24h',
  131050: 'suppress_contact',
  131051: 'fix_payload',
  131052: 'fix_payload',
  131053: 'fix_payload',
  131056: 'retry_soon',
  131057: 'retry_soon',
  132000: 'fix_payload',
  132001: 'halt_campaign',
  132005: 'fix_payload',
  132007: 'fix_payload',
  132012: 'fix_payload',
  132015: 'halt_campaign',
  132016: 'halt_campaign',
  133004: 'retry_soon',
  133010: 'halt_account',
  133016: 'retry_soon',
  135000: 'terminal_recipient',
};

describe('error classification table', () => {
  const listed = referenceCodes();

  it("has the codes of Meta's error table", () => {
    expect(listed.length).toBeGreaterThanOrEqual(45);
    expect(listed).toContain(131050);
  });

  it('has a rule and an expected class for every code of the table', () => {
    const missingRule = listed.filter((c) => findErrorRule(c) === null);
    const missingExpectation = listed.filter((c) => !(c in EXPECTED));
    expect(missingRule, 'codes of the table with no rule').toEqual([]);
    expect(missingExpectation, 'codes of the table with no test expectation').toEqual([]);
  });

  it.each(Object.entries(EXPECTED).map(([c, cls]) => [Number(c), cls] as const))('code %i → %s', (code, cls) => {
    expect(classifyError(code)).toBe(cls);
  });

  it('backs off slowly on management rate limits and fast on send throttles', () => {
    for (const c of [4, 17, 613, 80007, 80008, 133016]) expect(backoffFor(c)).toBe('slow');
    for (const c of [130429, 131056, 131057, 131000, 2]) expect(backoffFor(c)).toBe('fast');
    expect(backoffFor(132015)).toBe('none');
  });

  it('falls back on the HTTP status for codes not in the table', () => {
    expect(classifyError(null)).toBe('retry_soon'); // network error / timeout
    expect(classifyError(999_999, 503)).toBe('retry_soon');
    expect(classifyError(999_999, 429)).toBe('retry_soon');
    expect(classifyError(999_999, 400)).toBe('terminal_recipient');
  });

  it('has no duplicate rules', () => {
    const keys = ERROR_RULES.map((r) => JSON.stringify(r.code));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reads token states from auth errors', () => {
    expect(tokenStateForCode(190)).toBe('expired');
    expect(tokenStateForCode(0)).toBe('invalid');
    expect(tokenStateForCode(10)).toBe('invalid');
    expect(tokenStateForCode(131056)).toBeNull();
  });
});
