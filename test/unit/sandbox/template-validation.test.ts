import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO } from '../../../electron/core/sandbox/default-scenario';
import { GraphError } from '../../../electron/core/sandbox/graph-errors';
import { parseScenario, type ScenarioTemplate } from '../../../electron/core/sandbox/scenario';
import { placeholders, validateTemplateComponents } from '../../../electron/core/sandbox/template-validation';

const scenario = parseScenario(DEFAULT_SCENARIO);
const tpl = (name: string, language: string): ScenarioTemplate =>
  scenario.wabas[0]!.templates.find((t) => t.name === name && t.language === language)!;
const ctx = { mediaExists: (id: string) => id === 'media-1' };

/** The GraphError code a send's components produce (or 'ok'). */
function codeOf(t: ScenarioTemplate, components: unknown): number | 'ok' {
  try {
    validateTemplateComponents({ name: t.name, language: { code: t.language }, components }, t, ctx);
    return 'ok';
  } catch (e) {
    if (e instanceof GraphError) return e.code;
    throw e;
  }
}

const text = (t: string) => ({ type: 'text', text: t });
const named = (n: string, t: string) => ({ type: 'text', parameter_name: n, text: t });
const image = { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/a.jpg' } }] };
const orderOk = (): Record<string, unknown>[] => [
  { type: 'header', parameters: [text('A-1')] },
  { type: 'body', parameters: [text('Dana'), text('A-1'), text('Friday')] },
  { type: 'button', sub_type: 'url', index: '0', parameters: [text('A-1')] },
];
const saleBody = (params: unknown[]) => ({ type: 'body', parameters: params });
const saleOk = () => [image, saleBody([named('first_name', 'Dana'), named('discount', '20%'), named('end_date', 'May 1')])];

describe('template send validation', () => {
  const order = tpl('order_update', 'en_US');
  const sale = tpl('spring_sale', 'en_US');

  it('finds placeholders in order, once each', () => {
    expect(placeholders('Hi {{1}}, {{2}} and {{1}} again')).toEqual(['1', '2']);
    expect(placeholders('Hi {{ first_name }}')).toEqual(['first_name']);
  });

  it('accepts correct positional and named sends and renders them', () => {
    expect(codeOf(order, orderOk())).toBe('ok');
    expect(codeOf(sale, saleOk())).toBe('ok');
    const r = validateTemplateComponents({ components: orderOk() }, order, ctx);
    expect(r.body).toBe('Hi Dana, your order A-1 has shipped and should arrive by Friday.');
    expect(r.header).toBe('Order A-1');
    expect(r.buttons[0]).toMatchObject({ type: 'URL', url: 'https://acme-outdoor.example/track/A-1' });
    // named parameters may come in any order
    expect(codeOf(sale, [image, saleBody([named('end_date', 'May 1'), named('first_name', 'Dana'), named('discount', '20%')])])).toBe('ok');
  });

  it('132000: positional parameter count mismatch (body, header, static parts)', () => {
    const c = orderOk();
    c[1] = { type: 'body', parameters: [text('Dana'), text('A-1')] };
    expect(codeOf(order, c)).toBe(132000);
    const h = orderOk();
    h[0] = { type: 'header', parameters: [text('A'), text('B')] };
    expect(codeOf(order, h)).toBe(132000);
    expect(
      codeOf(tpl('appointment_reminder', 'he'), [
        { type: 'header', parameters: [text('x')] },
        { type: 'body', parameters: [text('a'), text('b'), text('c')] },
      ]),
    ).toBe(132000);
  });

  it('131008: a named parameter is missing, a text value is missing, a URL button parameter is missing', () => {
    expect(codeOf(sale, [image, saleBody([named('first_name', 'Dana'), named('discount', '20%')])])).toBe(131008);
    const c = orderOk();
    c[1] = { type: 'body', parameters: [text('Dana'), { type: 'text' }, text('Friday')] };
    expect(codeOf(order, c)).toBe(131008);
    expect(codeOf(order, orderOk().slice(0, 2))).toBe(131008);
  });

  it('100: named template without parameter_name, unknown or repeated names, positional with names', () => {
    expect(codeOf(sale, [image, saleBody([text('Dana'), text('20%'), text('May 1')])])).toBe(100);
    expect(codeOf(sale, [image, saleBody([named('first_name', 'Dana'), named('discount', '20%'), named('end', 'May 1')])])).toBe(100);
    expect(codeOf(sale, [image, saleBody([named('first_name', 'Dana'), named('first_name', 'Dana'), named('end_date', 'May 1')])])).toBe(
      100,
    );
    const c = orderOk();
    c[1] = { type: 'body', parameters: [named('a', 'Dana'), text('A-1'), text('Friday')] };
    expect(codeOf(order, c)).toBe(100);
    expect(codeOf(order, [{ type: 'footer' }])).toBe(100);
  });

  it('132012: media header missing or of the wrong type; text where media is expected', () => {
    expect(codeOf(sale, saleOk().slice(1))).toBe(132012);
    expect(
      codeOf(sale, [{ type: 'header', parameters: [{ type: 'video', video: { link: 'https://example.com/v.mp4' } }] }, saleOk()[1]]),
    ).toBe(132012);
    expect(
      codeOf(tpl('catalog_pdf', 'en_US'), [
        { type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.com/a.jpg' } }] },
        { type: 'body', parameters: [text('Dana')] },
      ]),
    ).toBe(132012);
    const c = orderOk();
    c[1] = { type: 'body', parameters: [{ type: 'image', image: { link: 'https://x.com/a.jpg' } }, text('A-1'), text('Friday')] };
    expect(codeOf(order, c)).toBe(132012);
  });

  it('131009: media link not a URL, unknown media id, bad button index; media id uploaded is fine', () => {
    expect(codeOf(sale, [{ type: 'header', parameters: [{ type: 'image', image: { link: 'not a url' } }] }, saleOk()[1]])).toBe(131009);
    expect(codeOf(sale, [{ type: 'header', parameters: [{ type: 'image', image: { id: 'nope' } }] }, saleOk()[1]])).toBe(131009);
    expect(codeOf(sale, [{ type: 'header', parameters: [{ type: 'image', image: { id: 'media-1' } }] }, saleOk()[1]])).toBe('ok');
    const c = orderOk();
    c[2] = { type: 'button', sub_type: 'url', index: '7', parameters: [text('A-1')] };
    expect(codeOf(order, c)).toBe(131009);
    c[2] = { type: 'button', sub_type: 'url', index: 'first', parameters: [text('A-1')] };
    expect(codeOf(order, c)).toBe(131009);
  });

  it('132007: new-lines, tabs or 4+ spaces in a parameter', () => {
    for (const bad of ['Dana\nCohen', 'Dana\tCohen', 'Dana    Cohen']) {
      const c = orderOk();
      c[1] = { type: 'body', parameters: [text(bad), text('A-1'), text('Friday')] };
      expect(codeOf(order, c)).toBe(132007);
    }
    const c = orderOk();
    c[1] = { type: 'body', parameters: [text('Dana   Cohen'), text('A-1'), text('Friday')] };
    expect(codeOf(order, c)).toBe('ok');
  });

  it('132005: hydrated body over 1024 or header over 60 characters', () => {
    const c = orderOk();
    c[1] = { type: 'body', parameters: [text('x'.repeat(1000)), text('A-1'), text('Friday')] };
    expect(codeOf(order, c)).toBe(132005);
    const h = orderOk();
    h[0] = { type: 'header', parameters: [text('y'.repeat(60))] };
    expect(codeOf(order, h)).toBe(132005);
  });

  it('quick replies: payload parameters are optional but must be well-formed', () => {
    expect(
      codeOf(sale, [
        ...saleOk(),
        { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'STOP_PROMO' }] },
      ]),
    ).toBe('ok');
    expect(
      codeOf(sale, [...saleOk(), { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'text', text: 'x' }] }]),
    ).toBe(100);
    expect(codeOf(sale, [...saleOk(), { type: 'button', sub_type: 'url', index: '1', parameters: [text('x')] }])).toBe(132012);
  });

  it('currency and date_time parameters stand in for text', () => {
    const c = orderOk();
    c[1] = {
      type: 'body',
      parameters: [
        text('Dana'),
        { type: 'currency', currency: { fallback_value: '$10.00', code: 'USD', amount_1000: 10000 } },
        { type: 'date_time', date_time: { fallback_value: 'May 1' } },
      ],
    };
    expect(codeOf(order, c)).toBe('ok');
    c[1] = {
      type: 'body',
      parameters: [text('Dana'), { type: 'currency', currency: { fallback_value: '$10.00', code: 'usd', amount_1000: 10000 } }, text('x')],
    };
    expect(codeOf(order, c)).toBe(131009);
  });
});
