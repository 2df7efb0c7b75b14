import { afterEach, describe, expect, it } from 'vitest';
import { ok, phoneOf, runUntilDone, scenario, seedContacts, utilityDraft, world, type World } from './helpers';

/*
 * Over the 24-hour limit and the pace while sending, against the real core and the Sandbox:
 * "only today's part" keeps what the budget allows now and skips the rest as over_limit (the
 * default sends over days: the rest waits pending); a pace changed while sending is honoured by
 * the running sender at once.
 */
describe('campaign pace and the 24-hour limit', () => {
  let w: World;
  afterEach(() => w.close());

  it("only today's part: the budget available now is kept, the rest skipped as over_limit", async () => {
    w = await world({ scenario: scenario({ tier: 'TIER_2K' }), webhooks: false });
    seedContacts(w.core, 230, { consent: 'utility' });
    const draft = utilityDraft({ options: { rate: 1000, margin: 0.9 } });
    const plan = await ok(w.core.call('campaigns:plan', { draft }));
    expect(plan.eligible).toBe(230);
    const now = plan.budget.available_now!;
    expect(now).toBeLessThan(230);
    // The plan says when the rest would go: more than one window.
    expect(plan.forecast.length).toBeGreaterThan(1);
    expect(plan.forecast.reduce((s, x) => s + x.sends, 0)).toBe(230);

    const overDays = (await ok(w.core.call('campaigns:create', draft))).id;
    const todayOnly = (
      await ok(w.core.call('campaigns:create', { ...draft, name: 'Today only', options: { ...draft.options, today_only: true } }))
    ).id;
    await ok(w.core.call('campaigns:start', { id: todayOnly }));
    const c = await ok(w.core.call('campaigns:get', { id: todayOnly }));
    expect(c.counts.pending).toBe(now);
    expect(c.counts.skipped).toBe(230 - now);
    expect(
      w.core.db
        .prepare("SELECT DISTINCT skip_reason FROM campaign_recipients WHERE campaign_id = ? AND state = 'skipped'")
        .pluck()
        .all(todayOnly),
    ).toEqual(['over_limit']);
    // The rows kept are the first in ledger order; the other campaign keeps everyone pending.
    await ok(w.core.call('campaigns:start', { id: overDays }));
    expect((await ok(w.core.call('campaigns:get', { id: overDays }))).counts.pending).toBe(230);
  });

  it('a pace raised while sending is honoured by the running sender at once', async () => {
    w = await world({ scenario: scenario(), webhooks: false });
    seedContacts(w.core, 40, { consent: 'utility', phone: (i) => phoneOf(500 + i) });
    const id = (await ok(w.core.call('campaigns:create', utilityDraft({ options: { rate: 1 } })))).id;
    await ok(w.core.call('campaigns:start', { id }));
    w.campaigns.startEngine();
    // At 1 per second, 40 recipients take 40 s; after a moment the pace goes to 200 per second.
    await new Promise((r) => setTimeout(r, 1500));
    const early = await ok(w.core.call('campaigns:get', { id }));
    expect(early.counts.pending).toBeGreaterThan(30);
    expect(await ok(w.core.call('campaigns:set-pace', { id, rate: 200 }))).toEqual({ rate: 200 });
    const t0 = Date.now();
    expect((await runUntilDone(w, id, { timeoutMs: 15_000 })).state).toBe('completed');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect((await ok(w.core.call('campaigns:get', { id }))).options.rate).toBe(200);
    expect(await w.core.call('campaigns:set-pace', { id, rate: 5 })).toMatchObject({ ok: false, code: 'conflict' });
  });
});
