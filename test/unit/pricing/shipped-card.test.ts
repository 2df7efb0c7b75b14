/**
 * The rate card Pacer ships (shared/pricing/shipped-card.ts): its figures are the cited source's,
 * every region is expanded to its countries with Meta's region list, and every country the phone
 * library knows gets a rate (its own, its region's, or Meta's "Other").
 */
import { getCountries } from 'libphonenumber-js/min';
import { describe, expect, it } from 'vitest';
import { regionCountries } from '../../../shared/pricing/csv';
import { META_REGIONS } from '../../../shared/pricing/meta-regions';
import { SHIPPED_RATE_CARD as CARD } from '../../../shared/pricing/shipped-card';

const rate = (category: string, country: string) => CARD.rates.find((r) => r.category === category && r.country === country)?.price;
/** The price the estimate uses: the country's own rate, else "Other" (electron/core/campaigns/cost.ts). */
const priced = (category: string, country: string) => rate(category, country) ?? rate(category, '*');

describe('the shipped rate card', () => {
  it('is Meta USD card of 2025-10-01, with its sources (URL and date read)', () => {
    expect(CARD).toMatchObject({ id: 'meta-usd-2025-10-01', effective_from: '2025-10-01', currency: 'USD' });
    expect(CARD.source.map((s) => s.url)).toEqual([
      'https://github.com/xplorebytesolutions/xplorebyte-website-nextjs-v1.1/blob/e680adb51963d417f9ea10f4d0e9661b3aa8147b/src/app/pricing-outside-india/page.tsx',
      'https://github.com/OJoshuaCG/meta-whatsapp-pricing/blob/ca9d28c06afe9d518a0880296ad6070f6ccd2f20/db/migrate_market_country.sql',
      'https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing',
    ]);
    expect(CARD.source.every((s) => /^\d{4}-\d{2}-\d{2}$/.test(s.read))).toBe(true);
  });

  it("carries the source's figures (hand-checked rows), regions expanded, Other = *", () => {
    // Countries with rows of their own.
    expect([rate('MARKETING', 'IL'), rate('UTILITY', 'IL'), rate('AUTHENTICATION', 'IL')]).toEqual([0.0353, 0.0053, 0.0053]);
    expect([rate('MARKETING', 'BR'), rate('UTILITY', 'BR')]).toEqual([0.0625, 0.0068]);
    expect([rate('MARKETING', 'IN'), rate('UTILITY', 'IN'), rate('AUTHENTICATION_INTERNATIONAL', 'IN')]).toEqual([0.0107, 0.0014, 0.028]);
    expect([rate('MARKETING', 'DE'), rate('UTILITY', 'DE')]).toEqual([0.1365, 0.055]);
    expect([rate('MARKETING', 'GB'), rate('MARKETING', 'TR'), rate('MARKETING', 'AE')]).toEqual([0.0529, 0.0109, 0.0499]);
    // North America = Canada and the United States.
    expect([rate('MARKETING', 'US'), rate('UTILITY', 'US'), rate('MARKETING', 'CA')]).toEqual([0.025, 0.004, 0.025]);
    // "Rest of …" rows, by country.
    expect([rate('MARKETING', 'TW'), rate('UTILITY', 'TW')]).toEqual([0.0732, 0.0113]);
    expect([rate('MARKETING', 'KE'), rate('UTILITY', 'KE')]).toEqual([0.0225, 0.004]);
    expect(rate('MARKETING', 'PL')).toBe(0.086);
    expect(rate('MARKETING', 'UY')).toBe(0.074);
    expect(rate('MARKETING', 'QA')).toBe(0.0341);
    expect(rate('MARKETING', 'SE')).toBe(0.0592);
    expect([rate('MARKETING', '*'), rate('UTILITY', '*'), rate('AUTHENTICATION', '*')]).toEqual([0.0604, 0.0077, 0.0077]);
    // Authentication-international only where Meta has one; no service rates (free under this card).
    expect(
      CARD.rates
        .filter((r) => r.category === 'AUTHENTICATION_INTERNATIONAL')
        .map((r) => r.country)
        .sort(),
    ).toEqual(['AE', 'EG', 'ID', 'IN', 'MY', 'NG', 'PK', 'SA', 'ZA']);
    expect(CARD.rates.some((r) => r.category === 'SERVICE')).toBe(false);
    // 24 own rows + 2 North America + 115 region countries + Other; 3 categories each + 9 auth-intl.
    expect(new Set(CARD.rates.map((r) => r.country)).size).toBe(141);
    expect(CARD.rates).toHaveLength(141 * 3 + 9);
  });

  it("every name in Meta's region list is a country the importer's mapping reads", () => {
    for (const [region, members] of Object.entries(META_REGIONS)) {
      const iso = regionCountries(region);
      expect(iso, region).not.toBeNull();
      expect(iso!.length, `${region}: ${members.join(', ')}`).toBe(members.length);
      expect(new Set(iso).size).toBe(members.length);
    }
  });

  it('every country the phone library knows has a rate in marketing, utility and authentication (own, region or Other)', () => {
    const known = new Set<string>(getCountries());
    const own = new Set(CARD.rates.filter((r) => r.country !== '*').map((r) => r.country));
    // Every country the card names is one a contact's phone number can belong to.
    for (const c of own) expect(known.has(c), c).toBe(true);
    for (const c of known)
      for (const category of ['MARKETING', 'UTILITY', 'AUTHENTICATION']) expect(priced(category, c), `${category} ${c}`).toBeGreaterThan(0);
    // The rest are Meta's "Other": Meta's lists name no region for them (e.g. South Korea, Estonia, Kazakhstan).
    const other = [...known].filter((c) => !own.has(c));
    expect(other).toEqual(expect.arrayContaining(['KR', 'EE', 'KZ', 'IS', 'LU']));
    expect(other.length).toBe(known.size - own.size);
    expect(priced('MARKETING', 'KR')).toBe(0.0604);
  });

  it("agrees with Meta's 2026-10-01 AED card where Pacer could read both (AED pegged at 3.6725 per USD)", () => {
    // tobachat/whatsapp-api-rates (Hugging Face), effective 2026-10-01, currency AED — figures as published.
    const aed: [string, string, number][] = [
      ['AR', 'MARKETING', 0.2269],
      ['AR', 'UTILITY', 0.0955],
      ['BR', 'MARKETING', 0.2295],
      ['BR', 'UTILITY', 0.025],
      ['CL', 'MARKETING', 0.3264],
      ['CL', 'UTILITY', 0.0734],
      ['CO', 'MARKETING', 0.0459],
      ['CO', 'UTILITY', 0.0029],
    ];
    for (const [country, category, price] of aed)
      expect(Math.round((price / 3.6725) * 1e4) / 1e4, `${country} ${category}`).toBe(rate(category, country));
    // Egypt's marketing rate is one Meta changed on 2026-01-01: the AED card no longer matches this card's figure.
    expect(Math.round((0.2364 / 3.6725) * 1e4) / 1e4).not.toBe(rate('MARKETING', 'EG'));
    expect(CARD.changed_since.some((c) => c.country === 'EG' && c.categories.includes('MARKETING'))).toBe(true);
  });

  it('names what Meta changed since: the 2026 changes and the nine markets with rates of their own from 2026-10-01', () => {
    const standalone = CARD.standalone_markets.map((m) => m.country).sort();
    expect(standalone).toEqual(['BD', 'IQ', 'KW', 'KZ', 'LK', 'MA', 'NP', 'OM', 'UA']);
    expect(
      CARD.changed_since
        .filter((c) => c.from === '2026-10-01')
        .map((c) => c.country)
        .sort(),
    ).toEqual(standalone);
    for (const c of CARD.changed_since) {
      expect(c.source).toMatch(/https:\/\//);
      for (const category of c.categories)
        expect(priced(category === 'AUTHENTICATION_INTERNATIONAL' ? 'AUTHENTICATION' : category, c.country)).toBeGreaterThan(0);
    }
    expect(CARD.rules).toMatchObject({
      service_charged_from: '2026-10-01',
      utility_in_service_window_charged_from: '2026-10-01',
      free_entry_point_hours: 72,
    });
  });
});
