import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { useStore } from '../../store';
import type { MarketingStatus } from '../../../shared/contract/whatsapp';

/**
 * The Marketing Messages API state (terms, strict choice, impending category changes), read with
 * `marketing:status` and read again when store/events.ts counts a `marketing:changed`,
 * `templates:changed` or `settings:changed`.
 */
export function useMarketingStatus(): MarketingStatus | null {
  const [status, setStatus] = useState<MarketingStatus | null>(null);
  const tick = useStore((s) => s.ticks.marketing);
  useEffect(() => {
    let alive = true;
    void api.call('marketing:status', {}).then((r) => {
      if (alive && r.ok) setStatus(r.value);
    });
    return () => {
      alive = false;
    };
  }, [tick]);
  return status;
}
