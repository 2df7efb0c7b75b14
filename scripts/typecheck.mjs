// `npm run typecheck`: one `tsc -p` per runtime (docs/architecture.md, "One tsconfig per runtime"),
// each run even after a failure so one run shows everything. scripts/test-all.mjs runs the same list.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Every config `npm test` type-checks: the app's runtimes, the tests, and the relay. */
export const TYPECHECK_CONFIGS = [
  'tsconfig.shared.json',
  'tsconfig.node.json',
  'tsconfig.preload.json',
  'tsconfig.renderer.json',
  'tsconfig.test.json',
  'relay/tsconfig.json',
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let failed = 0;
  for (const config of TYPECHECK_CONFIGS) {
    const t0 = Date.now();
    const r = spawnSync('node_modules/.bin/tsc', ['-p', config, '--noEmit'], { stdio: 'inherit' });
    const ok = r.status === 0;
    if (!ok) failed++;
    console.log(`${ok ? 'ok    ' : 'FAILED'} ${config} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  }
  process.exit(failed ? 1 : 0);
}
