/**
 * A marketing campaign's TTL option against the Sandbox on real SQLite (issue #13): rows not sent
 * within `ttl` of the campaign's start are skipped as `ttl_expired` by the send-time rule; a
 * campaign still within its TTL sends every row.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ok, runUntilDone, scenario, seedContacts, utilityDraft, world, type World } from './helpers';

let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

const saleDraft = (ttl: number | null) =>
  utilityDraft({
    name: 'Flash sale',
    template: { name: 'spring_sale', language: 'en_US' },
    params: { first_name: 'first_name', discount: '"20%"', end_date: '"April 30"' },
    header_media: { link: 'https://example.test/tent.jpg' },
    options: { rate: 100, retry_131049: 0, ttl },
  });

describe('campaign TTL', () => {
  it('skips every row once the campaign is older than its TTL, and sends them all while it is not', async () => {
    w = await world({ scenario: scenario({ tier: 'TIER_10K' }) });
    seedContacts(w.core, 6, { consent: 'marketing' });

    const late = await ok(w.core.call('campaigns:create', saleDraft(300)));
    const onTime = await ok(w.core.call('campaigns:create', { ...saleDraft(3600), name: 'On time' }));
    // The plan shows the TTL and, for 6 sends at 100 per second, nobody missing it.
    const plan = await ok(w.core.call('campaigns:plan', { id: late.id }));
    expect(plan.ttl).toMatchObject({ seconds: 300, may_miss: 0 });
    expect(Date.parse(plan.ttl!.send_by) - Date.now()).toBeGreaterThan(250_000);
    const utility = await ok(w.core.call('campaigns:plan', { draft: { ...utilityDraft(), options: { ttl: 300 } } }));
    expect(utility.ttl).toBeNull();
    await ok(w.core.call('campaigns:start', { id: late.id }));
    // The late campaign started 10 minutes ago (its engine never ran): past its 5-minute TTL.
    w.core.db.prepare('UPDATE campaigns SET started_at = started_at - 600000 WHERE id = ?').run(late.id);
    const s1 = await runUntilDone(w, late.id);
    expect(s1.counts.skipped).toBe(6);
    const skipped = await ok(w.core.call('campaigns:recipients', { id: late.id, state: 'skipped', limit: 10 }));
    expect(skipped.rows.map((r) => r.skip_reason)).toEqual(Array(6).fill('ttl_expired'));

    await ok(w.core.call('campaigns:start', { id: onTime.id }));
    const s2 = await runUntilDone(w, onTime.id);
    expect(s2.counts.skipped).toBe(0);
    expect(s2.counts.pending + s2.counts.failed).toBe(0);
  });
});
