import { describe, expect, it } from 'vitest';
import { localDate, nextOccurrence, nextOccurrences, zonedInstant, type RepeatRule } from '../../../shared/campaigns/recurrence';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const local = (t: number, tz: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(t);
const daily = (time: string, until?: string): RepeatRule => ({ frequency: 'daily', time, until: until ?? null });

describe('next occurrence of a recurring series', () => {
  it('daily 09:00 in Jerusalem keeps 09:00 local across the spring-forward (27 Mar 2026) and autumn (25 Oct 2026)', () => {
    const tz = 'Asia/Jerusalem';
    const spring = nextOccurrences(daily('09:00'), tz, Date.UTC(2026, 2, 25, 12), 4);
    expect(spring.map(iso)).toEqual([
      '2026-03-26T07:00:00.000Z',
      '2026-03-27T06:00:00.000Z',
      '2026-03-28T06:00:00.000Z',
      '2026-03-29T06:00:00.000Z',
    ]);
    expect(spring.map((t) => local(t, tz).slice(-14))).toEqual(Array(4).fill(expect.stringMatching(/09:00 GMT\+[23]$/)));
    const autumn = nextOccurrences(daily('09:00'), tz, Date.UTC(2026, 9, 23, 12), 3);
    expect(autumn.map(iso)).toEqual(['2026-10-24T06:00:00.000Z', '2026-10-25T07:00:00.000Z', '2026-10-26T07:00:00.000Z']);
  });

  it('a time inside the Jerusalem spring-forward gap runs after the gap by the same amount; other days are unchanged', () => {
    const tz = 'Asia/Jerusalem';
    // 02:00 → 03:00 on Fri 27 Mar 2026: 02:30 does not exist that night.
    const runs = nextOccurrences(daily('02:30'), tz, Date.UTC(2026, 2, 25, 12), 3);
    expect(runs.map((t) => local(t, tz))).toEqual([
      'Thu, 26/03/2026, 02:30 GMT+2',
      'Fri, 27/03/2026, 03:30 GMT+3',
      'Sat, 28/03/2026, 02:30 GMT+3',
    ]);
  });

  it('London: 01:30 on the fall-back night runs once (the first, BST), and 09:00 stays 09:00 across both changes', () => {
    const tz = 'Europe/London';
    // Clocks go back 02:00 BST → 01:00 GMT on Sun 25 Oct 2026: 01:30 happens twice.
    const back = nextOccurrences(daily('01:30'), tz, Date.UTC(2026, 9, 24, 12), 2);
    expect(back.map(iso)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    // Asking for the next one right after the first 01:30 does not run the repeated hour again.
    expect(iso(nextOccurrence(daily('01:30'), tz, back[0]!))).toBe('2026-10-26T01:30:00.000Z');
    // Clocks go forward 01:00 GMT → 02:00 BST on Sun 29 Mar 2026: 01:30 does not exist, runs 02:30 BST.
    expect(local(nextOccurrence(daily('01:30'), tz, Date.UTC(2026, 2, 28, 12))!, tz)).toBe('Sun, 29/03/2026, 02:30 BST');
    const nine = nextOccurrences(daily('09:00'), tz, Date.UTC(2026, 2, 27, 12), 3).concat(
      nextOccurrences(daily('09:00'), tz, Date.UTC(2026, 9, 23, 12), 3),
    );
    expect(nine.map((t) => local(t, tz).slice(-9, -4))).toEqual(Array(6).fill('09:00'));
    expect(nine.map(iso)).toEqual([
      '2026-03-28T09:00:00.000Z',
      '2026-03-29T08:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
      '2026-10-24T08:00:00.000Z',
      '2026-10-25T09:00:00.000Z',
      '2026-10-26T09:00:00.000Z',
    ]);
  });

  it('weekly on a set of weekdays, in order, wrapping the week; a single day; every day', () => {
    const tz = 'Asia/Jerusalem';
    // Wed 25 Nov 2026 10:00 local.
    const from = zonedInstant(2026, 11, 25, 10, 0, tz);
    const monThu = nextOccurrences({ frequency: 'weekly', days: ['thu', 'mon'], time: '09:00' }, tz, from, 5);
    expect(monThu.map((t) => local(t, tz))).toEqual([
      'Thu, 26/11/2026, 09:00 GMT+2',
      'Mon, 30/11/2026, 09:00 GMT+2',
      'Thu, 03/12/2026, 09:00 GMT+2',
      'Mon, 07/12/2026, 09:00 GMT+2',
      'Thu, 10/12/2026, 09:00 GMT+2',
    ]);
    // Same weekday, time not passed yet → today; passed → next week.
    expect(local(nextOccurrence({ frequency: 'weekly', days: ['wed'], time: '10:01' }, tz, from)!, tz)).toBe(
      'Wed, 25/11/2026, 10:01 GMT+2',
    );
    expect(local(nextOccurrence({ frequency: 'weekly', days: ['wed'], time: '10:00' }, tz, from)!, tz)).toBe(
      'Wed, 02/12/2026, 10:00 GMT+2',
    );
    const all = nextOccurrences(
      { frequency: 'weekly', days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], time: '09:00' },
      tz,
      from,
      7,
    );
    expect(all.map((t) => localDate(t, tz))).toEqual([
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
    ]);
    // Weekly across London's spring change: Sundays at 09:00 local.
    const sundays = nextOccurrences({ frequency: 'weekly', days: ['sun'], time: '09:00' }, 'Europe/London', Date.UTC(2026, 2, 20), 3);
    expect(sundays.map(iso)).toEqual(['2026-03-22T09:00:00.000Z', '2026-03-29T08:00:00.000Z', '2026-04-05T08:00:00.000Z']);
  });

  it('ends after the until date (inclusive, local) and rejects a weekly rule without days or a bad time', () => {
    const tz = 'Asia/Jerusalem';
    const runs = nextOccurrences(daily('23:30', '2026-11-27'), tz, zonedInstant(2026, 11, 25, 12, 0, tz), 10);
    expect(runs.map((t) => localDate(t, tz))).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
    // 23:30 local on the 27th is the 27th in Jerusalem even though it is still the 27th 21:30 UTC.
    expect(iso(runs[2]!)).toBe('2026-11-27T21:30:00.000Z');
    expect(
      nextOccurrence({ frequency: 'weekly', days: ['fri'], time: '09:00', until: '2026-11-26' }, tz, zonedInstant(2026, 11, 25, 12, 0, tz)),
    ).toBeNull();
    expect(() => nextOccurrence({ frequency: 'weekly', days: [], time: '09:00' }, tz, 0)).toThrow(/weekday/);
    expect(() => nextOccurrence(daily('25:00'), tz, 0)).toThrow(/HH:MM/);
  });

  it('zones east and west of UTC: the local day decides, not the UTC day', () => {
    // 00:15 in Auckland is the previous day in UTC; 23:45 in Los Angeles is the next day in UTC.
    const akl = nextOccurrence({ frequency: 'weekly', days: ['mon'], time: '00:15' }, 'Pacific/Auckland', Date.UTC(2026, 10, 20))!;
    expect(local(akl, 'Pacific/Auckland')).toMatch(/^Mon, 23\/11\/2026, 00:15/);
    expect(new Date(akl).getUTCDay()).toBe(0);
    const la = nextOccurrence({ frequency: 'weekly', days: ['mon'], time: '23:45' }, 'America/Los_Angeles', Date.UTC(2026, 10, 20))!;
    expect(local(la, 'America/Los_Angeles')).toMatch(/^Mon, 23\/11\/2026, 23:45/);
    expect(new Date(la).getUTCDay()).toBe(2);
  });
});
