import { describe, expect, it } from 'vitest';
import {
  allowedAt,
  effectiveZones,
  localParts,
  nextAllowedTime,
  parseLocalDateTime,
  parseWindow,
  zonesFor,
} from '../../../electron/core/campaigns/send-window';

describe('local send windows', () => {
  it('parses windows and local date-times (DST aware)', () => {
    expect(parseWindow('09:00-20:30')).toEqual({ start: 540, end: 1230 });
    expect(() => parseWindow('9-20')).toThrow(/HH:MM/);
    expect(new Date(parseLocalDateTime('2026-03-01T10:00', 'Asia/Jerusalem')).toISOString()).toBe('2026-03-01T08:00:00.000Z');
    expect(new Date(parseLocalDateTime('2026-07-01T10:00', 'Asia/Jerusalem')).toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(new Date(parseLocalDateTime('2026-07-01T10:00', 'America/New_York')).toISOString()).toBe('2026-07-01T14:00:00.000Z');
    expect(parseLocalDateTime('2026-07-01T10:00:00Z', 'Asia/Tokyo')).toBe(Date.UTC(2026, 6, 1, 10));
  });

  it('waits for the window to open in the recipient zone', () => {
    const w = { window: parseWindow('09:00-20:00') };
    // 05:30 UTC = 07:30 in Israel (winter) → opens at 09:00 local = 07:00 UTC.
    const t = Date.UTC(2026, 0, 5, 5, 30);
    expect(new Date(nextAllowedTime(t, ['Asia/Jerusalem'], w)!).toISOString()).toBe('2026-01-05T07:00:00.000Z');
    // Already open → unchanged.
    expect(nextAllowedTime(Date.UTC(2026, 0, 5, 10), ['Asia/Jerusalem'], w)).toBe(Date.UTC(2026, 0, 5, 10));
    // After hours → next morning.
    expect(new Date(nextAllowedTime(Date.UTC(2026, 0, 5, 19), ['Asia/Jerusalem'], w)!).toISOString()).toBe('2026-01-06T07:00:00.000Z');
  });

  it('quiet hours across midnight', () => {
    const rules = { quiet: parseWindow('21:00-08:00') };
    expect(allowedAt(Date.UTC(2026, 0, 5, 22), ['UTC'], rules)).toBe(false);
    expect(allowedAt(Date.UTC(2026, 0, 5, 8), ['UTC'], rules)).toBe(true);
    expect(new Date(nextAllowedTime(Date.UTC(2026, 0, 5, 23, 10), ['UTC'], rules)!).toISOString()).toBe('2026-01-06T08:00:00.000Z');
  });

  it('zone from the country, an attribute override, and multi-zone countries by intersection', () => {
    expect(zonesFor('IL')).toEqual(['Asia/Jerusalem']);
    expect(zonesFor('IL', 'Europe/Paris')).toEqual(['Europe/Paris']);
    expect(zonesFor(null)).toEqual(['UTC']);
    const rules = { window: parseWindow('09:00-20:00') };
    const us = effectiveZones('US', null, rules);
    expect(us.length).toBeGreaterThan(5);
    // 14:00 UTC in January = 09:00 New York but 04:00 Honolulu: not allowed for a US number.
    expect(allowedAt(Date.UTC(2026, 0, 5, 14), us, rules)).toBe(false);
    const t = nextAllowedTime(Date.UTC(2026, 0, 5, 14), us, rules)!;
    expect(localParts(t, 'Pacific/Honolulu').hour).toBe(9);
    expect(localParts(t, 'America/New_York').hour).toBeLessThan(20);
  });
});
