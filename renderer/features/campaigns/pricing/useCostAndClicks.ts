import { useCallback, useEffect, useState } from 'react';
import { api } from '../../../api/client';
import { useFollowingRead } from '../detail/useFollowingRead';

/**
 * A campaign's cost report and click figures, read again with the funnel's own event (`figures`:
 * its pushed progress, see useFigureKey) — a delivered status carries the price, so the cost moves
 * with the funnel — and every 5 s: clicks arrive without any event (a click comes minutes after the
 * read, recorded by the click endpoint, which pushes nothing), and so may a late pricing webhook.
 */
export function useCostAndClicks(id: string, figures: string, rows: number) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 5000);
    return () => clearInterval(t);
  }, []);
  const key = `${figures}:${tick}`;
  const cost = useFollowingRead(
    useCallback(async () => {
      const r = await api.call('campaigns:cost', { id });
      return r.ok ? r.value : null;
    }, [id]),
    key,
    rows,
  );
  const clicks = useFollowingRead(
    useCallback(async () => {
      const r = await api.call('campaigns:clicks', { id });
      return r.ok ? r.value : null;
    }, [id]),
    key,
    rows,
  );
  return { cost: cost ?? null, clicks: clicks ?? null };
}
