/**
 * Recurring campaigns against the sandbox on a simulated clock shared by Pacer and the sandbox:
 * a daily series produces one campaign per occurrence, each with its own ledger and sends, the
 * audience evaluated at each occurrence; overlaps are skipped; occurrences missed while Pacer was
 * not running are recorded, the latest caught up within the grace window.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import { SERIES_GRACE_MS } from '../../../electron/core/campaigns/service';
import type { CampaignSummary } from '../../../shared/contract/campaigns';
import { ok, phoneOf, scenario, seedContacts, utilityDraft, world, type World } from './helpers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TZ = 'Asia/Jerusalem';

let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

/** Time moves only when nothing is in flight, straight to the next timer (as in the limit drill). */
async function drive(clock: FakeClock, w: World, done: () => boolean, realDeadline = Date.now() + 60_000): Promise<void> {
  const timers = () => (clock as unknown as { timers: { at: number }[] }).timers;
  const busy = () => (w.campaigns.engine?.sender.inflightCount() ?? 0) > 0;
  while (!done()) {
    if (Date.now() > realDeadline)
      throw new Error(
        `series drive: real-time deadline passed at ${new Date(clock.now()).toISOString()} ${JSON.stringify(w.campaigns.list().map((c) => [c.id, c.state, c.counts.pending, c.counts.accepted, c.series?.next_run_at]))} timers ${timers().length} ${timers()
          .slice(0, 5)
          .map((t) => t.at - clock.now())
          .join(',')}`,
      );
    if (busy()) {
      await new Promise((r) => setTimeout(r, 1));
      continue;
    }
    await new Promise((r) => setImmediate(r));
    if (busy() || done()) continue;
    const next = timers().reduce((m, t) => Math.min(m, t.at), Infinity);
    if (next === Infinity) {
      await new Promise((r) => setTimeout(r, 1));
      continue;
    }
    await clock.advance(Math.max(0, next - clock.now()));
  }
}

/**
 * Moves simulated time forward at once while Pacer idles (like a machine that slept): timers that
 * fell due fire once, then everything carries on from the new time. Driving a whole idle day second
 * by second would only repeat the sender's one-second idle poll 86,400 times.
 */
async function jumpTo(clock: FakeClock, t: number): Promise<void> {
  (clock as unknown as { current: number }).current = t;
  await clock.advance(0);
}

/** Advances simulated time, then lets the asynchronous occurrence creation settle. */
async function advanceAndSettle(clock: FakeClock, w: World, ms: number): Promise<void> {
  await clock.advance(ms);
  for (let i = 0; i < 200 && !w.campaigns.isIdle(); i++) await new Promise((r) => setTimeout(r, 2));
}

const occurrencesOf = (w: World, id: string) => ok(w.core.call('campaigns:occurrences', { id }));

describe('recurring campaigns', () => {
  it('a daily series runs twice: each occurrence its own campaign, own sends, audience of that moment, no duplicates', async () => {
    // Mon 23 Nov 2026 08:00 in Jerusalem (UTC+2).
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 6, 0));
    w = await world({ clock, scenario: scenario(), webhooks: false });
    seedContacts(w.core, 20, { consent: 'utility' });
    const series = await ok(
      w.core.call(
        'campaigns:create',
        utilityDraft({
          name: 'Daily reminder',
          schedule: { mode: 'now', tz: TZ, repeat: { frequency: 'daily', time: '09:00', count: 2 } },
        }),
      ),
    );
    const plan = await ok(w.core.call('campaigns:plan', { id: series.id }));
    expect(plan.next_runs).toEqual(['2026-11-23T07:00:00.000Z', '2026-11-24T07:00:00.000Z']); // count: 2 → two, not five
    const started = await ok(w.core.call('campaigns:start', { id: series.id }));
    expect(started.state).toBe('scheduled');
    expect(started.total).toBe(0);
    expect(started.series).toMatchObject({ next_run_at: Date.UTC(2026, 10, 23, 7, 0), runs: 0 });
    expect((await ok(w.core.call('campaigns:status', { id: series.id }))).waiting).toEqual({
      reason: 'scheduled',
      until: '2026-11-23T07:00:00.000Z',
    });

    // Scheduler tick of a simulated minute: an occurrence starts within a minute of its time.
    w.campaigns.startEngine({ tickMs: 60_000, progressMs: 60 * 60_000 });
    const s = w.campaigns;
    const runsDone = (n: number) => () => {
      const runs = s.list().filter((c) => c.series_id === series.id);
      return runs.length === n && runs.every((c) => c.state === 'completed');
    };
    await jumpTo(clock, Date.UTC(2026, 10, 23, 6, 59));
    await drive(clock, w, runsDone(1));
    const first = s.list().find((c) => c.series_id === series.id)!;
    expect(first.occurrence_at).toBe(Date.UTC(2026, 10, 23, 7, 0));
    expect(first.started_at! - Date.UTC(2026, 10, 23, 7, 0)).toBeLessThanOrEqual(60_000);
    expect(first.counts.accepted).toBe(20);
    expect(s.get(series.id).series).toMatchObject({
      runs: 1,
      next_run_at: Date.UTC(2026, 10, 24, 7, 0),
      latest: { id: first.id, state: 'completed' },
    });
    // The plan counts the run already done: one occurrence left.
    expect((await ok(w.core.call('campaigns:plan', { id: series.id }))).next_runs).toEqual(['2026-11-24T07:00:00.000Z']);

    // Five new contacts before the second occurrence: it evaluates the audience at its own time.
    seedContacts(w.core, 5, { consent: 'utility', phone: (i) => phoneOf(100 + i) });
    await jumpTo(clock, Date.UTC(2026, 10, 24, 6, 59));
    expect(s.list().filter((c) => c.series_id === series.id)).toHaveLength(1);
    await drive(clock, w, runsDone(2));
    const runs = s
      .list()
      .filter((c) => c.series_id === series.id)
      .sort((a, b) => a.occurrence_at! - b.occurrence_at!);
    expect(runs.map((c) => c.occurrence_at)).toEqual([Date.UTC(2026, 10, 23, 7, 0), Date.UTC(2026, 10, 24, 7, 0)]);
    expect(runs.map((c) => [c.total, c.counts.accepted])).toEqual([
      [20, 20],
      [25, 25],
    ]);
    // count: 2 reached → the series is completed, nothing further is due.
    const done = s.get(series.id);
    expect(done.state).toBe('completed');
    expect(done.series).toMatchObject({ runs: 2, next_run_at: null, skipped: 0, missed: 0 });

    // Each occurrence has its own ledger: one row per recipient, its own wamids, its own messaging-log entries.
    const db = w.core.db;
    for (const c of runs) {
      const rows = db
        .prepare(
          'SELECT count(*) AS n, count(DISTINCT phone_hash) AS people, count(DISTINCT wamid) AS wamids FROM campaign_recipients WHERE campaign_id = ?',
        )
        .get(c.id);
      expect(rows).toEqual({ n: c.total, people: c.total, wamids: c.total });
      expect(db.prepare('SELECT count(*) AS n FROM messaging_log WHERE campaign_id = ?').get(c.id)).toEqual({ n: c.total });
    }
    const page = await ok(w.core.call('campaigns:recipients', { id: runs[1]!.id, limit: 1000 }));
    expect(new Set(page.rows.map((r) => r.phone)).size).toBe(25);

    // The sandbox saw each old contact exactly twice (one per occurrence), each new one once; no row sent twice.
    const stats = w.sandbox.stats();
    expect(stats.sends.accepted).toBe(45);
    expect(stats.duplicates.same_callback_data).toBe(0);
    for (let i = 0; i < 20; i++) expect(stats.per_recipient[phoneOf(i).slice(1)]?.accepted).toBe(2);
    for (let i = 0; i < 5; i++) expect(stats.per_recipient[phoneOf(100 + i).slice(1)]?.accepted).toBe(1);

    const occ = await occurrencesOf(w, series.id);
    expect(occ.total).toBe(2);
    expect(occ.rows.map((o) => [o.outcome, o.campaign?.id, o.campaign?.counts.accepted])).toEqual([
      ['started', runs[1]!.id, 25],
      ['started', runs[0]!.id, 20],
    ]);
  }, 90_000);

  it('skips an occurrence while the previous one is unfinished, and after downtime runs only the latest missed one within the grace window', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 6, 0));
    w = await world({ clock, scenario: scenario(), webhooks: false });
    seedContacts(w.core, 5, { consent: 'utility' });
    const series = await ok(
      w.core.call(
        'campaigns:create',
        utilityDraft({
          name: 'Weekdays',
          schedule: { mode: 'now', tz: TZ, repeat: { frequency: 'daily', time: '09:00' } },
        }),
      ),
    );
    await ok(w.core.call('campaigns:start', { id: series.id }));
    // A long tick: the scheduler only looks when told to, so the first occurrence can be paused before it sends.
    w.campaigns.startEngine({ tickMs: 10 * 60_000, progressMs: 60 * 60_000 });
    await advanceAndSettle(clock, w, HOUR);
    const first = w.campaigns.list().find((c) => c.series_id === series.id)!;
    expect(first.state).toBe('running');
    await ok(w.core.call('campaigns:pause', { id: first.id }));

    // Next day 09:00: the first is still paused (unfinished) → the second is skipped, not overlapped.
    await advanceAndSettle(clock, w, DAY);
    let occ = await occurrencesOf(w, series.id);
    expect(occ.rows[0]).toMatchObject({ due_at: Date.UTC(2026, 10, 24, 7, 0), outcome: 'skipped', reason: 'overlap', campaign: null });
    expect(occ.rows[0]!.detail).toContain(first.id);
    expect(w.campaigns.list().filter((c) => c.series_id === series.id)).toHaveLength(1);
    await ok(w.core.call('campaigns:cancel', { id: first.id }));

    // Pacer stops for two days and two hours: 25 Nov is missed, 26 Nov (2 h ago, within the grace window) runs once.
    await w.campaigns.stopEngine();
    await clock.advance(2 * DAY + 2 * HOUR - 10 * 60_000);
    w.campaigns.startEngine({ tickMs: 10 * 60_000, progressMs: 60 * 60_000 });
    await advanceAndSettle(clock, w, 10 * 60_000);
    occ = await occurrencesOf(w, series.id);
    expect(occ.rows.slice(0, 2).map((o) => [new Date(o.due_at).toISOString(), o.outcome, o.reason])).toEqual([
      ['2026-11-26T07:00:00.000Z', 'started', null],
      ['2026-11-25T07:00:00.000Z', 'missed', 'not_running'],
    ]);
    const caughtUp = occ.rows[0]!.campaign!;
    expect(caughtUp.started_at).toBe(Date.UTC(2026, 10, 26, 9, 0));
    expect(w.campaigns.get(series.id).series?.next_run_at).toBe(Date.UTC(2026, 10, 27, 7, 0));
    await ok(w.core.call('campaigns:cancel', { id: caughtUp.id }));

    // Down again until 8 h after 28 Nov 09:00: beyond the grace window, so nothing runs; all recorded as missed.
    await w.campaigns.stopEngine();
    await clock.advance(Date.UTC(2026, 10, 28, 7, 0) + SERIES_GRACE_MS + 2 * HOUR - clock.now());
    w.campaigns.startEngine({ tickMs: 10 * 60_000, progressMs: 60 * 60_000 });
    await advanceAndSettle(clock, w, 10 * 60_000);
    occ = await occurrencesOf(w, series.id);
    expect(occ.rows.slice(0, 2).map((o) => [new Date(o.due_at).toISOString(), o.outcome, o.reason])).toEqual([
      ['2026-11-28T07:00:00.000Z', 'missed', 'not_running'],
      ['2026-11-27T07:00:00.000Z', 'missed', 'not_running'],
    ]);
    expect(w.campaigns.list().filter((c) => c.series_id === series.id)).toHaveLength(2);
    let info = w.campaigns.get(series.id).series!;
    expect(info).toMatchObject({ runs: 2, skipped: 1, missed: 3, next_run_at: Date.UTC(2026, 10, 29, 7, 0) });

    // Pause: no next occurrence; a day passes without a run; resume: the next one is after now.
    await ok(w.core.call('campaigns:pause', { id: series.id }));
    expect(w.campaigns.get(series.id)).toMatchObject({ state: 'paused', series: { next_run_at: null } });
    await advanceAndSettle(clock, w, DAY);
    expect((await occurrencesOf(w, series.id)).total).toBe(6);
    const resumed: CampaignSummary = await ok(w.core.call('campaigns:resume', { id: series.id }));
    expect(resumed).toMatchObject({ state: 'scheduled', series: { next_run_at: Date.UTC(2026, 10, 30, 7, 0) } });
    const cancelled = await ok(w.core.call('campaigns:cancel', { id: series.id }));
    expect(cancelled).toMatchObject({ state: 'cancelled', series: { next_run_at: null } });
    await advanceAndSettle(clock, w, 2 * DAY);
    info = w.campaigns.get(series.id).series!;
    expect(info.runs + info.skipped + info.missed).toBe(6);
  }, 90_000);

  it('pausing a series pauses its sending occurrence, resuming resumes both, cancelling cancels both', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 6, 0));
    w = await world({ clock, scenario: scenario(), webhooks: false });
    seedContacts(w.core, 5, { consent: 'utility' });
    const series = await ok(
      w.core.call(
        'campaigns:create',
        utilityDraft({ name: 'Mondays', schedule: { mode: 'now', tz: TZ, repeat: { frequency: 'weekly', days: ['mon'], time: '09:00' } } }),
      ),
    );
    await ok(w.core.call('campaigns:start', { id: series.id }));
    w.campaigns.startEngine({ tickMs: 10 * 60_000, progressMs: 60 * 60_000 });
    await advanceAndSettle(clock, w, HOUR);
    const occ = () => w!.campaigns.list().find((c) => c.series_id === series.id)!;
    expect(occ().state).toBe('running');
    // While the occurrence is running (the 10-minute tick has not looked at it again), the user pauses the series.
    await ok(w.core.call('campaigns:pause', { id: series.id }));
    expect(w.campaigns.get(series.id)).toMatchObject({ state: 'paused', series: { next_run_at: null } });
    expect(occ()).toMatchObject({ state: 'paused', pause_reason: 'user' });
    await ok(w.core.call('campaigns:resume', { id: series.id }));
    expect(occ().state).toBe('running');
    // Next Monday 09:00 Jerusalem.
    expect(w.campaigns.get(series.id)).toMatchObject({ state: 'scheduled', series: { next_run_at: Date.UTC(2026, 10, 30, 7, 0) } });
    await ok(w.core.call('campaigns:cancel', { id: series.id }));
    expect(occ().state).toBe('cancelled');
    expect(w.campaigns.get(series.id)).toMatchObject({ state: 'cancelled', series: { next_run_at: null } });
    // A started series is edited for the occurrences to come: the next run follows the new rule.
    const other = await ok(
      w.core.call(
        'campaigns:create',
        utilityDraft({ name: 'Edited', schedule: { mode: 'now', tz: TZ, repeat: { frequency: 'daily', time: '09:00' } } }),
      ),
    );
    await ok(w.core.call('campaigns:start', { id: other.id }));
    const edited = await ok(
      w.core.call('campaigns:update', {
        id: other.id,
        patch: utilityDraft({
          name: 'Edited',
          schedule: { mode: 'now', tz: 'Europe/London', repeat: { frequency: 'daily', time: '18:30' } },
        }),
      }),
    );
    expect(edited.series?.next_run_at).toBe(Date.UTC(2026, 10, 23, 18, 30));
    const refused = await w.core.call('campaigns:update', { id: other.id, patch: utilityDraft({ schedule: { mode: 'now' } }) });
    expect(refused.ok ? '' : refused.message).toMatch(/cannot stop repeating/);
  }, 60_000);

  it('refuses a repeat combined with a start date-time, a weekly repeat without days, and an unknown zone', async () => {
    w = await world({ webhooks: false });
    const bad = async (schedule: Record<string, unknown>) => {
      const r = await w!.core.call('campaigns:create', utilityDraft({ schedule: schedule as never }));
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.message;
    };
    expect(await bad({ mode: 'at', at: '2026-12-01T09:00', tz: TZ, repeat: { frequency: 'daily', time: '09:00' } })).toMatch(/repeat time/);
    expect(await bad({ mode: 'now', tz: TZ, repeat: { frequency: 'weekly', days: [], time: '09:00' } })).toMatch(/weekday/);
    expect(await bad({ mode: 'now', tz: 'Mars/Olympus', repeat: { frequency: 'daily', time: '09:00' } })).toMatch(/time zone/);
    expect(await bad({ mode: 'now', tz: TZ, repeat: { frequency: 'daily', time: '9am' } })).toMatch(/HH:MM/);
  });
});
