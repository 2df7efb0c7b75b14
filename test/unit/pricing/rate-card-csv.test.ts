import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRows, marketCode, parseRateCardCsv, RateCardCsvError } from '../../../shared/pricing/csv';
import { RATE_CARD_2026_10 } from '../../../shared/pricing/rate-card-2026-10';

const FIXTURE = fs.readFileSync(path.join(__dirname, '../../fixtures/pricing/rate-card-test-usd.csv'), 'utf8');

describe("Meta's rate card CSV", () => {
  it('reads the fixture: preamble date and currency, names and codes, n/a cells, Other = *', () => {
    const card = parseRateCardCsv(FIXTURE);
    expect(card.currency).toBe('USD');
    expect(card.effective_from).toBe('2026-10-01');
    const rate = (category: string, country: string) => card.rates.find((r) => r.category === category && r.country === country)?.price;
    expect(rate('MARKETING', 'IL')).toBe(0.035);
    expect(rate('SERVICE', 'IL')).toBe(0.004);
    expect(rate('AUTHENTICATION_INTERNATIONAL', 'IL')).toBeUndefined();
    expect(rate('AUTHENTICATION_INTERNATIONAL', 'IN')).toBe(0.025);
    expect(rate('MARKETING', 'KR')).toBe(0.07);
    expect(rate('SERVICE', 'KR')).toBeUndefined();
    expect(rate('MARKETING', '*')).toBe(0.05);
    expect(card.markets).toBe(5);
    expect(card.skipped).toEqual([
      { line: 9, code: 'region_market', params: { market: 'Rest of Africa' } },
      { line: 10, code: 'unknown_market', params: { market: 'Atlantis' } },
    ]);
  });

  it('semicolons, decimal commas, currency symbols, a bad price, a mixed currency, a header-only file', () => {
    const card = parseRateCardCsv(
      'Market;Marketing;Utility;Currency\nBrazil;0,0625;$0.0068;BRL\nGermany;abc;0.05;BRL\nFrance;0.1;0.02;EUR\n',
    );
    expect(card.currency).toBe('BRL');
    expect(card.rates).toEqual([
      { category: 'MARKETING', country: 'BR', price: 0.0625 },
      { category: 'UTILITY', country: 'BR', price: 0.0068 },
      { category: 'UTILITY', country: 'DE', price: 0.05 },
    ]);
    expect(card.skipped.map((s) => s.code)).toEqual(['bad_price', 'mixed_currency']);
    expect(() => parseRateCardCsv('Name,Price\nx,1\n')).toThrow(RateCardCsvError);
    expect(() => parseRateCardCsv('Market,Marketing\nIsrael,n/a\n')).toThrow(/no rate/);
  });

  it('quoted fields and CRLF', () => {
    expect(csvRows('a,"b, c","d ""e"""\r\n1,2,3')).toEqual([
      ['a', 'b, c', 'd "e"'],
      ['1', '2', '3'],
    ]);
  });

  it('market names: ISO codes, English names with accents, aliases, regions, other', () => {
    expect(marketCode('il')).toBe('IL');
    expect(marketCode('Türkiye')).toBe('TR');
    expect(marketCode('Turkey')).toBe('TR');
    expect(marketCode('United States')).toBe('US');
    expect(marketCode('Rest of Latin America')).toBe('region');
    expect(marketCode('Other')).toBe('*');
    expect(marketCode('ZZ')).toBeNull();
  });

  it('the shipped card: dated 2026-10-01, sourced, no invented figures, the nine standalone markets', () => {
    expect(RATE_CARD_2026_10.effective_from).toBe('2026-10-01');
    expect(RATE_CARD_2026_10.source.every((s) => s.url.startsWith('https://developers.facebook.com/'))).toBe(true);
    // The reference gives no price figures: nothing is shipped rather than a guess.
    expect(RATE_CARD_2026_10.rates).toEqual([]);
    expect(RATE_CARD_2026_10.standalone_markets.map((m) => m.country).sort()).toEqual([
      'BD',
      'IQ',
      'KW',
      'KZ',
      'LK',
      'MA',
      'NP',
      'OM',
      'UA',
    ]);
    expect(RATE_CARD_2026_10.rules).toMatchObject({
      service_charged_from: '2026-10-01',
      utility_in_service_window_charged_from: '2026-10-01',
      free_entry_point_hours: 72,
    });
  });
});
