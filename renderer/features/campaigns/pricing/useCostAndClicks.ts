import { useCallback } from 'react';
import { api } from '../../../api/client';
import { useThrottledRefresh } from '../detail/useThrottledRefresh';

/** A campaign's cost report and click figures, refreshed with its other figures (every 5 s at most). */
export function useCostAndClicks(id: string, version: number) {
  const [cost] = useThrottledRefresh(useCallback(async () => {
    const r = await api.call('campaigns:cost', { id });
    return r.ok ? r.value : null;
  }, [id]), version, 5000);
  const [clicks] = useThrottledRefresh(useCallback(async () => {
    const r = await api.call('campaigns:clicks', { id });
    return r.ok ? r.value : null;
  }, [id]), version, 5000);
  return { cost: cost ?? null, clicks: clicks ?? null };
}
