// npm run bench:send — bundles bench/send-main.ts (it imports the core's TypeScript) and runs it.
// Options after `--`: --recipients N, --bare N, --rate R, --inflight C.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['bench/send-main.ts'],
  outfile: 'bench/.out/send-main.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
  define: { __PACER_VERSION__: '"bench"' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const r = spawnSync(process.execPath, ['bench/.out/send-main.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
