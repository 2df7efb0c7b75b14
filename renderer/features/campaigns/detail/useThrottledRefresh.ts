import { useEffect, useRef, useState } from 'react';

/**
 * Calls `load` now, and again whenever `version` changes — at most once per `ms` — so a stream of
 * pushed updates (10 store flushes a second) costs the core one query a second, not ten.
 */
export function useThrottledRefresh<T>(
  load: () => Promise<T | null>,
  version: unknown,
  ms: number,
  deps: unknown[] = [],
): [T | null, () => void] {
  const [value, setValue] = useState<T | null>(null);
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const run = () => {
    last.current = Date.now();
    void loadRef.current().then((v) => {
      if (v !== null) setValue(v);
    });
  };
  useEffect(() => {
    const wait = last.current + ms - Date.now();
    if (wait <= 0) run();
    else if (!timer.current)
      timer.current = setTimeout(() => {
        timer.current = null;
        run();
      }, wait);
  }, [version, ...deps]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return [value, run];
}
