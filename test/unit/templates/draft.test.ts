import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  draftComponents,
  draftFromComponents,
  draftToCreateRequest,
  emptyDraft,
  validateDraft,
  type TemplateDraft,
} from '../../../shared/templates/draft';

const base = (over: Partial<TemplateDraft> = {}): TemplateDraft => ({
  ...emptyDraft('en_US'),
  name: 'spring_promo',
  body: { text: 'Hi {{1}}, new arrivals are in.', examples: { '1': 'Dana' } },
  ...over,
});
const codes = (d: TemplateDraft) => validateDraft(d).map((i) => `${i.field}:${i.code}`);

describe("Meta's template rules, checked before submitting", () => {
  it('a well-formed draft has no problems', () => {
    expect(codes(base())).toEqual([]);
  });

  it('names are lowercase letters, digits and underscores', () => {
    expect(codes(base({ name: '' }))).toContain('name:name_required');
    expect(codes(base({ name: 'Spring Promo' }))).toContain('name:name_format');
    expect(codes(base({ name: 'x'.repeat(513) }))).toContain('name:name_too_long');
  });

  it('positional variables run {{1}}, {{2}}… without gaps, never at the edges or side by side, each with an example', () => {
    expect(codes(base({ body: { text: 'Hi {{2}} and {{1}} ok', examples: { '1': 'a', '2': 'b' } } }))).toContain('body:positional_order');
    expect(codes(base({ body: { text: 'Hi {{1}} and {{3}} ok', examples: { '1': 'a', '3': 'b' } } }))).toContain('body:positional_order');
    expect(codes(base({ body: { text: '{{1}} is here', examples: { '1': 'a' } } }))).toContain('body:variable_at_edge');
    expect(codes(base({ body: { text: 'Your code is {{1}}.', examples: { '1': 'a' } } }))).toContain('body:variable_at_edge');
    expect(codes(base({ body: { text: 'Hi {{1}} {{2}} ok', examples: { '1': 'a', '2': 'b' } } }))).toContain('body:adjacent_variables');
    expect(codes(base({ body: { text: 'Hi {{1}} ok', examples: {} } }))).toContain('body:example_missing');
    expect(codes(base({ body: { text: 'Hi {{name}} ok', examples: { name: 'a' } } }))).toContain('body:mixed_variables');
  });

  it('named variables are lowercase with underscores', () => {
    expect(codes(base({ parameterFormat: 'named', body: { text: 'Hi {{first_name}} ok', examples: { first_name: 'Dana' } } }))).toEqual([]);
    expect(codes(base({ parameterFormat: 'named', body: { text: 'Hi {{FirstName}} ok', examples: { FirstName: 'Dana' } } }))).toContain(
      'body:named_format',
    );
  });

  it('lengths: header 60, body 1024, footer 60 without variables, button text 25', () => {
    expect(codes(base({ header: { format: 'TEXT', text: 'x'.repeat(61) } }))).toContain('header:too_long');
    expect(codes(base({ body: { text: 'a'.repeat(1025), examples: {} } }))).toContain('body:too_long');
    expect(codes(base({ footer: 'Reply {{1}}' }))).toContain('footer:footer_variable');
    expect(codes(base({ buttons: [{ type: 'QUICK_REPLY', text: 'x'.repeat(26) }] }))).toContain('buttons.0:too_long');
    expect(codes(base({ header: { format: 'TEXT', text: 'Hi {{1}} {{2}}', example: 'a' } }))).toContain('header:header_one_variable');
  });

  it('buttons: at most 10, 2 URL, 1 phone, 1 copy code, grouped by kind, URL variable only at the end', () => {
    const qr = (t: string) => ({ type: 'QUICK_REPLY' as const, text: t });
    expect(codes(base({ buttons: Array.from({ length: 11 }, (_, i) => qr(`b${i}`)) }))).toContain('buttons:too_many_buttons');
    const url = (t: string) => ({ type: 'URL' as const, text: t, url: 'https://a.example.com' });
    expect(codes(base({ buttons: [url('a'), url('b'), url('c')] }))).toContain('buttons:too_many_of_type');
    expect(codes(base({ buttons: [qr('a'), url('b'), qr('c')] }))).toContain('buttons:buttons_not_grouped');
    expect(codes(base({ buttons: [qr('a'), qr('b'), url('c')] }))).toEqual([]);
    expect(codes(base({ buttons: [{ type: 'URL', text: 'Go', url: 'https://a.example.com/{{1}}/x', example: 'q' }] }))).toContain(
      'buttons.0:url_variable_not_at_end',
    );
    expect(codes(base({ buttons: [{ type: 'URL', text: 'Go', url: 'shop/{{1}}' }] }))).toContain('buttons.0:url_invalid');
    expect(codes(base({ buttons: [{ type: 'COPY_CODE', example: 'TOO LONG CODE 12345' }] }))).toContain('buttons.0:copy_code_invalid');
    expect(codes(base({ buttons: [qr('Same'), qr('Same')] }))).toContain('buttons.1:duplicate_button_text');
  });

  it('the create request carries examples the way Meta asks (positional arrays, named params)', () => {
    const positional = draftToCreateRequest(base({ header: { format: 'TEXT', text: 'Hey {{1}}', example: 'Dana' } }));
    expect(positional).toMatchObject({ name: 'spring_promo', language: 'en_US', category: 'MARKETING', parameter_format: 'positional' });
    expect((positional.components as object[])[0]).toEqual({
      type: 'HEADER',
      format: 'TEXT',
      text: 'Hey {{1}}',
      example: { header_text: ['Dana'] },
    });
    expect((positional.components as object[])[1]).toEqual({
      type: 'BODY',
      text: 'Hi {{1}}, new arrivals are in.',
      example: { body_text: [['Dana']] },
    });
    const named = draftComponents(
      base({ parameterFormat: 'named', body: { text: 'Hi {{first_name}} ok', examples: { first_name: 'Dana' } } }),
    );
    expect(named[0]).toEqual({
      type: 'BODY',
      text: 'Hi {{first_name}} ok',
      example: { body_text_named_params: [{ param_name: 'first_name', example: 'Dana' }] },
    });
  });

  it("a draft survives the trip to Meta's components and back (edit and duplicate read it that way)", () => {
    const word = fc.stringMatching(/^[a-z]{1,8}$/);
    const draftArb = fc
      .record({
        n: fc.integer({ min: 0, max: 3 }),
        named: fc.boolean(),
        header: fc.option(word, { nil: undefined }),
        footer: fc.option(word, { nil: undefined }),
        qr: fc.uniqueArray(word, { maxLength: 3 }),
        url: fc.boolean(),
        category: fc.constantFrom('MARKETING' as const, 'UTILITY' as const),
      })
      .map(({ n, named, header, footer, qr, url, category }): TemplateDraft => {
        const vars = Array.from({ length: n }, (_, i) => (named ? `v_${i}` : String(i + 1)));
        return {
          name: 'prop_test',
          language: 'he',
          category,
          parameterFormat: named ? 'named' : 'positional',
          ...(header ? { header: { format: 'TEXT' as const, text: header } } : {}),
          body: {
            text: `Hello ${vars.map((v) => `{{${v}}} and`).join(' ')} bye`,
            examples: Object.fromEntries(vars.map((v) => [v, `ex ${v}`])),
          },
          ...(footer ? { footer } : {}),
          buttons: [
            ...qr.map((t) => ({ type: 'QUICK_REPLY' as const, text: t })),
            ...(url ? [{ type: 'URL' as const, text: 'zzz', url: 'https://x.example.com/{{1}}', example: 'https://x.example.com/a' }] : []),
          ],
        };
      });
    fc.assert(
      fc.property(draftArb, (d) => {
        expect(validateDraft(d)).toEqual([]);
        const back = draftFromComponents(
          { name: d.name, language: d.language, category: d.category, parameterFormat: d.parameterFormat },
          draftComponents(d) as never,
        );
        expect(back).toEqual(d);
      }),
      { seed: 20261204, numRuns: 200 },
    );
  });
});
