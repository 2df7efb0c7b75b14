/**
 * Fault drill: 5 % 5xx answers, 2 % dropped connections, 130429 bursts (the sandbox's number is
 * slower than the campaign's rate), asynchronous 131049 / 131026, and the template paused in the
 * middle of the campaign and approved again. The campaign must end (completed), with 0 duplicate
 * sends, every failure classified, every row final or uncertain.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ok, phoneOf, scenario, seedContacts, utilityDraft, world, type World } from './helpers';

const N = Number(process.env.PACER_FAULT_N ?? 1500);

let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

async function until<T>(fn: () => Promise<T> | T, pred: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (pred(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('fault drill', () => {
  it('ends correctly under 5xx, drops, 130429 bursts, async 131049/131026 and a template paused mid-way', async () => {
    w = await world({
      scenario: scenario({
        tier: 'TIER_100K',
        mps: 40,
        delivery: { undeliverable_rate: 0.02 },
      }),
    });
    // Faults from now on (connecting and syncing templates went through cleanly).
    w.sandbox.setFaults({ error_5xx_rate: 0.05, drop_rate: 0.02, processed_on_lost_response_rate: 0.5 });
    seedContacts(w.core, N, { consent: 'marketing' });
    // 2 % of recipients reached Meta's per-user marketing cap: their sends fail later with 131049.
    for (let i = 0; i < N; i += 50) w.sandbox.upsertUser({ phone: phoneOf(i), marketing_cap_reached: true });
    const c = await ok(
      w.core.call(
        'campaigns:create',
        utilityDraft({
          name: 'Fault drill',
          template: { name: 'spring_sale', language: 'en_US' },
          params: { first_name: 'first_name|"friend"', discount: '"20%"', end_date: '"April 30"' },
          header_media: { link: 'https://example.test/tent.jpg' },
          options: { rate: 100, retry_131049: 0, watchdog: { failure_rate: 0.5, window: 200 } },
        }),
      ),
    );
    await ok(w.core.call('campaigns:start', { id: c.id }));
    w.campaigns.startEngine({ backoffBaseMs: 200, backoffCapMs: 2000 });

    // Pause the template at about 40 %: the campaign must stop by itself, then resume by itself.
    await until(
      () => w!.sandbox.stats().sends.accepted,
      (n) => n >= N * 0.4,
      120_000,
      '40 % accepted',
    );
    w.sandbox.setTemplateStatus('spring_sale', 'en_US', 'PAUSED', 'FIRST_PAUSE');
    const paused = await until(
      () => ok(w!.core.call('campaigns:status', { id: c.id })),
      (s) => s.state === 'paused',
      30_000,
      'auto pause',
    );
    expect(paused.pause_reason).toBe('template_paused');
    const sentWhilePaused = w.sandbox.stats().sends.accepted;
    await new Promise((r) => setTimeout(r, 1000));
    expect(w.sandbox.stats().sends.accepted).toBe(sentWhilePaused);
    w.sandbox.setTemplateStatus('spring_sale', 'en_US', 'APPROVED');
    const done = await until(
      () => ok(w!.core.call('campaigns:status', { id: c.id })),
      (s) => s.state === 'completed',
      240_000,
      'completion',
    );

    await w.sandbox.webhooksIdle();
    const stats = w.sandbox.stats();
    expect(stats.faults.error_5xx).toBeGreaterThan(0);
    expect(stats.faults.drops).toBeGreaterThan(0);
    expect(stats.limits.throughput_rejections).toBeGreaterThan(0);
    expect(stats.duplicates.same_callback_data).toBe(0);
    expect(stats.duplicates.same_template_24h).toBe(0);
    expect(stats.limits.portfolio_violations).toBe(0);

    const counts = done.counts;
    expect(counts.pending + counts.sending).toBe(0);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(N);
    const db = w.core.db;
    // Every failure carries its Graph code and the class from the one classification table.
    const unclassified = db
      .prepare(
        `SELECT count(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND state = 'failed' AND (error_class IS NULL OR error_code IS NULL)`,
      )
      .get(c.id) as { n: number };
    expect(unclassified.n).toBe(0);
    const byCode = Object.fromEntries(
      (
        db
          .prepare(
            `SELECT error_code, error_class, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND state = 'failed' GROUP BY error_code, error_class`,
          )
          .all(c.id) as { error_code: number; error_class: string; n: number }[]
      ).map((r) => [r.error_code, r.error_class]),
    );
    expect(byCode[131049]).toBe('retry_after_24h');
    expect(byCode[131026]).toBe('terminal_recipient');
    // Uncertain rows are explained; 5xx answers were retried (more attempts than rows).
    const uncertain = db
      .prepare(`SELECT count(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND state = 'uncertain' AND error_detail IS NULL`)
      .get(c.id) as { n: number };
    expect(uncertain.n).toBe(0);
    const attempts = db.prepare(`SELECT sum(attempts) AS a FROM campaign_recipients WHERE campaign_id = ?`).get(c.id) as { a: number };
    expect(attempts.a).toBeGreaterThan(N - counts.skipped);
    // The standing says "completed" as soon as nothing is left to send; the engine logs the event on its next pass.
    const events = await until(
      () => ok(w!.core.call('campaigns:events', { id: c.id, limit: 50 })),
      (ev) => ev.some((e) => e.kind === 'completed'),
      30_000,
      'completed event',
    );
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['paused', 'resumed', 'completed']));
    console.log(
      `fault drill: ${JSON.stringify({ counts, faults: stats.faults, throughput_rejections: stats.limits.throughput_rejections, errors: stats.errors_by_code, max_mps: stats.max_mps })}`,
    );
  }, 600_000);
});
