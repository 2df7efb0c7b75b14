import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import { placeHold } from '../../../electron/core/contacts/holds';
import { SANDBOX_PHONE_NUMBER_ID } from '../../../electron/core/sandbox/index';
import type { CampaignDraft, TestSendOutcome, TestSendResult } from '../../../shared/contract/campaigns';
import { tempDataDir } from '../../support/harness';
import { cliWorld, createArgs, ok, scenario, seedContacts, utilityDraft, world, type World } from './helpers';

/*
 * A test send is a real message: each typed number passes a campaign recipient's gates, against the
 * real core and an in-process Sandbox. Only the numbers that pass reach the Sandbox.
 * (Numbers: Israeli mobiles +97250… and a US +1 201 number, all valid in libphonenumber's max metadata.)
 */

const GOOD = '+972502345678';
const GOOD2 = '+972500000011';
const OPTED_OUT = '+972500000012';
const ERASED = '+972500000013';
const HELD = '+972500000014';
const NO_OPTIN = '+972500000015';
const US = '+12015550123';
const STRANGER = '+972500000016';
const STRANGER2 = '+972500000017';

const CONSENTED = [GOOD, GOOD2, OPTED_OUT, ERASED, HELD, US];

const marketingDraft = (patch: Partial<CampaignDraft> = {}): CampaignDraft => ({
  name: 'Spring sale',
  template: { name: 'spring_sale', language: 'en_US' },
  audience: 'all',
  params: { first_name: 'first_name|"there"', discount: '"20%"', end_date: '"April 30"' },
  header_media: { link: 'https://example.com/tents.jpg' },
  options: { rate: 1000 },
  ...patch,
});

/** The contacts of every case: consented ones, one opted out, one erased (suppression record), one held, one without opt-in. */
async function seedCases(core: Core): Promise<void> {
  seedContacts(core, CONSENTED.length, { consent: 'marketing', phone: (i) => CONSENTED[i]! });
  seedContacts(core, 1, { consent: null, phone: () => NO_OPTIN });
  await ok(core.call('contacts:opt-out', { contact: { phone: OPTED_OUT }, category: 'all', reason: 'asked by phone' }));
  expect(await ok(core.call('contacts:delete', { phone: ERASED }))).toEqual({ deleted: true, backups_removed: 0 });
  const heldId = core.db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(HELD) as number;
  expect(placeHold(core.db, { contactId: heldId, reason: 'user_changed_number', detail: 'test', at: core.ctx.clock.now() })).toBe(true);
}

const byInput = (r: TestSendResult) => Object.fromEntries(r.results.map((x) => [x.input, x])) as Record<string, TestSendOutcome>;
const sentTo = (w: World) =>
  w.sandbox
    .messages()
    .map((m) => `+${m.wa_id}`)
    .sort();

describe('test send: every number through the gates of a campaign recipient', () => {
  let w: World;
  let marketing = '';
  let utility = '';

  beforeAll(async () => {
    // No pair rate at the Sandbox (one message per 6 s per recipient): these tests send to the same numbers seconds apart.
    const sc = scenario({ tier: 'TIER_2K' });
    w = await world({ scenario: { ...sc, limits: { ...sc.limits, pair_interval_ms: 0 } }, webhooks: false });
    await seedCases(w.core);
    marketing = (await ok(w.core.call('campaigns:create', marketingDraft()))).id;
    utility = (await ok(w.core.call('campaigns:create', utilityDraft({ params: { 1: 'first_name', 2: '"Tel Aviv"', 3: '"May 12"' } })))).id;
  });
  afterAll(() => w.close());

  it('a MARKETING template: only the opted-in, unheld, non-US numbers reach the Sandbox; each refusal says why', async () => {
    const typed = [
      '+972 50-234 5678', // GOOD, typed with spaces and dashes
      '050 000.0011', // GOOD2, national format with the default country (IL)
      `${OPTED_OUT}; ${ERASED}`, // two in one entry
      '00972500000014', // HELD, with a leading 00
      `(050) 000-0015\n${US}`, // NO_OPTIN, then the US number on the next line
      STRANGER, // not a contact
      '+972 50-123 4567', // a range Israel never allocated
      '+972502345678', // GOOD again
    ];
    const r = await ok(w.core.call('campaigns:test-send', { id: marketing, to: typed }));
    expect(r.results.map((x) => x.input)).toEqual([
      '+972 50-234 5678',
      '050 000.0011',
      OPTED_OUT,
      ERASED,
      '00972500000014',
      '(050) 000-0015',
      US,
      STRANGER,
      '+972 50-123 4567',
      '+972502345678',
    ]);
    const o = byInput(r);
    expect(o['+972 50-234 5678']).toMatchObject({ to: GOOD, ok: true, reason: null, error_code: null });
    expect(o['+972 50-234 5678']!.wamid).toMatch(/^wamid\./);
    expect(o['050 000.0011']).toMatchObject({ to: GOOD2, ok: true });
    expect(o[OPTED_OUT]).toMatchObject({ ok: false, reason: 'opted_out', params: { category: 'marketing' }, wamid: null });
    expect(o[ERASED]).toMatchObject({ ok: false, reason: 'erased' });
    expect(o[ERASED]!.params.erased_at).toBeTypeOf('number');
    expect(o['00972500000014']).toMatchObject({
      to: HELD,
      ok: false,
      reason: 'held_number_changed',
      params: { hold_reason: 'user_changed_number' },
    });
    expect(o['(050) 000-0015']).toMatchObject({ to: NO_OPTIN, ok: false, reason: 'no_consent', params: { is_contact: true } });
    expect(o[US]).toMatchObject({ ok: false, reason: 'us_marketing_paused' });
    expect(o[STRANGER]).toMatchObject({ ok: false, reason: 'no_consent', params: { is_contact: false } });
    expect(o['+972 50-123 4567']).toMatchObject({
      to: '+972 50-123 4567',
      ok: false,
      reason: 'invalid_number',
      params: { kind: 'invalid_phone', country: 'IL', calling_code: '972', example: '+972 50 234 5678' },
    });
    expect(o['+972 50-123 4567']!.error).toBe('not a valid phone number in IL (+972), e.g. +972 50 234 5678');
    expect(o['+972502345678']).toMatchObject({ ok: false, reason: 'duplicate' });
    for (const x of r.results) expect(x.error === null).toBe(x.ok);
    expect(sentTo(w)).toEqual([GOOD2, GOOD].sort());
    expect(
      w.sandbox.messages().every((m) => m.template?.name === 'spring_sale' && m.biz_opaque_callback_data === `pacer-test:${marketing}`),
    ).toBe(true);
    expect(w.sandbox.stats().sends.accepted).toBe(2);
    // The campaign's events keep the outcome per number (no numbers).
    const ev = await ok(w.core.call('campaigns:events', { id: marketing, limit: 5 }));
    expect(ev[0]).toMatchObject({ kind: 'test_send' });
    expect(JSON.stringify(ev[0]!.detail)).not.toContain('97250');
  });

  it('"I have consent" sends to a number without marketing opt-in and records the opt-in (a new contact when it was not one); never lifts an opt-out, a hold or the US block', async () => {
    const before = sentTo(w).length;
    const r = await ok(
      w.core.call('campaigns:test-send', { id: marketing, to: [NO_OPTIN, STRANGER, OPTED_OUT, HELD, US], i_have_consent: true }),
    );
    const o = byInput(r);
    expect(o[NO_OPTIN]).toMatchObject({ ok: true, consent_recorded: true });
    expect(o[STRANGER]).toMatchObject({ ok: true, consent_recorded: true });
    expect(o[OPTED_OUT]).toMatchObject({ ok: false, reason: 'opted_out', consent_recorded: false });
    expect(o[HELD]).toMatchObject({ ok: false, reason: 'held_number_changed' });
    expect(o[US]).toMatchObject({ ok: false, reason: 'us_marketing_paused' });
    expect(sentTo(w).length - before).toBe(2);
    for (const phone of [NO_OPTIN, STRANGER]) {
      const d = await ok(w.core.call('contacts:get', { phone }));
      expect(d.contact.consent.marketing).toBe('opted_in');
      expect(d.consentHistory[0]).toMatchObject({ category: 'marketing', state: 'opted_in', source: 'manual', evidence: 'test send' });
      expect(d.consentHistory[0]!.evidenceData).toMatchObject({ code: 'test_send_attested' });
    }
    expect((await ok(w.core.call('contacts:get', { phone: OPTED_OUT }))).contact.consent.marketing).toBe('opted_out');
    // Recorded once: the next test send finds the opt-in and records nothing.
    const again = await ok(w.core.call('campaigns:test-send', { id: marketing, to: [STRANGER] }));
    expect(again.results[0]).toMatchObject({ ok: true, consent_recorded: false });
  });

  it('a UTILITY template: a number that is not a contact, a contact without opt-in and a US number are sent to; an opt-out of utility is not; a parameter without a value is named', async () => {
    const before = w.sandbox.messages().length;
    const r = await ok(w.core.call('campaigns:test-send', { id: utility, to: [`${STRANGER2}, ${GOOD}`, US, OPTED_OUT] }));
    const o = byInput(r);
    // The stranger has no first name and parameter 1 has no fallback: nothing to send.
    expect(o[STRANGER2]).toMatchObject({ ok: false, reason: 'missing_params', params: { names: ['1'] } });
    expect(o[GOOD]).toMatchObject({ ok: true });
    expect(o[US]).toMatchObject({ ok: true });
    expect(o[OPTED_OUT]).toMatchObject({ ok: false, reason: 'opted_out', params: { category: 'utility' } });
    const fresh = w.sandbox.messages().slice(before);
    expect(fresh.map((m) => `+${m.wa_id}`).sort()).toEqual([GOOD, US].sort());
    // The number's own contact fills the parameters: "Name0" is GOOD's first name.
    expect(fresh.find((m) => m.wa_id === GOOD.slice(1))!.rendered?.body).toContain('Name0');
  });

  it('the 24-hour budget used up: a new number is refused with the limit; input the schema refuses is only more than ten numbers', async () => {
    const tight = (await ok(w.core.call('campaigns:create', utilityDraft({ name: 'Tight', options: { rate: 1000, margin: 0.5 } })))).id;
    const used = w.core.db.prepare('SELECT count(DISTINCT phone_hash) FROM messaging_log').pluck().get() as number;
    const ins = w.core.db.prepare(
      "INSERT INTO messaging_log (phone_hash, at, category, phone_number_id, campaign_id, recipient_id) VALUES (?, ?, 'UTILITY', ?, NULL, NULL)",
    );
    const now = w.core.ctx.clock.now();
    for (let i = used; i < 1000; i++) ins.run(`filler-${i}`, now, SANDBOX_PHONE_NUMBER_ID);
    const r = await ok(w.core.call('campaigns:test-send', { id: tight, to: ['+972500000018', GOOD] }));
    // 2,000 × (1 − 0.5) = 1,000 recipients; GOOD was messaged already today, so it does not count again.
    expect(r.results[0]).toMatchObject({ ok: false, reason: 'budget', params: { limit: 1000 } });
    expect(r.results[1]).toMatchObject({ ok: true });
    const many = await w.core.call('campaigns:test-send', {
      id: tight,
      to: [Array.from({ length: 11 }, (_, i) => `+9725000001${String(i).padStart(2, '0')}`).join(', ')],
    });
    expect(many.ok).toBe(false);
    if (!many.ok) expect(many.code).toBe('bad_input');
  });

  it('a Graph error answer keeps its Graph code', async () => {
    w.sandbox.setTokenState('expired');
    try {
      const r = await ok(w.core.call('campaigns:test-send', { id: marketing, to: [GOOD] }));
      expect(r.results[0]).toMatchObject({ ok: false, reason: 'graph_error', error_code: 190, params: { code: 190 } });
    } finally {
      w.sandbox.setTokenState('valid');
    }
  });
});

describe('pacer campaign test', () => {
  const w = cliWorld(tempDataDir('pacer-test-send-cli-'));
  const { cli } = w;
  let id = '';

  beforeAll(async () => {
    await w.start({ tier: 'TIER_2K', seed: seedCases });
    const c = await cli([
      ...createArgs('Spring', 'spring_sale', 'all', { first_name: 'first_name|"there"', discount: '"20%"', end_date: '"April 30"' }),
      ...['--header-media', 'https://example.com/tents.jpg', '--json'],
    ]);
    id = (JSON.parse(c.out[0]!) as { id: string }).id;
  });
  afterAll(() => w.close());

  it("prints each number's outcome with the reason and exits 1 when any was refused", async () => {
    const r = await cli(
      ['campaign', 'test', id, '--to', '+972 50-234 5678', `${OPTED_OUT},${ERASED}`, HELD, US, NO_OPTIN, 'not-a-number'],
      1,
    );
    const lines = r.out.join('\n').split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(/^\+972502345678 {2}sent {2}wamid\./);
    expect(lines[1]).toMatch(/^\+972500000012 {2}refused opted_out — opted out of marketing messages$/);
    expect(lines[2]).toMatch(/^\+972500000013 {2}refused erased — /);
    expect(lines[3]).toMatch(/refused held_number_changed — /);
    expect(lines[4]).toMatch(/refused us_marketing_paused — /);
    expect(lines[5]).toMatch(/refused no_consent — /);
    expect(lines[6]).toMatch(/^not-a-number {2}refused invalid_number — /);
    expect(r.err.join('\n')).toMatch(/6 of 7 number\(s\) not sent/);
    expect(w.sandbox.messages().map((m) => m.wa_id)).toEqual(['972502345678']);
  });

  it('--json has the outcome per number; --i-have-consent sends to a number without opt-in; all sent exits 0', async () => {
    const r = await cli(['campaign', 'test', id, '--to', NO_OPTIN, '--i-have-consent', '--json']);
    const json = JSON.parse(r.out[0]!) as TestSendResult;
    expect(Object.keys(json.results[0]!).sort()).toEqual([
      'consent_recorded',
      'error',
      'error_code',
      'input',
      'ok',
      'params',
      'reason',
      'to',
      'wamid',
    ]);
    expect(json.results[0]).toMatchObject({ to: NO_OPTIN, ok: true, consent_recorded: true, reason: null });
  });
});
