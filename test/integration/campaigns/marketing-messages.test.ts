/**
 * Marketing Messages API routing (issue 13 §1), end to end: the campaign sender and the test send
 * route MARKETING templates to POST /{phone-number-id}/marketing_messages and everything else to
 * /messages — against the Sandbox, and against an outside strict fake (a proxy in this test that
 * accepts only the documented shape of each endpoint before passing the request on). A category
 * change completed mid-campaign switches the endpoint for the next send.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/index';
import { silentLogger } from '../../../electron/core/log';
import { MemoryVault } from '../../../electron/core/secrets/vault';
import { MemorySettingsStore } from '../../../electron/core/settings/store';
import { SANDBOX_PHONE_NUMBER_ID, SANDBOX_WABA_ID, startSandbox } from '../../../electron/core/sandbox/index';
import { tempDataDir } from '../../support/harness';
import { ok, phoneOf, runUntilDone, scenario, utilityDraft, type World } from './helpers';
import type { Core } from '../../../electron/core/index';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const marketingDraft = (rate = 1000) =>
  utilityDraft({
    name: 'Flash sale',
    template: { name: 'spring_sale', language: 'en_US' },
    params: { first_name: 'first_name', discount: '"20%"', end_date: '"April 30"' },
    header_media: { link: 'https://example.test/tent.jpg' },
    options: { rate, retry_131049: 0 },
  });

/** Contacts opted in to marketing AND utility messages (a campaign may change category under them). */
function seedBoth(core: Core, n: number, from = 0): void {
  const db = core.db;
  const now = core.ctx.clock.now();
  db.transaction(() => {
    for (let i = from; i < from + n; i++) {
      const id = Number(
        db
          .prepare('INSERT INTO contacts (phone, first_name, name, country, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(phoneOf(i), `N${i}`, `N${i}`, 'IL', now, now).lastInsertRowid,
      );
      for (const cat of ['marketing', 'utility']) {
        const e = Number(
          db
            .prepare(
              "INSERT INTO consent_events (contact_id, category, state, source, source_detail, actor, at) VALUES (?, ?, 'opted_in', 'import', 'fixture', 'test', ?)",
            )
            .run(id, cat, now).lastInsertRowid,
        );
        db.prepare("INSERT INTO consent_state (contact_id, category, state, updated_at, event_id) VALUES (?, ?, 'opted_in', ?, ?)").run(
          id,
          cat,
          now,
          e,
        );
      }
    }
  })();
}

interface FakeLog {
  path: string;
  endpoint: 'messages' | 'marketing_messages';
  template: string;
  body: Record<string, unknown>;
}

/**
 * The outside strict fake: in front of the sandbox, it checks every send against the documented
 * shape (Meta "Route template messages by category"; §11 of the reference) and refuses anything
 * else with a Graph error 100, without passing it on:
 * - /messages and /marketing_messages take exactly messaging_product, recipient_type, to, type,
 *   template {name, language {code, policy}, components?}, biz_opaque_callback_data?;
 * - /marketing_messages also takes product_policy (STRICT | CLOUD_API_FALLBACK), and only MARKETING templates;
 * - /messages never takes product_policy.
 * Everything that is not a send (connect, template sync) is passed through unchanged.
 */
async function strictFake(
  target: string,
  categoryOf: (name: string) => string,
): Promise<{ url: string; log: FakeLog[]; refused: string[]; close(): Promise<void> }> {
  const log: FakeLog[] = [];
  const refused: string[] = [];
  const SEND_KEYS = new Set(['messaging_product', 'recipient_type', 'to', 'type', 'template', 'biz_opaque_callback_data']);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const m = /^\/v[\d.]+\/(\d+)\/(messages|marketing_messages)$/.exec(req.url ?? '');
      const refuse = (why: string) => {
        refused.push(why);
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: `(#100) ${why}`, type: 'OAuthException', code: 100 } }));
      };
      if (m && req.method === 'POST') {
        const endpoint = m[2] as FakeLog['endpoint'];
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        } catch {
          return refuse('body is not JSON');
        }
        for (const k of Object.keys(body)) {
          if (SEND_KEYS.has(k)) continue;
          if (k === 'product_policy' && endpoint === 'marketing_messages' && ['STRICT', 'CLOUD_API_FALLBACK'].includes(String(body[k])))
            continue;
          return refuse(`unexpected field ${k} on /${endpoint}`);
        }
        if (body.messaging_product !== 'whatsapp' || body.recipient_type !== 'individual' || body.type !== 'template')
          return refuse('not a template message');
        if (typeof body.to !== 'string' || !/^\+\d{7,15}$/.test(body.to)) return refuse('to must be an international number with +');
        const t = body.template as { name?: unknown; language?: { code?: unknown; policy?: unknown }; components?: unknown } | undefined;
        if (!t || typeof t.name !== 'string' || typeof t.language?.code !== 'string' || t.language.policy !== 'deterministic')
          return refuse('template.name / language.code / language.policy');
        for (const k of Object.keys(t))
          if (!['name', 'language', 'components'].includes(k)) return refuse(`unexpected template field ${k}`);
        if (endpoint === 'marketing_messages' && categoryOf(t.name) !== 'MARKETING') return refuse(`${t.name} is not a MARKETING template`);
        log.push({ path: req.url!, endpoint, template: t.name, body });
      }
      const up = http.request(
        `${target}${req.url}`,
        { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      up.end(raw);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    refused,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A core connected to `graphUrl` (the sandbox or the fake in front of it), webhooks from the sandbox. */
async function setup(opts: { viaFake?: boolean; strict?: boolean } = {}) {
  const sandbox = await startSandbox({ seed: 7, scenario: scenario() });
  closers.push(() => sandbox.close());
  const categories = new Map(sandbox.scenario.wabas.flatMap((w) => w.templates.map((t) => [t.name, t.category] as const)));
  // The fake's view of the categories follows the sandbox's admin changes made through `recategorise`.
  const fake = opts.viaFake ? await strictFake(sandbox.baseUrl, (n) => categories.get(n) ?? 'UNKNOWN') : null;
  if (fake) closers.push(() => fake.close());
  const settings = new MemorySettingsStore();
  if (opts.strict) settings.update({ mmStrict: true });
  const core = createCore({ dataDir: tempDataDir('pacer-mm-'), host: 'cli', secrets: new MemoryVault(), settings, log: silentLogger });
  await ok(
    core.call('account:connect', {
      graphUrl: fake?.url ?? sandbox.baseUrl,
      wabaId: SANDBOX_WABA_ID,
      phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
      accessToken: sandbox.credentials.accessToken,
      appSecret: sandbox.credentials.appSecret,
    }),
  );
  // Webhook handlers (the MM API's included) are attached by createCore (compose.ts).
  await core.services.templates.sync();
  const receiver = await core.services.webhooks.start({ port: 0, relay: false });
  sandbox.setWebhook({ url: receiver.url });
  const campaigns = core.services.campaigns;
  closers.push(async () => {
    await campaigns.stopEngine();
    await receiver.close();
    await core.close();
  });
  const w = { core, sandbox, campaigns, receiver, dataDir: '', close: async () => undefined } as World;
  const admin = async (path: string, body?: unknown) => {
    const r = await fetch(
      `${sandbox.baseUrl}/__admin/${path}`,
      body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    return (await r.json()) as Record<string, unknown>;
  };
  const recategorise = async (name: string, language: string, category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION') => {
    categories.set(name, category);
    await admin('templates/category', { name, language, category });
  };
  return { w, core, sandbox, fake, admin, recategorise };
}

const endpointsOf = async (admin: (p: string) => Promise<Record<string, unknown>>, wamids: readonly string[]) => {
  const by = (await admin('marketing')).by_wamid as Record<string, string>;
  return wamids.map((id) => by[id]);
};

async function wamidsOf(core: Core, id: string): Promise<string[]> {
  const page = await ok(core.call('campaigns:recipients', { id, limit: 500 }));
  return page.rows.map((r) => r.wamid).filter((x): x is string => !!x);
}

describe('Marketing Messages API routing', () => {
  for (const viaFake of [false, true]) {
    it(`MARKETING templates go to /marketing_messages, UTILITY ones to /messages (${viaFake ? 'outside strict fake' : 'Sandbox'})`, async () => {
      const { core, w, fake, admin } = await setup({ viaFake });
      seedBoth(core, 12);
      const mk = await ok(core.call('campaigns:create', marketingDraft()));
      await ok(core.call('campaigns:start', { id: mk.id }));
      expect((await runUntilDone(w, mk.id)).counts).toMatchObject({ failed: 0, uncertain: 0 });
      const ut = await ok(core.call('campaigns:create', utilityDraft()));
      await ok(core.call('campaigns:start', { id: ut.id }));
      expect((await runUntilDone(w, ut.id)).counts).toMatchObject({ failed: 0, uncertain: 0 });
      const mkIds = await wamidsOf(core, mk.id);
      const utIds = await wamidsOf(core, ut.id);
      expect(mkIds).toHaveLength(12);
      expect(utIds).toHaveLength(12);
      expect(new Set(await endpointsOf(admin, mkIds))).toEqual(new Set(['marketing_messages']));
      expect(new Set(await endpointsOf(admin, utIds))).toEqual(new Set(['messages']));
      if (fake) {
        expect(fake.refused).toEqual([]);
        expect(fake.log.filter((l) => l.template === 'spring_sale').every((l) => l.endpoint === 'marketing_messages')).toBe(true);
        expect(fake.log.filter((l) => l.template === 'appointment_reminder').every((l) => l.endpoint === 'messages')).toBe(true);
        // One request per message (a send refused for the rate, 130429, is tried again: count messages).
        expect(new Set(fake.log.map((l) => l.body.biz_opaque_callback_data)).size).toBe(24);
      }
      // A test send is routed the same way.
      const ts = (await ok(core.call('campaigns:test-send', { id: mk.id, to: [phoneOf(0)] } as never))) as unknown as
        { results?: { wamid: string | null }[] } | { wamid: string | null }[];
      const tsIds = (Array.isArray(ts) ? ts : (ts.results ?? [])).map((r) => r.wamid).filter((x): x is string => !!x);
      expect(await endpointsOf(admin, tsIds)).toEqual(tsIds.map(() => 'marketing_messages'));
    }, 60_000);

    it(`a category change completed mid-campaign switches the endpoint for the next send (${viaFake ? 'outside strict fake' : 'Sandbox'})`, async () => {
      const { core, w, fake, admin, recategorise } = await setup({ viaFake });
      seedBoth(core, 40);
      const c = await ok(core.call('campaigns:create', marketingDraft(5)));
      await ok(core.call('campaigns:start', { id: c.id }));
      w.campaigns.startEngine();
      // Let a few go out as MARKETING, then Meta completes a change to UTILITY.
      for (let i = 0; i < 800 && (await wamidsOf(core, c.id)).length < 5; i++) await new Promise((r) => setTimeout(r, 25));
      // The user pauses (a send racing Meta's change could reach /marketing_messages after Meta
      // re-categorised but before its webhook reached Pacer: a known limit, docs/whatsapp.md).
      await ok(core.call('campaigns:pause', { id: c.id }));
      await recategorise('spring_sale', 'en_US', 'UTILITY');
      for (let i = 0; i < 800; i++) {
        const t = await ok(core.call('templates:get', { name: 'spring_sale', language: 'en_US' }));
        if (t.category === 'UTILITY') break;
        await new Promise((r) => setTimeout(r, 25));
      }
      // Resuming continues under the new category — and on the new endpoint. (Had it kept running,
      // the sender would have paused it itself: its consent checks were for MARKETING.)
      await new Promise((r) => setTimeout(r, 300));
      const before = new Set(await wamidsOf(core, c.id));
      expect(w.campaigns.get(c.id).state).toBe('paused');
      await ok(core.call('campaigns:resume', { id: c.id }));
      const done = await runUntilDone(w, c.id);
      expect(done.counts).toMatchObject({ failed: 0, uncertain: 0 });
      const all = await wamidsOf(core, c.id);
      const after = all.filter((id) => !before.has(id));
      expect(before.size).toBeGreaterThanOrEqual(5);
      expect(after.length).toBeGreaterThan(0);
      expect(before.size + after.length).toBe(40);
      const eBefore = await endpointsOf(admin, [...before]);
      expect(eBefore.filter((e) => e === 'marketing_messages').length).toBeGreaterThanOrEqual(5);
      expect(new Set(await endpointsOf(admin, after))).toEqual(new Set(['messages']));
      if (fake) expect(fake.refused).toEqual([]);
    }, 60_000);
  }

  it('strict mode: a portfolio without the MM API terms is refused, the campaign pauses with mm_strict_refused, the terms state is learnt; accepting them lets it finish', async () => {
    const { core, w, admin } = await setup({ strict: true });
    seedBoth(core, 6);
    const c = await ok(core.call('campaigns:create', marketingDraft()));
    await ok(core.call('campaigns:start', { id: c.id }));
    const paused = await runUntilDone(w, c.id);
    expect(paused.state).toBe('paused');
    expect(paused.pause_reason).toBe('mm_strict_refused');
    expect(paused.counts.failed).toBe(0);
    expect(await ok(core.call('marketing:status', {}))).toMatchObject({
      strict: true,
      terms: { state: 'not_accepted', source: 'strict_refusal' },
    });
    expect((await admin('marketing')).strict_refusals).toBeGreaterThan(0);
    // The portfolio accepts the terms: Meta's account_update MM_LITE_TERMS_SIGNED reaches Pacer.
    await admin('marketing/terms', { accepted: true });
    for (let i = 0; i < 800; i++) {
      const s = await ok(core.call('marketing:status', {}));
      if (s.terms?.state === 'accepted') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(await ok(core.call('marketing:status', {}))).toMatchObject({ terms: { state: 'accepted', source: 'webhook' } });
    await ok(core.call('campaigns:resume', { id: c.id }));
    const done = await runUntilDone(w, c.id);
    expect(done.state).toBe('completed');
    expect(done.counts.failed).toBe(0);
    expect(new Set(await endpointsOf(admin, await wamidsOf(core, c.id)))).toEqual(new Set(['marketing_messages']));
  }, 60_000);

  it('an impending category change is only a warning: routing keeps the current category until Meta completes it', async () => {
    const { core, admin, recategorise } = await setup();
    await admin('marketing/category-notice', { name: 'spring_sale', language: 'en_US', category: 'UTILITY', in_ms: 86_400_000 });
    let notices: unknown[] = [];
    for (let i = 0; i < 800 && notices.length === 0; i++) {
      notices = (await ok(core.call('marketing:status', {}))).notices;
      if (!notices.length) await new Promise((r) => setTimeout(r, 25));
    }
    expect(notices).toMatchObject([{ name: 'spring_sale', language: 'en_US', currentCategory: 'MARKETING', correctCategory: 'UTILITY' }]);
    expect((await ok(core.call('templates:get', { name: 'spring_sale', language: 'en_US' }))).category).toBe('MARKETING');
    await recategorise('spring_sale', 'en_US', 'UTILITY');
    for (let i = 0; i < 800 && notices.length > 0; i++) {
      notices = (await ok(core.call('marketing:status', {}))).notices;
      if (notices.length) await new Promise((r) => setTimeout(r, 25));
    }
    expect(notices).toEqual([]);
  }, 30_000);
});
