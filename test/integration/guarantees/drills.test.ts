/**
 * One drill per way the sending promise used to break (issue: "sending guarantees under any
 * timing"), each against the Sandbox on 127.0.0.1 with the real core; the model-based drill
 * (send-model.test.ts) then mixes them at random.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/index';
import { silentLogger } from '../../../electron/core/log';
import { SANDBOX_PHONE_NUMBER_ID, SANDBOX_WABA_ID, startSandbox } from '../../../electron/core/sandbox/index';
import { tempDataDir } from '../../support/harness';
import { buildCli, freePort, spawnRun } from '../campaigns/drill-support';
import { ok, phoneOf, scenario, seedContacts, utilityDraft, world, type World } from '../campaigns/helpers';

let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(fn: () => T | Promise<T>, pred: (v: T) => boolean, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (pred(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await sleep(25);
  }
}

describe('sending guarantees: one drill per broken promise', () => {
  it('Ctrl+C on `pacer run` while Meta answers slowly (over the 10-s grace): nothing is sent twice; the in-flight sends end uncertain and webhooks settle them', async () => {
    const cli = await buildCli();
    const port = await freePort();
    const sb = await startSandbox({
      seed: 21,
      scenario: scenario({ tier: 'TIER_100K', mps: 1000 }),
      webhookUrl: `http://127.0.0.1:${port}/webhook`,
    });
    try {
      const dataDir = tempDataDir('pacer-slow-stop-');
      const setup = createCore({ dataDir, host: 'cli', log: silentLogger });
      await ok(
        setup.call('account:connect', {
          graphUrl: sb.baseUrl,
          wabaId: SANDBOX_WABA_ID,
          phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
          accessToken: sb.credentials.accessToken,
          appSecret: sb.credentials.appSecret,
        }),
      );
      await setup.services.templates.sync();
      seedContacts(setup, 40, { consent: 'utility' });
      const c = await ok(setup.call('campaigns:create', utilityDraft({ name: 'Slow Meta', options: { rate: 1000 } })));
      await ok(setup.call('campaigns:start', { id: c.id }));
      await setup.close();
      sb.setFaults({ slow_rate: 1, slow_ms: 12_000 });

      const run = spawnRun(cli, dataDir, ['--webhook-port', String(port)]);
      await run.started;
      await until(
        () => sb.stats().faults.slow,
        (n) => n >= 40,
        30_000,
        'every request in flight',
      );
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
      const stopped = createCore({ dataDir, host: 'cli', log: silentLogger });
      const afterStop = (await ok(stopped.call('campaigns:status', { id: c.id }))).counts;
      await stopped.close();
      expect(afterStop).toMatchObject({ pending: 0, sending: 0, uncertain: 40 });

      // Meta takes the slow requests after all; the next run is told by webhook and sends nothing again.
      sb.setFaults({ slow_rate: 0 });
      const again = spawnRun(cli, dataDir, ['--webhook-port', String(port)]);
      await again.started;
      await until(
        () => sb.stats().sends.accepted,
        (n) => n >= 40,
        30_000,
        'Meta to take the slow requests',
      );
      await sb.webhooksIdle();
      await sleep(1500);
      again.child.kill('SIGTERM');
      await again.exited;
      expect(sb.stats().sends.attempted).toBe(40);
      expect(sb.stats().duplicates.same_callback_data).toBe(0);
      const check = createCore({ dataDir, host: 'cli', log: silentLogger });
      const counts = (await ok(check.call('campaigns:status', { id: c.id }))).counts;
      await check.close();
      expect(counts.pending + counts.sending).toBe(0);
      expect(counts.sent + counts.delivered + counts.read + counts.uncertain).toBe(40);
      expect(counts.uncertain).toBeLessThan(40);
    } finally {
      await sb.close();
    }
  }, 120_000);

  it('opt-outs from every channel, an erasure and a hold that arrive while rows wait for the 24-hour budget take effect before the next request, with their reason', async () => {
    w = await world({ scenario: scenario({ tier: 'TIER_250', mps: 1000 }) });
    seedContacts(w.core, 40, { consent: 'marketing' });
    const c = await ok(
      w.core.call(
        'campaigns:create',
        utilityDraft({
          name: 'Waiting',
          template: { name: 'spring_sale', language: 'en_US' },
          params: { first_name: 'first_name|"friend"', discount: '"20%"', end_date: '"April 30"' },
          header_media: { link: 'https://example.test/tent.jpg' },
          options: { rate: 1000, margin: 0.9 },
        }),
      ),
    );
    await ok(w.core.call('campaigns:start', { id: c.id }));
    w.campaigns.startEngine({});
    // About 25 unique recipients fit (TIER_250, margin 0.9); the others wait in the sender's queue.
    await until(
      () => w!.campaigns.engine!.sender.waitReason,
      (r) => r === 'budget',
      20_000,
      'a budget wait',
    );
    expect(w.campaigns.get(c.id).counts.pending).toBeGreaterThanOrEqual(15);
    const queued = (
      w.core.db
        .prepare(`SELECT contact_id FROM campaign_recipients WHERE campaign_id = ? AND state = 'pending' ORDER BY id LIMIT 6`)
        .all(c.id) as { contact_id: number }[]
    ).map((r) => r.contact_id);
    const phoneOfId = (id: number) => (w!.core.db.prepare('SELECT phone FROM contacts WHERE id = ?').get(id) as { phone: string }).phone;
    const [a, b, d, e, f, g] = queued as [number, number, number, number, number, number];
    w.sandbox.sendInbound({ from: phoneOfId(a), kind: 'stop_text' });
    w.sandbox.sendInbound({ from: phoneOfId(b), kind: 'stop_button' });
    w.sandbox.setUserPreference(phoneOfId(d).replace(/\D/g, ''), 'stop');
    await ok(w.core.call('contacts:opt-out', { contact: { id: e }, category: 'marketing', reason: 'asked by phone' }));
    await ok(w.core.call('contacts:delete', { id: f }));
    w.sandbox.sendWebhook('messages', {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550001111', phone_number_id: SANDBOX_PHONE_NUMBER_ID },
      messages: [
        {
          from: phoneOfId(g).replace(/\D/g, ''),
          id: 'wamid.sys1',
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'system',
          system: { type: 'user_changed_number', body: 'changed', wa_id: '972529999999' },
        },
      ],
    });
    const reasons = () =>
      w!.core.db
        .prepare(
          `SELECT skip_reason AS r, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND state = 'skipped' GROUP BY skip_reason ORDER BY skip_reason`,
        )
        .all(c.id);
    // Shown at once (the rows do not wait for their turn to be found out).
    await until(reasons, (r) => r.length === 3, 5_000, 'the skips');
    expect(reasons()).toEqual([
      { r: 'erased', n: 1 },
      { r: 'held_number_changed', n: 1 },
      { r: 'opted_out', n: 4 },
    ]);
    // Then the limit is raised: everyone else is sent, these six never.
    w.sandbox.setMessagingLimit('TIER_2K');
    const done = await until(
      () => w!.campaigns.get(c.id),
      (s) => s.state === 'completed',
      20_000,
      'completion',
    );
    expect(done.counts.skipped).toBe(6);
    for (const id of [a, b, d, e, g]) expect(w.sandbox.messages({ waId: phoneOfId(id).replace(/\D/g, '') })).toHaveLength(0);
    expect(w.sandbox.stats().sends.accepted).toBe(34);
    expect(w.sandbox.stats().duplicates.same_callback_data).toBe(0);
  }, 60_000);

  it('a 131049 that arrives after the campaign completed reopens it: it waits for the 24-hour retry, and status says so', async () => {
    w = await world({ scenario: scenario({ tier: 'TIER_100K', mps: 1000, delivery: { failed_delay_ms: [1500, 1600] } }) });
    seedContacts(w.core, 5, { consent: 'marketing' });
    w.sandbox.upsertUser({ phone: phoneOf(2), marketing_cap_reached: true });
    const c = await ok(
      w.core.call(
        'campaigns:create',
        utilityDraft({
          name: 'Capped',
          template: { name: 'spring_sale', language: 'en_US' },
          params: { first_name: 'first_name|"friend"', discount: '"20%"', end_date: '"April 30"' },
          header_media: { link: 'https://example.test/tent.jpg' },
          options: { rate: 1000, retry_131049: 1 },
        }),
      ),
    );
    await ok(w.core.call('campaigns:start', { id: c.id }));
    w.campaigns.startEngine({ tickMs: 50 });
    await until(
      () => w!.campaigns.get(c.id).state,
      (s) => s === 'completed',
      10_000,
      'completion before the failure arrives',
    );
    const reopened = await until(
      () => ok(w!.core.call('campaigns:status', { id: c.id })),
      (s) => s.state === 'running',
      10_000,
      'reopening',
    );
    expect(reopened.counts.pending).toBe(1);
    expect(reopened.waiting?.reason).toBe('retry_later');
    const until24h = Date.parse(reopened.waiting!.until!) - Date.now();
    expect(until24h).toBeGreaterThan(23.9 * 3_600_000);
    const events = (await ok(w.core.call('campaigns:events', { id: c.id, limit: 20 }))).map((e) => e.kind);
    expect(events).toEqual(expect.arrayContaining(['completed', 'reopened']));
    // A host without a sender (the CLI) tells the same from the ledger.
    await w.campaigns.stopEngine();
    const fromLedger = await ok(w.core.call('campaigns:status', { id: c.id }));
    expect(fromLedger.waiting).toEqual(reopened.waiting);
  }, 60_000);

  it('a token that expires while sending pauses the campaign, the account says so, and Resume is refused with the reason until it is fixed', async () => {
    w = await world({ scenario: scenario({ tier: 'TIER_100K', mps: 30 }) });
    seedContacts(w.core, 60, { consent: 'utility' });
    const c = await ok(w.core.call('campaigns:create', utilityDraft({ name: 'Token', options: { rate: 30 } })));
    await ok(w.core.call('campaigns:start', { id: c.id }));
    w.campaigns.startEngine({});
    await until(
      () => w!.sandbox.stats().sends.accepted,
      (n) => n >= 10,
      10_000,
      'some sends',
    );
    w.sandbox.setTokenState('expired');
    const paused = await until(
      () => w!.campaigns.get(c.id),
      (s) => s.state === 'paused',
      10_000,
      'the pause',
    );
    expect(paused.pause_reason).toBe('account_halted');
    const account = await ok(w.core.call('account:status', {}));
    expect(account.token.state).toBe('expired');
    expect(account.canSend).toBe(false);
    const refused = await w.core.call('campaigns:resume', { id: c.id });
    expect(refused).toMatchObject({ ok: false, code: 'unavailable', details: { reason: 'account_blocked', blocker: 'token_expired' } });
    w.sandbox.setTokenState('valid');
    await ok(w.core.call('account:refresh', {}));
    await ok(w.core.call('campaigns:resume', { id: c.id }));
    const done = await until(
      () => w!.campaigns.get(c.id),
      (s) => s.state === 'completed',
      20_000,
      'completion',
    );
    expect(done.counts.pending + done.counts.sending).toBe(0);
    expect(w.sandbox.stats().duplicates.same_callback_data).toBe(0);
    expect(w.sandbox.stats().sends.accepted).toBe(60 - done.counts.uncertain - done.counts.failed);
  }, 60_000);

  it('the frequency cap counts messages, not attempts: a message retried after a 130429 counts once', async () => {
    w = await world({ scenario: scenario({ tier: 'TIER_100K', mps: 1000 }) });
    seedContacts(w.core, 1, { consent: 'marketing' });
    const c = await ok(
      w.core.call(
        'campaigns:create',
        utilityDraft({
          name: 'Capped by us',
          template: { name: 'spring_sale', language: 'en_US' },
          params: { first_name: 'first_name|"friend"', discount: '"20%"', end_date: '"April 30"' },
          header_media: { link: 'https://example.test/tent.jpg' },
          options: { rate: 1000, frequency_cap: { max: 2, days: 7 } },
        }),
      ),
    );
    await ok(w.core.call('campaigns:start', { id: c.id }));
    // An earlier campaign's one message to this person took two attempts (the first refused with 130429).
    const phoneHash = (
      w.core.db.prepare('SELECT phone_hash FROM campaign_recipients WHERE campaign_id = ?').get(c.id) as { phone_hash: string }
    ).phone_hash;
    const log = w.core.db.prepare(
      `INSERT INTO messaging_log (phone_hash, at, category, phone_number_id, campaign_id, recipient_id) VALUES (?, ?, 'MARKETING', ?, 'earlier', 9999)`,
    );
    log.run(phoneHash, Date.now() - 60_000, SANDBOX_PHONE_NUMBER_ID);
    log.run(phoneHash, Date.now() - 59_000, SANDBOX_PHONE_NUMBER_ID);
    w.campaigns.startEngine({});
    const done = await until(
      () => w!.campaigns.get(c.id),
      (s) => s.state === 'completed',
      10_000,
      'completion',
    );
    expect(done.counts.skipped).toBe(0);
    expect(w.sandbox.stats().sends.accepted).toBe(1);
  }, 30_000);

  it('`--until-idle` does not stop while a row only waits a few seconds for the per-recipient pair rate', async () => {
    w = await world({ scenario: scenario({ tier: 'TIER_100K', mps: 1000 }) });
    seedContacts(w.core, 1, { consent: 'utility' });
    const ids: string[] = [];
    for (const name of ['First', 'Second']) {
      const c = await ok(w.core.call('campaigns:create', utilityDraft({ name, options: { rate: 1000 } })));
      await ok(w.core.call('campaigns:start', { id: c.id }));
      ids.push(c.id);
    }
    w.campaigns.startEngine({ tickMs: 50 });
    await until(
      () => w!.sandbox.stats().sends.accepted,
      (n) => n === 1,
      5_000,
      'the first message',
    );
    // The second message to the same person waits ~6 s: that is work, not idleness.
    const start = Date.now();
    while (w.sandbox.stats().sends.accepted < 2) {
      expect(w.campaigns.isIdle()).toBe(false);
      expect(Date.now() - start).toBeLessThan(15_000);
      await sleep(100);
    }
    await until(
      () => ids.map((id) => w!.campaigns.get(id).state),
      (s) => s.every((x) => x === 'completed'),
      5_000,
      'both completed',
    );
    expect(w.campaigns.isIdle()).toBe(true);
  }, 30_000);
});
