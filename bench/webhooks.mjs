// npm run bench:webhooks — bundles bench/webhooks-main.ts (it imports the core's TypeScript) and runs it.
// Options after `--`: --seconds S, --concurrency C, --rate R, --min-batch N, --max-batch N.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['bench/webhooks-main.ts'],
  outfile: 'bench/.out/webhooks-main.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
  define: { __PACER_VERSION__: '"bench"' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const r = spawnSync(process.execPath, ['bench/.out/webhooks-main.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
