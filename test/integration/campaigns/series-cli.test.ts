import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignPlan, CampaignSummary } from '../../../shared/contract/campaigns';
import { cliWorld, createArgs, seedContacts } from './helpers';

/** `pacer campaign create … --repeat daily|weekly --days --at HH:MM --tz --until --occurrences` (optional flags only). */
describe('pacer campaign create --repeat', () => {
  const w = cliWorld();
  const { cli } = w;
  const base = createArgs('Weekly VIP', 'appointment_reminder', 'tag:vip', { 1: 'first_name|"friend"', 2: '"Tel Aviv"', 3: '"May 12"' });

  beforeAll(() => w.start({ seed: (core) => seedContacts(core, 5, { consent: 'utility', tag: 'vip' }) }));
  afterAll(() => w.close());

  it('creates a weekly series, plans its next occurrences, starts it and lists it with the next run', async () => {
    const c = await cli([
      ...base,
      '--repeat',
      'weekly',
      '--days',
      'mon,Thu',
      '--at',
      '09:00',
      '--tz',
      'Asia/Jerusalem',
      '--until',
      '2099-12-31',
      '--occurrences',
      '10',
      '--json',
    ]);
    const s = JSON.parse(c.out[0]!) as CampaignSummary;
    expect(s.schedule).toMatchObject({
      mode: 'now',
      tz: 'Asia/Jerusalem',
      repeat: { frequency: 'weekly', days: ['mon', 'thu'], time: '09:00', until: '2099-12-31', count: 10 },
    });
    expect(s.schedule.at ?? null).toBeNull();
    const plan = JSON.parse((await cli(['campaign', 'plan', s.id, '--json'])).out[0]!) as CampaignPlan;
    expect(plan.next_runs).toHaveLength(5);
    for (const iso of plan.next_runs) {
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Jerusalem',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(Date.parse(iso));
      expect(local).toMatch(/^(Mon|Thu) 09:00$/);
    }
    const started = JSON.parse((await cli(['campaign', 'start', s.id, '--json'])).out[0]!) as CampaignSummary;
    expect(started.state).toBe('scheduled');
    expect(started.series?.next_run_at).toBe(Date.parse(plan.next_runs[0]!));
    const list = await cli(['campaign', 'list']);
    expect(list.out.join('\n')).toContain(
      `${s.id}  Weekly VIP  [scheduled]  appointment_reminder/en_US  series: 0 run(s), next ${plan.next_runs[0]}`,
    );
    const occ = JSON.parse((await cli(['campaign', 'occurrences', s.id, '--json'])).out[0]!) as { rows: unknown[]; total: number };
    expect(occ).toEqual({ rows: [], total: 0 });
    expect((await cli(['campaign', 'pause', s.id, '--json'])).out[0]).toContain('"state":"paused"');
  });

  it('a daily series needs only --at; the other flags without --repeat, or bad values, exit 2', async () => {
    const d = JSON.parse(
      (await cli([...base, '--repeat', 'daily', '--at', '7:30', '--tz', 'Europe/London', '--json'])).out[0]!,
    ) as CampaignSummary;
    expect(d.schedule.repeat).toEqual({ frequency: 'daily', time: '7:30' });
    expect((await cli([...base, '--days', 'mon'], 2)).err.join('')).toMatch(/--days needs --repeat/);
    expect((await cli([...base, '--repeat', 'hourly', '--at', '09:00'], 2)).err.join('')).toMatch(/daily or weekly/);
    expect((await cli([...base, '--repeat', 'weekly', '--at', '09:00'], 2)).err.join('')).toMatch(/--days/);
    expect((await cli([...base, '--repeat', 'weekly', '--days', 'mon,funday', '--at', '09:00'], 2)).err.join('')).toMatch(
      /unknown weekday/,
    );
    expect((await cli([...base, '--repeat', 'daily', '--at', '2026-12-01T09:00'], 2)).err.join('')).toMatch(/HH:MM/);
    expect((await cli([...base, '--repeat', 'daily', '--at', '09:00', '--until', 'tomorrow'], 2)).err.join('')).toMatch(/YYYY-MM-DD/);
    // Without --repeat, --at keeps its meaning: a one-off start date-time.
    const once = JSON.parse(
      (await cli([...base, '--at', '2099-01-01T10:00', '--tz', 'Asia/Jerusalem', '--json'])).out[0]!,
    ) as CampaignSummary;
    expect(once.schedule).toMatchObject({ mode: 'at', at: '2099-01-01T10:00' });
    expect(once.schedule.repeat ?? null).toBeNull();
    expect(once.series).toBeNull();
  });
});
