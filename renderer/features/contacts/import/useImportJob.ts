import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportJob, ImportOptions, ImportProgress } from '../../../../shared/contract/contacts';
import { api } from '../../../api/client';

export interface JobView {
  jobId: string;
  dryRun: boolean;
  progress: ImportProgress | null;
  /** Set once the job ended (done, failed or cancelled). */
  result: ImportJob | null;
}

/**
 * Runs one import job at a time and follows it: `import:progress` events drive the bar, and
 * `import:finished` ends it. A status poll once a second covers a missed event (e.g. the job ended
 * before the start call even answered, or the event stream reconnected).
 */
export function useImportJob() {
  const [job, setJob] = useState<JobView | null>(null);
  const current = useRef<string | null>(null);
  const finishedEarly = useRef(new Map<string, ImportJob>());

  useEffect(() => {
    const offProgress = api.on('import:progress', (p) => {
      if (p.jobId === current.current) setJob((j) => (j && j.jobId === p.jobId && !j.result ? { ...j, progress: p } : j));
    });
    const offFinished = api.on('import:finished', (r) => {
      if (r.jobId !== current.current) return void finishedEarly.current.set(r.jobId, r);
      setJob((j) => (j && j.jobId === r.jobId ? { ...j, progress: r.progress, result: r } : j));
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, []);

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
    if (!r.ok) return r.message;
    const { jobId } = r.value;
    current.current = jobId;
    const early = finishedEarly.current.get(jobId) ?? null;
    setJob({ jobId, dryRun: options.dryRun ?? false, progress: early?.progress ?? null, result: early });
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
