import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import { ok, testCore } from './helpers';

/** Adding a contact by hand: the import's number formats, the consent ledger, and the refusals as codes with details. */
describe('contacts:add', () => {
  let core: Core;
  afterEach(async () => {
    await core.close();
  });

  it('any format the import takes; names, tags and a manual opt-in with its evidence', async () => {
    core = testCore();
    const c = await ok(
      core.call('contacts:add', {
        phone: '050-234 5678',
        first_name: 'דנה',
        last_name: 'כהן',
        email: 'dana@example.com',
        tags: ['vip', 'shop'],
        consent: { category: 'marketing', source: 'Paper form at the shop', evidence: 'form #12' },
      }),
    );
    expect(c).toMatchObject({ phone: '+972502345678', name: 'דנה כהן', email: 'dana@example.com', country: 'IL' });
    expect([...c.tags].sort()).toEqual(['shop', 'vip']);
    expect(c.consent.marketing).toBe('opted_in');
    const d = await ok(core.call('contacts:get', { id: c.id }));
    expect(d.consentHistory[0]).toMatchObject({
      category: 'marketing',
      state: 'opted_in',
      source: 'manual',
      evidence: 'Paper form at the shop — form #12',
      evidenceData: { code: 'manual', params: { note: 'Paper form at the shop', reference: 'form #12' } },
    });
    expect((await ok(core.call('contacts:query', { search: 'דנה' }))).rows.map((r) => r.id)).toEqual([c.id]);
  });

  it('refusals carry what the form needs: the number explained, the existing contact, the erasure', async () => {
    core = testCore();
    expect(await core.call('contacts:add', { phone: '+44 7700 900123' })).toMatchObject({
      ok: false,
      code: 'bad_input',
      details: { field: 'phone', kind: 'invalid_phone', country: 'GB', example: '+44 7400 123456' },
    });
    expect(await core.call('contacts:add', { phone: '0502345678', email: 'not-mail' })).toMatchObject({
      ok: false,
      code: 'bad_input',
      details: { field: 'email' },
    });
    const c = await ok(core.call('contacts:add', { phone: '+972502345678' }));
    expect(await core.call('contacts:add', { phone: '050-2345678' })).toMatchObject({
      ok: false,
      code: 'conflict',
      details: { reason: 'exists', id: c.id },
    });
    await ok(core.call('contacts:delete', { id: c.id }));
    expect(await core.call('contacts:add', { phone: '+972 50 234 5678' })).toMatchObject({
      ok: false,
      code: 'conflict',
      details: { reason: 'erased' },
    });
    expect(await core.call('contacts:add', { phone: '+972502345679', consent: { category: 'marketing', source: '' } })).toMatchObject({
      ok: false,
      code: 'bad_input',
    });
  });
});
