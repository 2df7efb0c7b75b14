import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactBody } from '../../../electron/core/privacy/store/erase-traces';
import { maskPhones } from '../../../electron/core/privacy/log-mask';

const body = (from: string, other: string, text: string) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1',
        changes: [
          {
            field: 'messages',
            value: {
              metadata: { display_phone_number: '15550100100', phone_number_id: '4000000000000001' },
              contacts: [
                { wa_id: from, profile: { name: 'Dana Qwe' } },
                { wa_id: other, profile: { name: 'Yossi' } },
              ],
              messages: [
                { from, id: 'wamid.A', type: 'text', text: { body: text } },
                { from: other, id: 'wamid.B', type: 'text', text: { body: 'keep me' } },
              ],
              statuses: [
                { id: 'wamid.C', status: 'read', recipient_id: from },
                { id: 'wamid.D', status: 'read', recipient_id: other },
              ],
            },
          },
        ],
      },
    ],
  });

describe('redactBody (a pending webhook body without the erased person)', () => {
  it('drops their messages and profile, blanks their statuses, keeps everyone else', () => {
    const out = JSON.parse(redactBody(body('972502345678', '972529876543', 'my address is Herzl 17'), '972502345678'));
    const v = out.entry[0].changes[0].value;
    expect(v.messages.map((m: { id: string }) => m.id)).toEqual(['wamid.B']);
    expect(v.contacts).toEqual([{ wa_id: '972529876543', profile: { name: 'Yossi' } }]);
    expect(v.statuses).toEqual([
      { id: 'wamid.C', status: 'read' },
      { id: 'wamid.D', status: 'read', recipient_id: '972529876543' },
    ]);
    expect(v.metadata.phone_number_id).toBe('4000000000000001');
  });

  it('property: the number and their reply text never survive, whatever the text says (seeded)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^9725\d{8}$/), fc.string({ minLength: 1, maxLength: 40 }), (waId, text) => {
        const quoted = `${text} call me on ${waId}`;
        const out = redactBody(body(waId, '886912000004', quoted), waId);
        expect(out).not.toContain(waId);
        expect(out).not.toContain('Dana Qwe');
        expect(out).toContain('keep me');
      }),
      { seed: 1414, numRuns: 300 },
    );
  });

  it('a body that is not JSON still loses the number', () => {
    expect(redactBody('garbage 972502345678 garbage', '972502345678')).toBe('garbage  garbage');
  });
});

describe('maskPhones (log lines never hold a number)', () => {
  it('masks E.164 numbers and WhatsApp number fields, keeps ids and times', () => {
    const line = JSON.stringify({
      t: '2026-01-05T09:00:00.000Z',
      msg: 'sent to +972502345678',
      wa_id: '972502345678',
      from: '972529876543',
      phoneNumberId: '4000000000000001',
      at: 1767603600000,
    });
    const out = maskPhones(line);
    expect(out).not.toMatch(/502345678|529876543/);
    expect(out).toContain('+…78');
    expect(out).toContain('"wa_id":"…78"');
    expect(out).toContain('4000000000000001');
    expect(out).toContain('1767603600000');
  });
});
