import { describe, expect, it } from 'vitest';
import { foldQuartersIntoDays, QUARTER_MS } from '../../../electron/core/campaigns/day-buckets';
import { isTimeZone } from '../../../shared/campaigns/zones';
import { testCore } from '../../support/core';

const q = (iso: string) => Math.floor(Date.parse(iso) / QUARTER_MS);
const rows = [
  { q: q('2026-12-04T18:00:00Z'), reached: 1, read: 0 },
  { q: q('2026-12-04T18:15:00Z'), reached: 2, read: 1 },
  { q: q('2026-12-04T23:30:00Z'), reached: 4, read: 2 },
  { q: q('2026-12-05T01:00:00Z'), reached: 8, read: 4 },
];
const fold = (tz: string) => foldQuartersIntoDays(rows, ['reached', 'read'], tz);

describe('per-day figures in the marketer’s zone', () => {
  it('puts each quarter hour in its calendar day of the zone', () => {
    expect(fold('UTC')).toEqual([
      { day: '2026-12-04', reached: 7, read: 3 },
      { day: '2026-12-05', reached: 8, read: 4 },
    ]);
    // Taipei (UTC+8): 23:30 UTC is 07:30 the next morning.
    expect(fold('Asia/Taipei')).toEqual([{ day: '2026-12-05', reached: 15, read: 7 }]);
    // New York (UTC−5): all four are still the 4th.
    expect(fold('America/New_York')).toEqual([{ day: '2026-12-04', reached: 15, read: 7 }]);
    // Kathmandu (UTC+5:45): 18:00 UTC is 23:45, 18:15 UTC is midnight — the quarter hour decides.
    expect(fold('Asia/Kathmandu')).toEqual([
      { day: '2026-12-04', reached: 1, read: 0 },
      { day: '2026-12-05', reached: 14, read: 7 },
    ]);
  });

  it('knows real zones and refuses an unknown one through the contract', async () => {
    expect(isTimeZone('Asia/Jerusalem')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    const c = testCore();
    try {
      const bad = await c.call('campaigns:overview', { tz: 'Mars/Olympus' });
      expect(bad.ok).toBe(false);
      expect(!bad.ok && bad.code).toBe('bad_input');
      const fine = await c.call('campaigns:overview', { tz: 'Asia/Taipei' });
      expect(fine.ok && fine.value.days).toEqual([]);
    } finally {
      await c.close();
    }
  });
});
