// npm run bench:import — bundles bench/import-main.ts (it imports the core's TypeScript) and runs it.
// Options after `--`: --rows N (default 1000000), --keep (keep the generated files).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['bench/import-main.ts'],
  outfile: 'bench/.out/import-main.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
  define: { __PACER_VERSION__: '"bench"' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const r = spawnSync(process.execPath, ['bench/.out/import-main.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
