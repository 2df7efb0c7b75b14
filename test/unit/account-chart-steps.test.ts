import { describe, expect, it } from 'vitest';
import { toSteps } from '../../renderer/features/account/steps';

describe('toSteps (account health chart)', () => {
  it('carries the state from before the window in and merges repeated values', () => {
    const pts = [
      { at: 5, value: 'GREEN' },
      { at: 20, value: 'GREEN' },
      { at: 30, value: 'YELLOW' },
      { at: 40, value: 'GREEN' },
    ];
    expect(toSteps(pts, 10, 50)).toEqual([
      { from: 10, to: 30, value: 'GREEN' },
      { from: 30, to: 40, value: 'YELLOW' },
      { from: 40, to: 50, value: 'GREEN' },
    ]);
  });

  it('draws nothing before the first observation', () => {
    expect(toSteps([{ at: 42, value: 'TIER_2K' }], 0, 50)).toEqual([{ from: 42, to: 50, value: 'TIER_2K' }]);
  });

  it('is empty without observations and ignores points after the window', () => {
    expect(toSteps([], 0, 50)).toEqual([]);
    expect(toSteps([{ at: 60, value: 'RED' }], 0, 50)).toEqual([]);
  });

  it('sorts unsorted input', () => {
    expect(
      toSteps(
        [
          { at: 30, value: 'B' },
          { at: 10, value: 'A' },
        ],
        0,
        40,
      ),
    ).toEqual([
      { from: 10, to: 30, value: 'A' },
      { from: 30, to: 40, value: 'B' },
    ]);
  });
});
