import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportJob, ImportOptions, ImportProgress } from '../../../../shared/contract/contacts';
import { api } from '../../../api/client';
import { useStore } from '../../../store';
import { errorText } from '../../../i18n/errorText';

export interface JobView {
  jobId: string;
  dryRun: boolean;
  progress: ImportProgress | null;
  /** Set once the job ended (done, failed or cancelled). */
  result: ImportJob | null;
}

/**
 * Runs one import job at a time and follows it: `import:progress` events drive the bar, and
 * `import:finished` ends it — both received once for the app (store/events.ts) and read here from
 * the store's import feed, which also keeps an end that arrived before the start call answered. A status poll once a second covers a missed event (e.g. the job ended
 * before the start call even answered, or the event stream reconnected).
 */
export function useImportJob() {
  const [job, setJob] = useState<JobView | null>(null);
  const current = useRef<string | null>(null);
  const feed = useStore((s) => (job ? s.importFeed[job.jobId] : undefined));

  useEffect(() => {
    if (!feed) return;
    setJob((j) => {
      if (!j || j.result) return j;
      if (feed.result) return { ...j, progress: feed.result.progress, result: feed.result };
      return feed.progress ? { ...j, progress: feed.progress } : j;
    });
  }, [feed]);

  const running = job !== null && job.result === null;
  useEffect(() => {
    if (!running) return;
    const jobId = job.jobId;
    const id = setInterval(async () => {
      const r = await api.call('import:status', { jobId });
      if (!r.ok || current.current !== jobId) return;
      const s = r.value;
      setJob((j) => (j && j.jobId === jobId && !j.result ? { ...j, progress: s.progress, result: s.state === 'running' ? null : s } : j));
    }, 1000);
    return () => clearInterval(id);
  }, [running, job?.jobId]);

  const start = useCallback(async (options: ImportOptions): Promise<string | null> => {
    const r = await api.call('import:start', options);
    if (!r.ok) return errorText(r);
    const { jobId } = r.value;
    current.current = jobId;
    const early = useStore.getState().importFeed[jobId];
    setJob({ jobId, dryRun: options.dryRun ?? false, progress: early?.progress ?? null, result: early?.result ?? null });
    return null;
  }, []);

  const cancel = useCallback(async () => {
    if (job && !job.result) await api.call('import:cancel', { jobId: job.jobId });
  }, [job]);

  const reset = useCallback(() => {
    current.current = null;
    setJob(null);
  }, []);

  return { job, running, start, cancel, reset };
}
