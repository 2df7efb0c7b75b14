// npm run bench:sandbox — bundles bench/sandbox-main.ts (it imports the sandbox's TypeScript) and runs it.
// Options after `--`: --sends N (default 3000), --concurrency C (default 32).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

await build({
  entryPoints: ['bench/sandbox-main.ts'],
  outfile: 'bench/.out/sandbox-main.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const r = spawnSync(process.execPath, ['bench/.out/sandbox-main.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
