import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { MarketingStatus } from '../../../shared/contract/whatsapp';

/**
 * The Marketing Messages API state (terms, strict choice, impending category changes), read with
 * `marketing:status` and read again on `marketing:changed` / `templates:changed`.
 */
export function useMarketingStatus(): MarketingStatus | null {
  const [status, setStatus] = useState<MarketingStatus | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () => void api.call('marketing:status', {}).then((r) => { if (alive && r.ok) setStatus(r.value); });
    load();
    const offs = [api.on('marketing:changed', load), api.on('templates:changed', load), api.on('settings:changed', load)];
    return () => {
      alive = false;
      for (const off of offs) if (typeof off === 'function') off();
    };
  }, []);
  return status;
}
