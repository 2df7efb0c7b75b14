import type { Clock, TimerHandle } from '../clock';

let nextId = 1;

/**
 * A clock that runs `factor` times faster than real time from the moment it is made, so a
 * 3-hour template pause or a 24-hour window can be watched in minutes (`pacer sandbox --speed`).
 * This is a Clock implementation, so it is the one place allowed to use the real timers.
 */
export function acceleratedClock(factor: number, realNow: () => number = Date.now): Clock {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new Error(`speed must be a positive number, got ${factor}`);
  const origin = realNow();
  const timers = new Map<number, NodeJS.Timeout>();
  return {
    now: () => Math.floor(origin + (realNow() - origin) * factor),
    setTimeout(fn, ms): TimerHandle {
      const id = nextId++;
      timers.set(
        id,
        setTimeout(
          () => {
            timers.delete(id);
            fn();
          },
          Math.max(0, ms) / factor,
        ),
      );
      return { id };
    },
    clearTimeout(handle) {
      const t = timers.get(handle.id);
      if (t) clearTimeout(t);
      timers.delete(handle.id);
    },
  };
}
