import { describe, expect, it } from 'vitest';
import { cardDate } from '../../../renderer/features/campaigns/pricing/cardDate';

describe("a rate card's effective date", () => {
  it('is shown in the UI language, never as the machine form, and is the same day in every zone', () => {
    expect(cardDate('2026-10-01', 'en')).toBe('Oct 1, 2026');
    expect(cardDate('2026-10-01', 'he')).not.toMatch(/2026-10-01|Oct/);
    expect(cardDate('2026-10-01', 'he')).toContain('2026');
    expect(cardDate('2026-10-01', 'zh-TW')).toBe('2026年10月1日');
    // Not a day: kept as it came (nothing invented).
    expect(cardDate('soon', 'en')).toBe('soon');
  });
});
