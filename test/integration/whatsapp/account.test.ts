import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import type { FakeClock } from '../../../electron/core/clock';
import {
  DEFAULT_SCENARIO,
  SANDBOX_ACCESS_TOKEN,
  SANDBOX_APP_SECRET,
  SANDBOX_PHONE_NUMBER_ID,
  SANDBOX_PHONE_NUMBER_IDS,
  SANDBOX_WABA_ID,
  startSandbox,
  type SandboxHandle,
  type Scenario,
} from '../../../electron/core/sandbox/index';
import type { AccountStatus, ConnectErrorDetails, EventMap } from '../../../shared/contract';
import { testCore } from '../../support/core';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

function core(): Core & { clock: FakeClock } {
  const c = testCore();
  cleanup.push(() => c.close());
  return c;
}

async function sandbox(clock: FakeClock, scenario?: Scenario): Promise<SandboxHandle> {
  const sb = await startSandbox({ clock, ...(scenario ? { scenario } : {}) });
  cleanup.push(() => sb.close());
  return sb;
}

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; code: string; message: string; details?: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.code}: ${r.message} ${JSON.stringify(r.details ?? null)}`);
  return r.value;
}

const connectInput = (sb: SandboxHandle, extra: Record<string, unknown> = {}) => ({
  graphUrl: sb.baseUrl,
  wabaId: SANDBOX_WABA_ID,
  phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
  accessToken: SANDBOX_ACCESS_TOKEN,
  ...extra,
});

describe('Use Sandbox', () => {
  it('starts the emulator in-process, connects, reads the portfolio and syncs templates', async () => {
    const c = core();
    const events: (keyof EventMap)[] = [];
    c.onAny((e) => events.push(e));
    const status = await ok(c.call('account:use-sandbox', {}));
    cleanup.push(() => c.call('account:disconnect', {}));

    expect(status.connected).toBe(true);
    expect(status.connection).toMatchObject({
      mode: 'sandbox',
      apiVersion: 'v24.0',
      wabaId: SANDBOX_WABA_ID,
      phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
      verifyTokenSet: true,
    });
    expect(status.connection!.graphUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(status.token.state).toBe('valid');
    expect(status.phoneNumbers.map((n) => n.displayPhoneNumber).sort()).toEqual(['+15550100100', '+886255550100', '+97235550100']);
    expect(status.phoneNumbers.find((n) => n.primary)?.id).toBe(SANDBOX_PHONE_NUMBER_ID);
    const il = status.phoneNumbers.find((n) => n.id === SANDBOX_PHONE_NUMBER_IDS.il)!;
    expect(il).toMatchObject({ verifiedName: 'אקמי אאוטדור', qualityRating: 'YELLOW', status: 'CONNECTED' });
    expect(status.portfolio).toEqual({ messagingLimit: 'TIER_2K', limit: 2000, used24h: 0, remaining24h: 2000 });
    expect(status.canSend).toBe(true);
    expect(status.blockers).toEqual([]);
    expect(status.lastTemplateSyncAt).not.toBeNull();
    expect(status.wabas[0]!.templateCount).toBeGreaterThan(3);

    // Secrets: set, last 4 only — the values never appear in what the renderer receives.
    expect(status.secrets.accessToken).toEqual({ set: true, last4: SANDBOX_ACCESS_TOKEN.slice(-4) });
    expect(JSON.stringify(status)).not.toContain(SANDBOX_ACCESS_TOKEN);
    expect(JSON.stringify(status)).not.toContain(SANDBOX_APP_SECRET);

    const templates = await ok(c.call('templates:list', {}));
    const langs = new Set(templates.map((t) => t.language));
    for (const l of ['en_US', 'he', 'zh_TW']) expect([...langs].some((x) => x === l || x.startsWith(l))).toBe(true);
    expect(templates.some((t) => t.status === 'PAUSED')).toBe(true);
    const rejected = templates.find((t) => t.status === 'REJECTED')!;
    expect(rejected.rejectedReason).toBeTruthy();
    expect(rejected.sendable).toBe(false);
    expect(templates.some((t) => t.parameterFormat === 'NAMED' && t.variables.length > 0)).toBe(true);
    expect(templates.some((t) => t.headerFormat === 'IMAGE')).toBe(true);

    expect(events).toContain('account:changed');
    expect(events).toContain('templates:changed');
  });
});

describe('account:connect validates each field live', () => {
  it('connects with good credentials and stores no secret in the database', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    const status = await ok(c.call('account:connect', connectInput(sb, { appSecret: SANDBOX_APP_SECRET, verifyToken: 'my-verify' })));
    expect(status.connection).toMatchObject({ mode: 'live', graphUrl: sb.baseUrl });
    expect(c.ctx.secrets.get('access_token')).toBe(SANDBOX_ACCESS_TOKEN);
    expect(c.ctx.secrets.get('app_secret')).toBe(SANDBOX_APP_SECRET);
    expect(c.services.account.verifyToken()).toBe('my-verify');
    const dump =
      JSON.stringify(c.db.prepare('SELECT * FROM wa_connection').all()) + JSON.stringify(c.db.prepare('SELECT * FROM app_meta').all());
    expect(dump).not.toContain(SANDBOX_ACCESS_TOKEN);
    expect(dump).not.toContain(SANDBOX_APP_SECRET);
  });

  const failing = async (input: Record<string, unknown>, sbOpts?: Scenario) => {
    const c = core();
    const sb = await sandbox(c.clock, sbOpts);
    const r = await c.call('account:connect', connectInput(sb, input));
    if (r.ok) throw new Error('connect should have failed');
    expect((await c.call('account:status', {})).ok && !(await ok(c.call('account:status', {}))).connected).toBe(true);
    expect(c.ctx.secrets.get('access_token')).toBeNull();
    return r as { code: string; message: string; details: ConnectErrorDetails };
  };

  it('an app secret of another app → appSecret', async () => {
    const r = await failing({ appSecret: 'not-the-sandbox-app-secret' });
    expect(r.details).toMatchObject({ field: 'appSecret', reason: 'app_secret_mismatch' });
  });

  it('a wrong token → accessToken', async () => {
    const r = await failing({ accessToken: 'EAAwrongwrongwrongwrong' });
    expect(r.code).toBe('bad_input');
    expect(r.details).toMatchObject({ field: 'accessToken', reason: 'token_invalid', graphCode: 190 });
  });

  it('a wrong WABA id → wabaId', async () => {
    const r = await failing({ wabaId: '39999999999' });
    expect(r.details).toMatchObject({ field: 'wabaId', reason: 'waba_not_found' });
    expect(r.message).toMatch(/39999999999/);
  });

  it('an unknown phone number id → phoneNumberId', async () => {
    const r = await failing({ phoneNumberId: '49999999999' });
    expect(r.details).toMatchObject({ field: 'phoneNumberId', reason: 'phone_not_found' });
  });

  it('a number of another WABA → phone_not_in_waba', async () => {
    const second = {
      ...DEFAULT_SCENARIO.wabas![0]!,
      id: '3000000000000002',
      name: 'Acme Second',
      templates: [],
      phone_numbers: [
        { ...DEFAULT_SCENARIO.wabas![0]!.phone_numbers![0]!, id: '4000000000000009', display_phone_number: '+1 555-010-0199' },
      ],
    };
    const r = await failing({ phoneNumberId: '4000000000000009' }, {
      ...DEFAULT_SCENARIO,
      wabas: [...DEFAULT_SCENARIO.wabas!, second],
    } as Scenario);
    expect(r.details).toMatchObject({ field: 'phoneNumberId', reason: 'phone_not_in_waba' });
  });

  it('nothing listening → graphUrl unreachable', async () => {
    const c = core();
    const r = await c.call('account:connect', {
      graphUrl: 'http://127.0.0.1:9',
      wabaId: SANDBOX_WABA_ID,
      phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
      accessToken: SANDBOX_ACCESS_TOKEN,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.details).toMatchObject({ field: 'graphUrl', reason: 'unreachable' });
  });

  it('malformed ids are refused before any call', async () => {
    const c = core();
    const r = await c.call('account:connect', { wabaId: 'abc', phoneNumberId: '1', accessToken: 'x' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('bad_input');
  });
});

describe('several WABAs of one portfolio', () => {
  it('discovers the other WABAs and their numbers through the business', async () => {
    const c = core();
    const base = DEFAULT_SCENARIO.wabas![0]!;
    const second = {
      ...base,
      id: '3000000000000002',
      name: 'Acme Second',
      templates: [base.templates![0]!].map((t) => ({ ...t, id: '5000000000000099', name: 'second_waba_hello' })),
      phone_numbers: [{ ...base.phone_numbers![0]!, id: '4000000000000009', display_phone_number: '+1 555-010-0199' }],
    };
    const sb = await sandbox(c.clock, { ...DEFAULT_SCENARIO, wabas: [base, second] } as Scenario);
    const status = await ok(c.call('account:connect', connectInput(sb)));
    expect(status.wabas.map((w) => w.id).sort()).toEqual([SANDBOX_WABA_ID, '3000000000000002']);
    expect(status.phoneNumbers.map((n) => n.id)).toContain('4000000000000009');
    const t = await ok(c.call('templates:list', { wabaId: '3000000000000002' }));
    expect(t.map((x) => x.name)).toEqual(['second_waba_hello']);
  });
});

describe('token expiry (190)', () => {
  it('is flagged from any call, blocks sending, and clears on reconnect', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    const changes: AccountStatus[] = [];
    c.on('account:changed', (s) => changes.push(s));

    sb.setTokenState('expired');
    const r = await c.call('templates:sync', {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('forbidden');
      expect(r.details).toMatchObject({ graphCode: 190, errorClass: 'halt_account' });
    }
    const status = await ok(c.call('account:status', {}));
    expect(status.token).toMatchObject({ state: 'expired', errorCode: 190 });
    expect(status.token.message).toMatch(/expired/i);
    expect(status.canSend).toBe(false);
    expect(status.blockers).toContain('token_expired');
    expect(c.services.account.canSend()).toEqual({ ok: false, blockers: ['token_expired'] });
    expect(changes.some((s) => s.token.state === 'expired')).toBe(true);

    sb.setTokenState('valid');
    const again = await ok(c.call('account:connect', connectInput(sb)));
    expect(again.token.state).toBe('valid');
    expect(again.canSend).toBe(true);
  });
});

describe('sending client', () => {
  it('does not retry, and a 190 from a send blocks further sending', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    const { account } = c.services;
    const client = account.sendingClient();
    expect(account.sendingClient()).toBe(client);
    const sent = await client.sendTemplate(SANDBOX_PHONE_NUMBER_ID, {
      to: '+972541230000',
      name: 'order_update',
      language: 'en_US',
      components: [
        { type: 'header', parameters: [{ type: 'text', text: 'A1' }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Dana' },
            { type: 'text', text: 'A1' },
            { type: 'text', text: 'Friday' },
          ],
        },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A1' }] },
      ],
    });
    expect(sent.wamid).toMatch(/^wamid\./);
    sb.setTokenState('revoked');
    const err = await client
      .sendTemplate(SANDBOX_PHONE_NUMBER_ID, { to: '+972541230001', name: 'order_update', language: 'en_US' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 190, errorClass: 'halt_account' });
    expect(account.canSend()).toEqual({ ok: false, blockers: ['token_expired'] });
    expect((await ok(c.call('account:status', {}))).token.message).toMatch(/invalidated/);
  });
});

describe('connecting another account', () => {
  it('lists only the templates of the connected portfolio', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    const first = await ok(c.call('templates:list', {}));
    const other = {
      ...DEFAULT_SCENARIO.wabas![0]!,
      id: '3000000000000007',
      name: 'Other',
      templates: [{ ...DEFAULT_SCENARIO.wabas![0]!.templates![0]!, id: '5000000000000077', name: 'other_hello' }],
      phone_numbers: [
        { ...DEFAULT_SCENARIO.wabas![0]!.phone_numbers![0]!, id: '4000000000000077', display_phone_number: '+1 555-010-0177' },
      ],
    };
    const sb2 = await sandbox(c.clock, {
      ...DEFAULT_SCENARIO,
      business: { ...DEFAULT_SCENARIO.business!, id: '2000000000000007' },
      wabas: [other],
    } as Scenario);
    await ok(
      c.call('account:connect', {
        graphUrl: sb2.baseUrl,
        wabaId: '3000000000000007',
        phoneNumberId: '4000000000000077',
        accessToken: SANDBOX_ACCESS_TOKEN,
      }),
    );
    expect((await ok(c.call('templates:list', {}))).map((t) => t.name)).toEqual(['other_hello']);
    expect(c.services.templates.getTemplate(first[0]!.name, first[0]!.language)).toBeNull(); // not this account's
    const s = await ok(c.call('account:status', {}));
    expect(s.wabas.map((w) => w.id)).toEqual(['3000000000000007']);
    expect(s.phoneNumbers.map((n) => n.id)).toEqual(['4000000000000077']);
    await ok(c.call('account:disconnect', {}));
    expect((await ok(c.call('templates:list', {}))).length).toBe(first.length + 1); // kept for history
  });
});

describe('subscribed apps and the management budget', () => {
  it('subscribes the app to the WABA and reads it back; an active WABA gets the larger hourly budget', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    const client = c.services.account.client();
    expect(client.limiter.limitPerHour).toBe(4_500); // 90% of 5,000: the WABA has a CONNECTED number
    expect(await client.subscribeApp(SANDBOX_WABA_ID)).toBe(true);
    expect(await client.getSubscribedApps(SANDBOX_WABA_ID)).toEqual([{ id: sb.credentials.appId, name: expect.any(String) }]);
    expect(client.limiter.used()).toBeGreaterThan(0);
  });
});

describe('template sync', () => {
  it('follows cursor paging through hundreds of templates', async () => {
    const pages: string[] = [];
    const counting = ((input: string, init?: RequestInit) => {
      const u = new URL(String(input));
      if (u.pathname.endsWith('/message_templates')) pages.push(u.searchParams.get('after') ?? 'first');
      return globalThis.fetch(input, init);
    }) as typeof fetch;
    const c = testCore({ fetch: counting });
    cleanup.push(() => c.close());
    const sb = await sandbox(c.clock);
    for (let i = 0; i < 230; i++) {
      sb.addTemplate({
        name: `bulk_${String(i).padStart(3, '0')}`,
        language: 'en_US',
        status: 'APPROVED',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: `Bulk ${i} for {{1}}`, example: { body_text: [['x']] } }],
      });
    }
    await ok(c.call('account:connect', connectInput(sb)));
    const bulk = await ok(c.call('templates:list', { search: 'bulk_' }));
    expect(bulk).toHaveLength(230);
    expect(bulk[0]!.variables).toEqual(['1']);
    expect(pages.length).toBeGreaterThanOrEqual(3); // 100 per page
    expect(pages[0]).toBe('first');
    expect(new Set(pages).size).toBe(pages.length);
  });

  it('records status and quality changes from syncs and webhooks in the history', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    const { templates } = c.services;
    const target = (await ok(c.call('templates:list', { status: 'APPROVED', language: 'en' })))[0]!;

    await c.clock.advance(60_000);
    sb.setTemplateQuality(target.name, target.language, 'YELLOW');
    const sync = await ok(c.call('templates:sync', {}));
    expect(sync.updated).toBeGreaterThanOrEqual(1);
    expect(sync.templates.find((t) => t.id === target.id)!.quality).toBe('YELLOW');

    await c.clock.advance(60_000);
    templates.applyTemplateStatusUpdate({
      wabaId: SANDBOX_WABA_ID,
      time: c.clock.now(),
      event: 'PAUSED',
      value: {
        event: 'PAUSED',
        message_template_id: Number(target.id),
        message_template_name: target.name,
        message_template_language: target.language.replace('_', '-'),
        reason: 'NONE',
        other_info: { title: 'FIRST_PAUSE', description: 'paused 3 h' },
      },
    });
    // The same event again (Meta retries) changes nothing.
    templates.applyTemplateStatusUpdate({
      wabaId: SANDBOX_WABA_ID,
      time: c.clock.now(),
      event: 'PAUSED',
      value: {
        event: 'PAUSED',
        message_template_id: Number(target.id),
        message_template_name: target.name,
        message_template_language: target.language,
        reason: 'NONE',
        other_info: { title: 'FIRST_PAUSE' },
      },
    });
    // An older event arriving late does not roll the status back.
    templates.applyTemplateStatusUpdate({
      wabaId: SANDBOX_WABA_ID,
      time: c.clock.now() - 30_000,
      event: 'APPROVED',
      value: {
        event: 'APPROVED',
        message_template_id: Number(target.id),
        message_template_name: target.name,
        message_template_language: target.language,
      },
    });

    const detail = await ok(c.call('templates:get', { id: target.id }));
    expect(detail.status).toBe('PAUSED');
    expect(detail.sendable).toBe(false);
    const kinds = detail.history.map((h) => `${h.kind}:${h.from ?? ''}>${h.to ?? ''}:${h.source}`);
    expect(kinds).toContain('status:APPROVED>PAUSED:webhook');
    expect(kinds).toContain(`quality:${target.quality}>YELLOW:sync`);
    expect(kinds.at(-1)).toBe('created:>APPROVED:sync');
    expect(detail.history.filter((h) => h.to === 'PAUSED')).toHaveLength(1);
    expect(detail.history.find((h) => h.to === 'PAUSED')!.reason).toBe('FIRST_PAUSE');

    const byName = await ok(c.call('templates:get', { name: target.name, language: target.language.replace('_', '-') }));
    expect(byName.id).toBe(target.id);
    expect(templates.getTemplate(target.name, target.language)?.status).toBe('PAUSED');

    // Deleted, then a review's "rejected" of the same second arrives late: the template stays deleted.
    const statusEvent = (event: string, time: number) =>
      templates.applyTemplateStatusUpdate({
        wabaId: SANDBOX_WABA_ID,
        time,
        event,
        value: {
          event,
          message_template_id: Number(target.id),
          message_template_name: target.name,
          message_template_language: target.language,
        },
      });
    statusEvent('DELETED', c.clock.now());
    statusEvent('REJECTED', c.clock.now() - 500);
    expect((await ok(c.call('templates:get', { id: target.id }))).status).toBe('DELETED');
  });

  it('marks templates Meta no longer returns as deleted, keeping their history', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    const before = await ok(c.call('templates:list', {}));
    sb.setTemplateStatus(before[0]!.name, before[0]!.language, 'DELETED');
    const sync = await ok(c.call('templates:sync', {}));
    const gone = await ok(c.call('templates:get', { id: before[0]!.id }));
    expect(gone.status).toBe('DELETED');
    expect(sync.templates.find((t) => t.id === before[0]!.id)).toBeUndefined();
    expect((await ok(c.call('templates:list', { includeDeleted: true }))).some((t) => t.id === before[0]!.id)).toBe(true);
  });

  it('filters by status, category, language and search', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    const all = await ok(c.call('templates:list', {}));
    const approved = await ok(c.call('templates:list', { status: 'APPROVED' }));
    expect(approved.length).toBeGreaterThan(0);
    expect(approved.every((t) => t.status === 'APPROVED')).toBe(true);
    const he = await ok(c.call('templates:list', { language: 'he' }));
    expect(he.length).toBeGreaterThan(0);
    expect(he.every((t) => t.language.startsWith('he'))).toBe(true);
    const marketingOrUtility = await ok(c.call('templates:list', { category: ['MARKETING', 'UTILITY'] }));
    expect(marketingOrUtility.every((t) => t.category === 'MARKETING' || t.category === 'UTILITY')).toBe(true);
    const first = all[0]!;
    expect((await ok(c.call('templates:list', { search: first.name.toUpperCase() }))).map((t) => t.id)).toContain(first.id);
    expect(await ok(c.call('templates:list', { search: '100%_no_such' }))).toEqual([]);
  });
});

describe('management rate limits against the emulator', () => {
  it('backs off on 80007 and does not call again until the back-off is over', async () => {
    const c = core();
    const sb = await sandbox(c.clock, {
      ...DEFAULT_SCENARIO,
      limits: { ...DEFAULT_SCENARIO.limits, management_calls_per_hour: 6 },
    } as Scenario);
    await ok(c.call('account:connect', connectInput(sb)));
    let r = await c.call('templates:sync', {});
    for (let i = 0; i < 5 && r.ok; i++) r = await c.call('templates:sync', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.details).toMatchObject({ graphCode: 80007, errorClass: 'retry_soon' });
    const rejections = sb.stats().limits.management_rate_rejections;
    expect(rejections).toBe(1);

    // Within the back-off Pacer does not even ask.
    const again = await c.call('templates:sync', {});
    expect(again.ok).toBe(false);
    expect(sb.stats().limits.management_rate_rejections).toBe(1);
    const status = await ok(c.call('account:status', {}));
    expect(status.lastError).toMatchObject({ graphCode: 80007 });

    await c.clock.advance(3_600_000);
    await ok(c.call('templates:sync', {}));
    expect((await ok(c.call('account:status', {}))).lastError).toBeNull();
  });
});

describe('account health history and webhooks', () => {
  it('keeps a snapshot per change for the chart, and applies limit upgrades from webhooks', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    await c.clock.advance(3_600_000);
    sb.setPhoneNumber(SANDBOX_PHONE_NUMBER_IDS.il, { quality_rating: 'RED' });
    await ok(c.call('account:refresh', {}));
    await c.clock.advance(3_600_000);
    await ok(c.call('account:refresh', {})); // nothing changed: no new point

    const h = await ok(c.call('account:history', { phoneNumberId: SANDBOX_PHONE_NUMBER_IDS.il }));
    expect(h.numbers.map((p) => p.qualityRating)).toEqual(['YELLOW', 'RED']);
    expect(h.portfolio[0]).toMatchObject({ messagingLimit: 'TIER_2K', source: 'refresh' });

    c.services.account.applyBusinessCapabilityUpdate({
      wabaId: SANDBOX_WABA_ID,
      time: c.clock.now(),
      event: null,
      value: { max_daily_conversations_per_business: 10000 },
    });
    const s = await ok(c.call('account:status', {}));
    expect(s.portfolio).toMatchObject({ messagingLimit: 'TIER_10K', limit: 10000, remaining24h: 10000 });
    expect((await ok(c.call('account:history', {}))).portfolio.at(-1)).toMatchObject({ messagingLimit: 'TIER_10K', source: 'webhook' });
  });

  it('takes the 24-hour usage from the provider campaigns plug in', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    c.services.account.setRecipientUsageProvider(() => 1_500);
    expect((await ok(c.call('account:status', {}))).portfolio).toEqual({
      messagingLimit: 'TIER_2K',
      limit: 2000,
      used24h: 1500,
      remaining24h: 500,
    });
    c.services.account.setRecipientUsageProvider(() => 2_400);
    expect((await ok(c.call('account:status', {}))).portfolio.remaining24h).toBe(0);
  });

  it('an account ban blocks sending until reinstated', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    const { account } = c.services;
    account.applyAccountUpdate({
      wabaId: SANDBOX_WABA_ID,
      time: c.clock.now(),
      event: 'DISABLED_UPDATE',
      value: { event: 'DISABLED_UPDATE', ban_info: { waba_ban_state: 'DISABLE' } },
    });
    expect(account.canSend()).toEqual({ ok: false, blockers: ['account_restricted'] });
    account.applyAccountUpdate({
      wabaId: SANDBOX_WABA_ID,
      time: c.clock.now(),
      event: 'DISABLED_UPDATE',
      value: { event: 'DISABLED_UPDATE', ban_info: { waba_ban_state: 'REINSTATE' } },
    });
    expect(account.canSend().ok).toBe(true);
  });
});

describe('business profile', () => {
  it("reads and updates a number's profile through the API", async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    const p = await ok(c.call('account:profile-get', {}));
    expect(p).toMatchObject({
      phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
      about: 'Gear for every trail.',
      vertical: 'RETAIL',
      websites: ['https://acme-outdoor.example'],
    });
    const updated = await ok(
      c.call('account:profile-update', {
        phoneNumberId: SANDBOX_PHONE_NUMBER_IDS.il,
        about: 'ציוד לכל שביל ולכל מזג אוויר',
        websites: ['https://acme.example/he'],
      }),
    );
    expect(updated).toMatchObject({
      phoneNumberId: SANDBOX_PHONE_NUMBER_IDS.il,
      about: 'ציוד לכל שביל ולכל מזג אוויר',
      websites: ['https://acme.example/he'],
    });
    const r = await c.call('account:profile-get', { phoneNumberId: '123456789' });
    expect(r.ok).toBe(false);
  });

  it('uploads a new profile photo through the resumable upload API', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    const file = path.join(os.tmpdir(), `pacer-photo-${process.pid}.png`);
    fs.writeFileSync(
      file,
      Buffer.from(
        '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5e4c8a20000000049454e44ae426082',
        'hex',
      ),
    );
    cleanup.push(async () => fs.rmSync(file, { force: true }));
    const staged = c.ctx.files.stagePath(file);
    const p = await ok(c.call('account:profile-update', { photoFileId: staged.fileId }));
    expect(p.profilePictureUrl).toMatch(/^https:\/\//);

    fs.writeFileSync(file, 'not an image');
    const bad = c.ctx.files.stagePath(file);
    const r = await c.call('account:profile-update', { photoFileId: bad.fileId });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/JPEG or PNG/);
  });
});

describe('webhook router wiring', () => {
  it('createCore subscribes the template and account appliers on the webhook router, once each', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    const router = c.services.webhooks.router;
    const [tpl] = await ok(c.call('templates:list', { status: 'APPROVED' }));
    await c.clock.advance(1_000);
    const handler = router.handlers('template_quality')[0]!;
    expect(handler.name).toBe('whatsapp:template_quality');
    await handler.fn({
      type: 'template_quality',
      key: 'k1',
      field: 'message_template_quality_update',
      wabaId: SANDBOX_WABA_ID,
      phoneNumberId: null,
      displayPhoneNumber: null,
      time: c.clock.now(),
      event: null,
      value: {
        previous_quality_score: 'GREEN',
        new_quality_score: 'RED',
        message_template_id: Number(tpl!.id),
        message_template_name: tpl!.name,
        message_template_language: tpl!.language,
      },
    });
    expect((await ok(c.call('templates:get', { id: tpl!.id }))).quality).toBe('RED');
    for (const t of [
      'template_status',
      'template_category',
      'template_components',
      'phone_quality',
      'business_capability',
      'account_update',
    ] as const) {
      // Exactly one template/account applier per event (other domains, e.g. marketing notices, may listen too).
      expect(
        router
          .handlers(t)
          .filter((h) => h.name.startsWith('whatsapp:'))
          .map((h) => h.name),
      ).toEqual([`whatsapp:${t}`]);
    }
  });
});

describe('account:disconnect', () => {
  it('forgets the connection (and with forgetSecrets the vault) but keeps templates and history', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb, { appSecret: SANDBOX_APP_SECRET })));
    const before = await ok(c.call('templates:list', {}));
    const s = await ok(c.call('account:disconnect', { forgetSecrets: true }));
    expect(s).toMatchObject({
      connected: false,
      connection: null,
      phoneNumbers: [],
      wabas: [],
      canSend: false,
      blockers: ['not_connected'],
    });
    expect(s.secrets).toEqual({ accessToken: { set: false, last4: null }, appSecret: { set: false, last4: null } });
    expect(await ok(c.call('templates:list', {}))).toHaveLength(before.length);
    const r = await c.call('templates:sync', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('unavailable');
  });
});

describe('background sync', () => {
  it('syncs templates on start and every 15 minutes, within the management budget', async () => {
    const c = core();
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    const { backgroundSync } = c.services;
    const syncs: number[] = [];
    c.on('account:changed', (s) => {
      if (s.lastTemplateSyncAt && !syncs.includes(s.lastTemplateSyncAt)) syncs.push(s.lastTemplateSyncAt);
    });
    const start = c.clock.now();
    // Runs land exactly at the end of each advance, so no fake-time passes while their (real) HTTP is in flight.
    backgroundSync.start({ firstDelayMs: 15 * 60_000, accountEveryMs: 15 * 60_000 });
    sb.setTemplateStatus('loyalty_points', 'en_US', 'APPROVED');
    for (let i = 0; i < 4; i++) {
      const seen = syncs.length;
      await c.clock.advance(15 * 60_000);
      // The sync's HTTP round trips are real: wait (in real time) for this tick's sync to land.
      for (let t = 0; t < 200 && syncs.length === seen; t++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 20)); // and for the next run to be scheduled
    }
    expect(syncs.length).toBeGreaterThanOrEqual(3);
    expect(syncs[0]! - start).toBe(15 * 60_000);
    expect(syncs[1]! - syncs[0]!).toBe(15 * 60_000);
    expect(c.services.templates.getTemplate('loyalty_points', 'en_US')?.status).toBe('APPROVED');
  });
});

describe('concurrent syncs', () => {
  it('share one run: three callers, one pass over the API', async () => {
    const calls: string[] = [];
    const counting = ((input: string, init?: RequestInit) => {
      if (new URL(String(input)).pathname.endsWith('/message_templates')) calls.push(String(input));
      return globalThis.fetch(input, init);
    }) as typeof fetch;
    const c = testCore({ fetch: counting });
    cleanup.push(() => c.close());
    const sb = await sandbox(c.clock);
    await ok(c.call('account:connect', connectInput(sb)));
    calls.length = 0;
    const results = await Promise.all([c.call('templates:sync', {}), c.call('templates:sync', {}), c.call('templates:sync', {})]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(calls).toHaveLength(1);
  });
});
