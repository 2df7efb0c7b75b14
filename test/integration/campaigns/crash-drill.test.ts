/**
 * Crash drill: `pacer run` (the real CLI, a child process) sends a 10,000-recipient campaign and is
 * killed with SIGKILL at random moments, at least 10 times, restarting each time. Afterwards the
 * sandbox must report 0 duplicate sends and 0 limit violations, and every recipient must be in a
 * final state or `uncertain` (never sent twice, never silently dropped).
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/index';
import { silentLogger } from '../../../electron/core/log';
import { SANDBOX_PHONE_NUMBER_ID, SANDBOX_WABA_ID, startSandbox, type SandboxHandle } from '../../../electron/core/sandbox/index';
import { RECIPIENT_STATES } from '../../../shared/contract/campaigns';
import { tempDataDir } from '../../support/harness';
import { buildCli, freePort, spawnRun } from './drill-support';
import { ok, scenario, seedContacts, utilityDraft } from './helpers';

const RECIPIENTS = Number(process.env.PACER_DRILL_N ?? 10_000);
const KILLS = 10;

let sandbox: SandboxHandle | null = null;
afterAll(async () => {
  await sandbox?.close();
});

/**
 * Deterministic "random" kill moments: after this child has sent between 100 and 900 more messages
 * (so every kill lands in the middle of sending, with requests in flight), plus 0–49 ms.
 */
function killPoints(seed: number): { sends: number; extraMs: number }[] {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: KILLS }, () => ({ sends: 100 + (next() % 800), extraMs: next() % 50 }));
}

describe('crash drill', () => {
  it(`kill -9 during a ${RECIPIENTS.toLocaleString('en')}-recipient campaign ${KILLS} times: no duplicates, no limit violations, every row final or uncertain`, async () => {
    const cli = await buildCli();
    const port = await freePort();
    sandbox = await startSandbox({
      seed: 11,
      scenario: scenario({ tier: 'TIER_100K', mps: 1000 }),
      webhookUrl: `http://127.0.0.1:${port}/webhook`,
    });
    const dataDir = tempDataDir('pacer-crash-');

    // Prepare the data folder with the real services: account, templates, contacts, a started campaign.
    const setup = createCore({ dataDir, host: 'cli', log: silentLogger });
    await ok(
      setup.call('account:connect', {
        graphUrl: sandbox.baseUrl,
        wabaId: SANDBOX_WABA_ID,
        phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
        accessToken: sandbox.credentials.accessToken,
        appSecret: sandbox.credentials.appSecret,
      }),
    );
    await setup.services.templates.sync();
    seedContacts(setup, RECIPIENTS, { consent: 'utility' });
    const c = await ok(setup.call('campaigns:create', utilityDraft({ name: 'Crash drill', options: { rate: 1000 } })));
    await ok(setup.call('campaigns:start', { id: c.id }));
    await setup.close();

    const kills: { afterSends: number; attemptedAtKill: number }[] = [];
    for (const point of killPoints(42)) {
      const run = spawnRun(cli, dataDir, ['--webhook-port', String(port)]);
      await run.started;
      const target = sandbox.stats().sends.attempted + point.sends;
      const deadline = Date.now() + 120_000;
      while (sandbox.stats().sends.attempted < target && sandbox.stats().sends.attempted < RECIPIENTS && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, point.extraMs));
      run.child.kill('SIGKILL');
      await run.exited;
      kills.push({ afterSends: point.sends, attemptedAtKill: sandbox.stats().sends.attempted });
      if (process.env.PACER_DRILL_DEBUG) console.log('kill', point, sandbox.stats().sends, run.stderr().slice(-300));
    }
    // Sending must have been interrupted mid-way every time (not all done before the last kill).
    expect(kills.length).toBeGreaterThanOrEqual(KILLS);
    expect(kills[kills.length - 1]!.attemptedAtKill).toBeLessThan(RECIPIENTS);

    const last = spawnRun(cli, dataDir, ['--webhook-port', String(port), '--until-idle']);
    await last.started;
    expect(await last.exited).toBe(0);
    await sandbox.webhooksIdle();

    const check = createCore({ dataDir, host: 'cli', log: silentLogger });
    try {
      const status = await ok(check.call('campaigns:status', { id: c.id }));
      const counts = status.counts;
      const total = RECIPIENT_STATES.reduce((s, k) => s + counts[k], 0);
      expect(total).toBe(RECIPIENTS);
      expect(counts.pending + counts.sending).toBe(0);
      expect(status.state).toBe('completed');
      const stats = sandbox.stats();
      expect(stats.duplicates.same_callback_data).toBe(0);
      expect(stats.duplicates.same_template_24h).toBe(0);
      expect(stats.limits.portfolio_violations).toBe(0);
      expect(stats.limits.throughput_rejections).toBe(0);
      expect(Math.max(...Object.values(stats.max_mps))).toBeLessThanOrEqual(1000);
      // Every accepted send is one ledger row; uncertain rows are the only ones whose fate we do not know.
      expect(stats.sends.accepted).toBeLessThanOrEqual(RECIPIENTS);
      const reached = counts.accepted + counts.sent + counts.delivered + counts.read;
      expect(reached + counts.uncertain + counts.failed).toBe(RECIPIENTS);
      expect(stats.sends.accepted).toBeGreaterThanOrEqual(reached);
      const summary = {
        kills,
        counts,
        sandbox: {
          attempted: stats.sends.attempted,
          accepted: stats.sends.accepted,
          duplicates: stats.duplicates.same_callback_data,
          violations: stats.limits.portfolio_violations,
          max_mps: stats.max_mps,
        },
      };
      fs.writeFileSync(`${dataDir}/drill-summary.json`, JSON.stringify(summary, null, 2));
      console.log(`crash drill: ${JSON.stringify(summary)}`);
    } finally {
      await check.close();
    }
  }, 900_000);

  it('SIGTERM stops pacer run cleanly: in-flight sends finish or are recorded, nothing is left "sending"', async () => {
    const cli = await buildCli();
    const port = await freePort();
    const sb = await startSandbox({ seed: 12, scenario: scenario({ tier: 'TIER_100K', mps: 1000 }) });
    try {
      const dataDir = tempDataDir('pacer-sigterm-');
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
      seedContacts(setup, 3000, { consent: 'utility' });
      const c = await ok(setup.call('campaigns:create', utilityDraft({ name: 'SIGTERM', options: { rate: 1000 } })));
      await ok(setup.call('campaigns:start', { id: c.id }));
      await setup.close();

      const run = spawnRun(cli, dataDir, ['--webhook-port', String(port)]);
      await run.started;
      while (sb.stats().sends.attempted < 300) await new Promise((r) => setTimeout(r, 5));
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.stderr()).toMatch(/Stopping \(signal SIGTERM\)/);

      const check = createCore({ dataDir, host: 'cli', log: silentLogger });
      try {
        const counts = (await ok(check.call('campaigns:status', { id: c.id }))).counts;
        expect(counts.sending).toBe(0);
        // Everything the sandbox accepted is recorded as accepted; nothing is uncertain after a clean stop.
        expect(counts.accepted + counts.sent + counts.delivered + counts.read).toBe(sb.stats().sends.accepted);
        expect(counts.uncertain).toBe(0);
        expect(counts.pending).toBeGreaterThan(0);
      } finally {
        await check.close();
      }
    } finally {
      await sb.close();
    }
  }, 300_000);
});
