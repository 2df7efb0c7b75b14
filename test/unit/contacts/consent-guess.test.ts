/**
 * A file's own consent column: recognised by its header in English, Hebrew and Chinese, and its
 * cells read as yes / no / nothing said / not understood.
 */
import { describe, expect, it } from 'vitest';
import { guessMapping, headerKey, parseConsentCell } from '../../../electron/core/contacts/import/guess';

const consentColumn = (header: string) =>
  guessMapping(['phone', header], [['0502345678', 'yes']]).find((m) => m.field === 'consent')?.column ?? null;

describe('consent column headers', () => {
  it.each([
    'consent',
    'Consent',
    'opt-in',
    'Opt In',
    'optin',
    'OPT_IN',
    'opted in',
    'Marketing consent',
    'marketing opt-in',
    'subscribed',
    'WhatsApp opt-in',
    'WhatsApp Opt-In?',
    'agreed',
    'Accepts Marketing',
  ])('English: %s', (header) => {
    expect(consentColumn(header)).toBe(header);
  });

  it.each([
    'הסכמה',
    'הסכמה לדיוור',
    'הסכמה-לדיוור',
    ' הסכמה לדיוור ',
    'מאשר דיוור',
    'אישור דיוור',
    'מסכים לקבל',
    'דיוור',
    'הסכמה לקבלת דיוור',
  ])('Hebrew: %s', (header) => {
    expect(consentColumn(header)).toBe(header);
  });

  it.each(['同意', '同意接收', '訂閱', '订阅', '接收行銷', '接收行销', '願意接收', '愿意接收', '同意接收行銷', '同意 接收'])(
    'Chinese: %s',
    (header) => {
      expect(consentColumn(header)).toBe(header);
    },
  );

  it('spaces and punctuation do not matter: "הסכמה לדיוור" is the key of the list', () => {
    expect(headerKey('הסכמה לדיוור')).toBe('הסכמהלדיוור');
    expect(headerKey('Opt-In?')).toBe('optin');
    // Full-width spaces and punctuation (Chinese keyboards) fold too.
    expect(headerKey('同意\u3000接收')).toBe('同意接收');
  });

  it('a phone column is never taken for consent, and unrelated headers are not consent', () => {
    expect(guessMapping(['WhatsApp', 'WhatsApp opt-in'], [])).toEqual([
      { column: 'WhatsApp', field: 'phone' },
      { column: 'WhatsApp opt-in', field: 'consent' },
    ]);
    for (const h of ['Subscription', 'notes', 'הערות', '備註']) expect(consentColumn(h)).toBeNull();
  });
});

describe('consent cells', () => {
  it.each([
    'yes',
    'Yes',
    'Y',
    'true',
    'TRUE',
    '1',
    'opted_in',
    'opted in',
    'Opt-In',
    'opt in',
    'optin',
    'subscribed',
    'agreed',
    'כן',
    'מאשר',
    'מאשרת',
    'מסכים',
    'מסכימה',
    '是',
    '同意',
    '願意',
    '愿意',
    '訂閱',
    '订阅',
    ' yes ',
  ])('%s → in', (v) => {
    expect(parseConsentCell(v)).toBe('in');
  });

  it.each([
    'no',
    'No',
    'N',
    'false',
    'FALSE',
    '0',
    'opted_out',
    'opted out',
    'opt-out',
    'Opt Out',
    'optout',
    'unsubscribed',
    'declined',
    'STOP',
    'לא',
    'לא מאשר',
    'לא  מאשר',
    'לא מאשרת',
    'לא מסכים',
    'לא מסכימה',
    '否',
    '不同意',
    '不願意',
    '不愿意',
    '取消訂閱',
    '取消订阅',
  ])('%s → out', (v) => {
    expect(parseConsentCell(v)).toBe('out');
  });

  it.each(['', '   '])('"%s" → nothing said', (v) => {
    expect(parseConsentCell(v)).toBeNull();
  });

  it.each(['maybe', 'אולי', '也許', 'yes please', '2', 'x', 'n/a'])('%s → not understood (never a yes)', (v) => {
    expect(parseConsentCell(v)).toBe('unrecognised');
  });
});
