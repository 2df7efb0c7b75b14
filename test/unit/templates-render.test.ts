import { describe, expect, it } from 'vitest';
import {
  formatRuns,
  languageDirection,
  languageTag,
  parameterNames,
  renderTemplate,
  sampleValues,
  segmentsToText,
  substitute,
  templateDirection,
  templateParameters,
  textDirection,
  type TemplateInput,
} from '../../shared/templates/render';

// Shapes as Meta's GET /{waba-id}/message_templates returns them.
const positional: TemplateInput = {
  language: 'en_US',
  parameter_format: 'POSITIONAL',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Hi {{1}}', example: { header_text: ['Dana'] } },
    { type: 'BODY', text: 'Your order {{1}} ships on {{2}}. Order {{1}} again?', example: { body_text: [['#123', 'Monday']] } },
    { type: 'FOOTER', text: 'Reply STOP to opt out' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Stop promotions' },
        { type: 'URL', text: 'Track', url: 'https://shop.example/t/{{1}}', example: ['https://shop.example/t/ABC'] },
        { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+972501234567' },
      ],
    },
  ],
};

const namedHebrew: TemplateInput = {
  language: 'he',
  parameter_format: 'NAMED',
  components: [
    { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://cdn.example/sale.jpg'] } },
    {
      type: 'BODY',
      text: 'שלום {{first_name}}, המבצע מחכה לך עד {{end_date}}!',
      example: {
        body_text_named_params: [
          { param_name: 'first_name', example: 'דנה' },
          { param_name: 'end_date', example: '30.11' },
        ],
      },
    },
  ],
};

describe('parameters', () => {
  it('lists positional and named placeholders once, in order of first use', () => {
    expect(parameterNames('{{2}} then {{1}} then {{2}}')).toEqual(['2', '1']);
    expect(parameterNames('Hi {{first_name}}, {{ order_no }}')).toEqual(['first_name', 'order_no']);
    expect(parameterNames('no params {here}')).toEqual([]);
  });

  it('substitutes values and marks missing ones', () => {
    const segs = substitute('Hi {{1}}, code {{2}}.', { '1': 'Dana' });
    expect(segs).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'param', name: '1', value: 'Dana' },
      { kind: 'text', text: ', code ' },
      { kind: 'param', name: '2', value: null },
      { kind: 'text', text: '.' },
    ]);
    expect(segmentsToText(segs)).toBe('Hi Dana, code {{2}}.');
  });

  it('treats an empty value as missing (Meta rejects empty parameters)', () => {
    expect(substitute('{{1}}', { '1': '' })).toEqual([{ kind: 'param', name: '1', value: null }]);
  });

  it('reports the parameters per component, ignoring a media header', () => {
    expect(templateParameters(positional)).toEqual({ header: ['1'], body: ['1', '2'] });
    expect(templateParameters(namedHebrew)).toEqual({ header: [], body: ['first_name', 'end_date'] });
  });
});

describe('samples', () => {
  it('reads positional and named examples', () => {
    expect(sampleValues(positional)).toEqual({ header: { '1': 'Dana' }, body: { '1': '#123', '2': 'Monday' } });
    expect(sampleValues(namedHebrew).body).toEqual({ first_name: 'דנה', end_date: '30.11' });
  });
});

describe('renderTemplate', () => {
  it('renders with the samples when no values are given', () => {
    const r = renderTemplate(positional);
    expect(r.header).toEqual({
      kind: 'text',
      segments: [
        { kind: 'text', text: 'Hi ' },
        { kind: 'param', name: '1', value: 'Dana' },
      ],
    });
    expect(segmentsToText(r.body)).toBe('Your order #123 ships on Monday. Order #123 again?');
    expect(r.footer).toBe('Reply STOP to opt out');
    expect(r.buttons).toEqual([
      { type: 'QUICK_REPLY', text: 'Stop promotions', target: null },
      { type: 'URL', text: 'Track', target: 'https://shop.example/t/ABC' },
      { type: 'PHONE_NUMBER', text: 'Call us', target: '+972501234567' },
    ]);
    expect(r.missing).toEqual([]);
    expect(r.dir).toBe('ltr');
    expect(r.lang).toBe('en-US');
  });

  it('uses contact values instead of samples and reports what is missing', () => {
    const r = renderTemplate(positional, { body: { '1': '#999' } });
    expect(segmentsToText(r.body)).toBe('Your order #999 ships on {{2}}. Order #999 again?');
    expect(r.missing).toEqual(['1', '2']); // header {{1}} and body {{2}}
  });

  it('renders a Hebrew named template right-to-left with an image header', () => {
    const r = renderTemplate(namedHebrew);
    expect(r.dir).toBe('rtl');
    expect(r.header).toEqual({ kind: 'media', format: 'IMAGE', url: 'https://cdn.example/sale.jpg' });
    expect(segmentsToText(r.body)).toBe('שלום דנה, המבצע מחכה לך עד 30.11!');
    expect(r.buttons).toEqual([]);
    expect(r.footer).toBeNull();
  });

  it('accepts the lower-case component types of the create API', () => {
    const r = renderTemplate({
      language: 'zh_TW',
      components: [{ type: 'body', text: '您好 {{1}}', example: { body_text: [['陳先生']] } }],
    });
    expect(segmentsToText(r.body)).toBe('您好 陳先生');
    expect(r.dir).toBe('ltr');
    expect(r.lang).toBe('zh-TW');
  });

  it('renders a template without a body as empty rather than failing', () => {
    const r = renderTemplate({ language: 'en', components: [] });
    expect(r.body).toEqual([]);
    expect(r.header).toBeNull();
  });
});

describe('direction', () => {
  it('follows the template language, not the text', () => {
    expect(languageDirection('he')).toBe('rtl');
    expect(languageDirection('he_IL')).toBe('rtl');
    expect(languageDirection('ar')).toBe('rtl');
    expect(languageDirection('en_US')).toBe('ltr');
    expect(languageDirection('zh_TW')).toBe('ltr');
    expect(languageDirection('')).toBeNull();
    // A Hebrew template that starts with a brand name in Latin letters still reads right-to-left.
    expect(templateDirection({ language: 'he', components: [{ type: 'BODY', text: 'Pacer: שלום' }] })).toBe('rtl');
  });

  it('falls back to the first strong letter when the language is unknown', () => {
    expect(textDirection('123 — שלום world')).toBe('rtl');
    expect(textDirection('  "Hello" שלום')).toBe('ltr');
    expect(textDirection('12345 !?')).toBeNull();
    expect(templateDirection({ language: '', components: [{ type: 'BODY', text: '{{1}} مرحبا' }] })).toBe('rtl');
    expect(templateDirection({ language: '', components: [] })).toBe('ltr');
  });

  it("turns Meta's language codes into BCP 47 tags", () => {
    expect(languageTag('zh_TW')).toBe('zh-TW');
    expect(languageTag('he')).toBe('he');
  });
});

describe('formatRuns', () => {
  it('parses WhatsApp bold, italic, strike and monospace', () => {
    expect(formatRuns('Get *20% off* _today_ ~only~ with ```CODE20```')).toEqual([
      { text: 'Get ' },
      { text: '20% off', bold: true },
      { text: ' ' },
      { text: 'today', italic: true },
      { text: ' ' },
      { text: 'only', strike: true },
      { text: ' with ' },
      { text: 'CODE20', mono: true },
    ]);
  });

  it('leaves arithmetic and snake_case alone', () => {
    expect(formatRuns('2 * 3 * 4')).toEqual([{ text: '2 * 3 * 4' }]);
    expect(formatRuns('use snake_case_name here')).toEqual([{ text: 'use snake_case_name here' }]);
  });

  it('formats Hebrew text too', () => {
    expect(formatRuns('*מבצע* היום')).toEqual([{ text: 'מבצע', bold: true }, { text: ' היום' }]);
  });
});
