import { useEffect, useRef, useState } from 'react';
import type { CampaignProgress } from '../../../../shared/contract/campaigns';
import { FollowingReader, figureGapMs } from './followingReader';

/**
 * What a campaign's figures depend on: each pushed progress of it (a new object per arrival in the
 * store, the funnel's own input) and each change of the campaign (its updated_at).
 */
export function useFigureKey(progress: CampaignProgress | undefined, updatedAt: number | undefined): string {
  const n = useRef(0);
  const last = useRef<CampaignProgress | undefined>(undefined);
  if (progress !== last.current) {
    last.current = progress;
    n.current++;
  }
  return `${n.current}|${updatedAt ?? 0}`;
}

/**
 * A figure read again whenever `key` changes (the campaign's pushed progress: the funnel's own
 * event), through a FollowingReader (one read in flight, then a gap sized by the campaign's `rows`).
 * Returns the last value.
 */
export function useFollowingRead<T>(load: () => Promise<T | null>, key: unknown, rows: number): T | null {
  const [value, setValue] = useState<T | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const reader = useRef<FollowingReader<T> | null>(null);
  useEffect(() => {
    const r = new FollowingReader<T>(() => loadRef.current(), setValue, { gapMs: () => figureGapMs(rowsRef.current) });
    reader.current = r;
    return () => r.close();
  }, []);
  useEffect(() => {
    reader.current?.request();
  }, [key, load]);
  return value;
}
