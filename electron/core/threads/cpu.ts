/**
 * This thread's CPU time so far, in milliseconds (user + system), or null where Node cannot tell
 * (process.threadCpuUsage came with Node 23.9). An import logs its threads' times with it: which
 * thread bounds its speed on the user's machine (docs/benchmarks.md).
 */
export function threadCpuMs(): number | null {
  if (typeof process.threadCpuUsage !== 'function') return null;
  const u = process.threadCpuUsage();
  return Math.round((u.user + u.system) / 1000);
}
