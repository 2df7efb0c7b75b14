/** `--ttl DURATION` text (shared/duration.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../shared/duration';

describe('durations', () => {
  it('reads units, combinations and plain seconds; refuses anything else', () => {
    expect(parseDuration('2h')).toBe(7200);
    expect(parseDuration('90m')).toBe(5400);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration(' 1D ')).toBe(86_400);
    expect(parseDuration('7200')).toBe(7200);
    expect(parseDuration('1d12h')).toBe(129_600);
    for (const bad of ['', '2x', 'h', '1.5h', '-2h', '1h2h', '2 h', 'two hours']) expect(parseDuration(bad)).toBeNull();
  });
  it('property: formatDuration gives back text parseDuration reads as the same seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 * 86_400 }), (s) => {
        expect(parseDuration(formatDuration(s).replace(/ /g, ''))).toBe(s);
      }),
      { seed: 13, numRuns: 300 },
    );
  });
});
