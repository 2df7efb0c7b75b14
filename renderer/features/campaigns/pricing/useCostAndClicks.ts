import { useCallback, useEffect, useState } from 'react';
import { api } from '../../../api/client';
import { useThrottledRefresh } from '../detail/useThrottledRefresh';

/**
 * A campaign's cost report and click figures, refreshed with its other figures and every 5 s:
 * pricing and clicks keep arriving by webhook after the last send (a click comes minutes after the
 * read), when no progress event moves the campaign's version any more.
 */
export function useCostAndClicks(id: string, version: number) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 5000);
    return () => clearInterval(t);
  }, []);
  const key = `${version}:${tick}`;
  const [cost] = useThrottledRefresh(
    useCallback(async () => {
      const r = await api.call('campaigns:cost', { id });
      return r.ok ? r.value : null;
    }, [id]),
    key,
    2000,
  );
  const [clicks] = useThrottledRefresh(
    useCallback(async () => {
      const r = await api.call('campaigns:clicks', { id });
      return r.ok ? r.value : null;
    }, [id]),
    key,
    2000,
  );
  return { cost: cost ?? null, clicks: clicks ?? null };
}
