import { describe, expect, it } from 'vitest';
import {
  buildComponents,
  compileMapping,
  MappingError,
  parseSource,
  renderPreview,
  resolveParams,
  templatePlaceholders,
  type TemplateShape,
} from '../../../electron/core/campaigns/params';
import { planAudience, type AudienceContact } from '../../../electron/core/campaigns/plan';
import { estimateCost } from '../../../electron/core/campaigns/cost';

const promo: TemplateShape = {
  name: 'spring_sale',
  language: 'en_US',
  category: 'MARKETING',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Hello {{1}}' },
    { type: 'BODY', text: 'Hi {{1}}, {{2}} off in {{3}} until {{2}}!' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Stop promotions' },
        { type: 'URL', text: 'Shop', url: 'https://x.test/s/{{1}}' },
      ],
    },
  ],
};
const named: TemplateShape = {
  name: 'order',
  language: 'he',
  category: 'UTILITY',
  parameter_format: 'NAMED',
  components: [
    { type: 'HEADER', format: 'IMAGE' },
    { type: 'BODY', text: 'שלום {{first_name}}, הזמנה {{order_id}}' },
  ],
};

describe('parameter mapping', () => {
  it('parses fields, attributes, literals and fallbacks', () => {
    expect(parseSource('first_name|attr.nick|"friend"')).toEqual([
      { kind: 'field', field: 'first_name' },
      { kind: 'attr', name: 'nick' },
      { kind: 'literal', text: 'friend' },
    ]);
    expect(parseSource('first_name|friend')).toEqual([
      { kind: 'field', field: 'first_name' },
      { kind: 'literal', text: 'friend' },
    ]);
    expect(parseSource('"a|b"')).toEqual([{ kind: 'literal', text: 'a|b' }]);
    expect(() => parseSource('nickname')).toThrow(MappingError);
    expect(() => parseSource('"open')).toThrow(/unterminated/);
  });

  it('finds positional, header and URL-button placeholders and refuses unmapped or unknown keys', () => {
    expect(templatePlaceholders(promo).map((p) => p.key)).toEqual(['header', '1', '2', '3', 'button.1']);
    expect(() => compileMapping(promo, { header: 'first_name', 1: 'first_name', 2: '"20%"', 3: 'attr.city' })).toThrow(
      /button.1.*not mapped/,
    );
    expect(() => compileMapping(promo, { header: 'x', 1: 'a', 2: 'b', 3: 'c', 'button.1': 'd', 9: 'e' } as never)).toThrow(
      /no parameter "9"/,
    );
  });

  it('never sends an empty parameter: the fallback is used, or the recipient is unmapped', () => {
    const m = compileMapping(promo, {
      header: 'first_name|"there"',
      1: 'first_name|"friend"',
      2: '"20%"',
      3: 'attr.city',
      'button.1': 'attr.code|phone',
    });
    const ok = resolveParams(m, { phone: '+972541234567', first_name: '  ', attributes: { city: 'Haifa\n\tnorth' } });
    expect(ok).toEqual({ ok: true, values: { header: 'there', 1: 'friend', 2: '20%', 3: 'Haifa north', 'button.1': '+972541234567' } });
    expect(resolveParams(m, { phone: '+1', attributes: {} })).toEqual({ ok: false, missing: ['3'] });
    if (!ok.ok) throw new Error('unreachable');
    expect(buildComponents(promo, m, ok.values)).toEqual([
      { type: 'header', parameters: [{ type: 'text', text: 'there' }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'friend' },
          { type: 'text', text: '20%' },
          { type: 'text', text: 'Haifa north' },
        ],
      },
      { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: '+972541234567' }] },
    ]);
    expect(renderPreview(promo, ok.values).body).toBe('Hi friend, 20% off in Haifa north until 20%!');
  });

  it('named templates carry parameter_name and header media', () => {
    const m = compileMapping(named, { first_name: 'first_name', order_id: 'attr.order' });
    const r = resolveParams(m, { phone: '+972541234567', first_name: 'דנה', attributes: { order: 7 } });
    if (!r.ok) throw new Error('unmapped');
    expect(buildComponents(named, m, r.values, { link: 'https://x.test/a.jpg' })).toEqual([
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.test/a.jpg' } }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', parameter_name: 'first_name', text: 'דנה' },
          { type: 'text', parameter_name: 'order_id', text: '7' },
        ],
      },
    ]);
    expect(() => buildComponents(named, m, r.values, null)).toThrow(/image header media/);
  });
});

describe('plan exclusions', () => {
  const m = compileMapping({ ...promo, components: [{ type: 'BODY', text: 'Hi {{1}}' }] }, { 1: 'first_name' });
  const c = (id: number, phone: string, consent: AudienceContact['consent'], first_name: string | null = 'A'): AudienceContact => ({
    id,
    phone,
    consent,
    first_name,
  });

  it('counts every exclusion once, in a stable order of precedence', () => {
    const now = Date.UTC(2026, 2, 1);
    const contacts = [
      c(1, '+972541234567', 'opted_in'),
      c(2, '+972541234567', 'opted_in'), // duplicate of 1
      c(3, '+97254', 'opted_in'), // invalid
      c(4, '+972541234568', 'opted_out'),
      c(5, '+972541234569', 'unknown'),
      c(6, '+12025550123', 'opted_in'), // US marketing
      c(7, '+14165550123', 'opted_in', 'Can'), // Canada: allowed
      c(8, '+972541234570', 'opted_in'), // frequency cap
      c(9, '+972541234571', 'opted_in', null), // unmapped
      { ...c(10, '+972541234572', 'opted_in'), suppressed: true },
    ];
    const history = new Map([['+972541234570', [now - 2 * 86_400_000]]]);
    const plan = planAudience({
      contacts,
      category: 'MARKETING',
      compiled: m,
      now,
      frequencyCap: { max: 1, days: 7 },
      historyFor: (p) => history.get(p) ?? [],
    });
    expect(plan.audience).toBe(10);
    expect(plan.eligible.map((e) => e.contact.id)).toEqual([1, 7]);
    expect(plan.eligible[1]!.country).toBe('CA');
    expect(plan.excluded).toEqual({
      invalid: 1,
      duplicate: 1,
      opted_out: 2,
      no_consent: 1,
      us_marketing: 1,
      frequency_cap: 1,
      unmapped_parameter: 1,
      held_number_changed: 0,
    });
    expect(plan.eligible.length + plan.exclusions.length).toBe(plan.audience);
  });

  it('utility templates accept unknown consent and US numbers', () => {
    const plan = planAudience({ contacts: [c(1, '+12025550123', 'unknown')], category: 'UTILITY', compiled: m, now: 0 });
    expect(plan.eligible).toHaveLength(1);
  });
});

describe('cost estimate', () => {
  it('prices by category × country with a fallback rate, and reports unpriced countries', () => {
    const card = [
      { category: 'MARKETING', country: 'IL', price: 0.0353, currency: 'USD' },
      { category: 'MARKETING', country: '*', price: 0.05, currency: 'USD' },
      { category: 'UTILITY', country: 'IL', price: 0.0053, currency: 'USD' },
    ];
    const est = estimateCost(
      card,
      'marketing',
      new Map([
        ['IL', 1000],
        ['DE', 10],
      ]),
    );
    expect(est).toMatchObject({ currency: 'USD', amount: 35.8, estimate: true, priced: 1010, unpriced: 0 });
    const util = estimateCost(
      card,
      'UTILITY',
      new Map([
        ['IL', 10],
        ['DE', 5],
      ]),
    );
    expect(util).toMatchObject({ amount: 0.053, unpriced: 5, missing_countries: ['DE'] });
    expect(estimateCost([], 'UTILITY', new Map([['IL', 1]]))).toMatchObject({ currency: null, amount: null });
  });
});
