/**
 * One source of truth for where a campaign stands: the summary (campaigns:get / :list — the list,
 * the dashboard, the badge), the status (the progress card, the banner), the pushed progress event
 * and `pacer campaign status` carry the same `standing`, computed once by ledger-state.ts
 * `campaignStanding` — after a resend and with a row waiting for its 24-hour retry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/core/cli/index';
import type { CliIo } from '../../../electron/core/cli/io';
import { SANDBOX_ACCESS_TOKEN, SANDBOX_RECIPIENTS } from '../../../electron/core/sandbox/index';
import type { CampaignProgress, CampaignStanding } from '../../../shared/contract/campaigns';
import { ok, runUntilDone, scenario, seedContacts, utilityDraft, world, type World } from './helpers';

let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

const marketing = (retry: 0 | 1) =>
  utilityDraft({
    template: { name: 'spring_sale', language: 'en_US' },
    params: { first_name: 'first_name', discount: '"20%"', end_date: '"April 30"' },
    header_media: { link: 'https://example.test/tent.jpg' },
    options: { rate: 100, retry_131049: retry },
  });

/** Every reader's standing for the campaign, and checks they are one answer. */
async function agreed(world: World, id: string, progress: CampaignProgress[]): Promise<CampaignStanding> {
  const got = await ok(world.core.call('campaigns:get', { id }));
  const listed = (await ok(world.core.call('campaigns:list', {}))).find((c) => c.id === id)!;
  const status = await ok(world.core.call('campaigns:status', { id }));
  // The rate is the number's, moving while sending; everything else must be identical.
  const strip = ({ rate: _r, ...rest }: CampaignStanding) => rest;
  expect(strip(listed.standing)).toEqual(strip(got.standing));
  expect(strip(status.standing)).toEqual(strip(got.standing));
  for (const s of [got, listed, status]) expect(s.state).toBe(got.standing.state);
  expect(got.standing.processed + got.standing.remaining).toBe(got.standing.total);
  // The last pushed progress (what the page shows between reads) says the same once its batch
  // (~10 Hz) went out.
  const latest = () => progress.filter((p) => p.id === id).at(-1);
  await until(
    async () => latest(),
    (p) => !p || JSON.stringify(strip(p.standing)) === JSON.stringify(strip(got.standing)),
    3000,
  );
  const last = latest();
  if (last) {
    expect(strip(last.standing)).toEqual(strip(got.standing));
    expect(last.state).toBe(got.standing.state);
  }
  return got.standing;
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('one standing for a campaign, everywhere', () => {
  it('agrees after completion, after "Resend failed only" (only the retryable failure requeued) and when done again', async () => {
    w = await world({ scenario: scenario({ tier: 'TIER_10K' }) });
    const progress: CampaignProgress[] = [];
    w.core.on('campaigns:progress', (p) => progress.push(p));
    seedContacts(w.core, 4, { consent: 'marketing' });
    // Not on WhatsApp (131026, terminal), stopped marketing (131050, opt-out), capped (131049, retryable later).
    seedContacts(w.core, 3, {
      consent: 'marketing',
      phone: (i) => [SANDBOX_RECIPIENTS.undeliverable, SANDBOX_RECIPIENTS.marketingStopped, SANDBOX_RECIPIENTS.marketingCapReached][i]!,
    });
    const c = await ok(w.core.call('campaigns:create', marketing(0)));
    const draft = await agreed(w, c.id, progress);
    expect(draft).toMatchObject({ state: 'draft', next: 'edit', started: false, rate: null });

    await ok(w.core.call('campaigns:start', { id: c.id }));
    await runUntilDone(w, c.id);
    await w.sandbox.webhooksIdle();
    await until(
      () => ok(w!.core.call('campaigns:get', { id: c.id })),
      (s) => s.counts.failed === 3,
    );
    await new Promise((r) => setTimeout(r, 300)); // the last progress flush (100 ms)
    const done = await agreed(w, c.id, progress);
    expect(done).toMatchObject({ state: 'completed', next: 'done', total: 7, processed: 7, remaining: 0, started: true, rate: null });

    const r = await ok(w.core.call('campaigns:resend', { id: c.id, which: 'failed' }));
    // 131026 and 131050 cannot succeed on a new try: left failed, and said so.
    expect(r).toMatchObject({ requeued: 1, not_retryable: 2 });
    const reopened = await agreed(
      w,
      c.id,
      progress.filter((p) => p.at > Date.now() + 1),
    ); // no progress yet for the reopened state
    expect(reopened).toMatchObject({ state: 'running', remaining: 1, processed: 6 });
    expect(r.campaign.standing.state).toBe('running');

    await runUntilDone(w, c.id);
    await w.sandbox.webhooksIdle();
    await until(
      () => ok(w!.core.call('campaigns:get', { id: c.id })),
      (s) => s.counts.failed === 3,
    );
    await new Promise((r2) => setTimeout(r2, 300));
    expect(await agreed(w, c.id, progress)).toMatchObject({ state: 'completed', next: 'done', remaining: 0, rate: null });
  });

  it('a row waiting for its 24-hour retry keeps the campaign running with next "retry" in the app and in `pacer campaign status`', async () => {
    w = await world({ scenario: scenario({ tier: 'TIER_10K' }) });
    const progress: CampaignProgress[] = [];
    w.core.on('campaigns:progress', (p) => progress.push(p));
    seedContacts(w.core, 3, { consent: 'marketing' });
    seedContacts(w.core, 1, { consent: 'marketing', phone: () => SANDBOX_RECIPIENTS.marketingCapReached });
    const c = await ok(w.core.call('campaigns:create', marketing(1)));
    await ok(w.core.call('campaigns:start', { id: c.id }));
    await runUntilDone(w, c.id).catch(() => undefined);
    await w.sandbox.webhooksIdle();
    const waiting = await until(
      () => ok(w!.core.call('campaigns:get', { id: c.id })),
      (s) => s.standing.next === 'retry',
    );
    await new Promise((r) => setTimeout(r, 300));
    const standing = await agreed(w, c.id, progress);
    expect(waiting.standing.next).toBe('retry');
    expect(standing).toMatchObject({ state: 'running', next: 'retry', remaining: 1, processed: 3, rate: null });
    const until24h = Date.parse(standing.until!);
    expect(until24h).toBeGreaterThan(Date.now() + 23 * 3600_000);
    // "Still to go" starts at the retry time, not at a "now" that keeps moving.
    const status = await ok(w.core.call('campaigns:status', { id: c.id }));
    expect(status.waiting).toMatchObject({ reason: 'retry_later' });
    expect(Date.parse(status.forecast[0]!.from)).toBeGreaterThanOrEqual(until24h);

    const dataDir = w.dataDir;
    await w.close();
    w = null;
    const out: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: () => undefined,
      env: { PACER_ACCESS_TOKEN: SANDBOX_ACCESS_TOKEN },
      untilSignal: () => new Promise(() => {}),
    };
    expect(await runCli(['--data-dir', dataDir, 'campaign', 'status', c.id, '--json'], io)).toBe(0);
    const cli = JSON.parse(out[0]!) as { state: string; standing: CampaignStanding };
    expect(cli.state).toBe('running');
    expect({ ...cli.standing, rate: null }).toEqual({ ...standing, rate: null });
  });
});
