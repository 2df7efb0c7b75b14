import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRows, marketCode, parseRateCardCsv, RateCardCsvError } from '../../../shared/pricing/csv';

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
    // "Rest of Africa" prices each of its 41 countries (meta-regions.ts), none of which has a row of its own here.
    expect(rate('MARKETING', 'KE')).toBe(0.02);
    expect(rate('SERVICE', 'ZW')).toBe(0.003);
    expect(card.markets).toBe(5 + 41);
    expect(card.skipped).toEqual([{ line: 10, code: 'unknown_market', params: { market: 'Atlantis' } }]);
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
    // ICU also names withdrawn codes like their successors (FX "France", HV "Burkina Faso", YU "Serbia").
    expect(['France', 'Burkina Faso', 'Benin', 'Serbia', 'Timor-Leste', 'Germany'].map(marketCode)).toEqual([
      'FR',
      'BF',
      'BJ',
      'RS',
      'TL',
      'DE',
    ]);
    expect(marketCode('Rest of Latin America')).toBe('region');
    expect(marketCode('North America')).toBe('region');
    expect(marketCode('Other')).toBe('*');
    expect(marketCode('ZZ')).toBeNull();
  });

  it("a region row never overrides a country's own row, wherever the two stand in the file", () => {
    const card = parseRateCardCsv(
      'Market,Currency,Marketing,Utility\nRest of Africa,USD,0.02,0.004\nMorocco,USD,0.03,0.006\nNorth America,USD,0.025,0.0034\nOther,USD,0.06,0.0077\n',
    );
    const rate = (category: string, country: string) => card.rates.find((r) => r.category === category && r.country === country)?.price;
    expect(rate('UTILITY', 'MA')).toBe(0.006);
    expect(rate('UTILITY', 'DZ')).toBe(0.004);
    expect(rate('MARKETING', 'US')).toBe(0.025);
    expect(rate('MARKETING', 'CA')).toBe(0.025);
    expect(card.rates.filter((r) => r.country === 'MA')).toHaveLength(2);
    expect(parseRateCardCsv('Market,Marketing\nRest of Antarctica,0.1\nIsrael,0.03\n').skipped).toEqual([
      { line: 2, code: 'region_market', params: { market: 'Rest of Antarctica' } },
    ]);
  });
});
