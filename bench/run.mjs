// npm run bench:NAME — bundles bench/NAME-main.ts (it imports the core's TypeScript) and runs it,
// passing the options given after `--`. The options of each benchmark are listed at the top of its
// *-main.ts file and in docs/benchmarks.md.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { WORKER_ENTRIES } from '../scripts/worker-entries.mjs';

const [name, ...args] = process.argv.slice(2);
const entry = `bench/${name}-main.ts`;
if (!name || !existsSync(entry)) {
  console.error(`usage: node bench/run.mjs NAME [options] — no ${entry}`);
  process.exit(2);
}
const outfile = `bench/.out/${name}-main.mjs`;
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
  define: { __PACER_VERSION__: '"bench"' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
// The core's worker threads load their modules from beside the bundle (scripts/build.mjs does the same for dist/).
for (const [entry, name] of WORKER_ENTRIES) {
  await build({
    entryPoints: [entry],
    outfile: `bench/.out/${name}`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    logLevel: 'warning',
  });
}
const r = spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
