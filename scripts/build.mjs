// Builds everything the hosts run: the renderer (Vite) and the Node/Electron bundles (esbuild).
// Runs on `npm install` (prepare) so `npx pacer` works right after a fresh install.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { copyFileSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { WORKER_ENTRIES } from './worker-entries.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const t0 = Date.now();

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
  define: { __PACER_VERSION__: JSON.stringify(pkg.version) },
  // Dependencies stay in node_modules (better-sqlite3 is native; electron-builder ships the rest).
  packages: 'external',
};
// ESM bundles may contain CommonJS that calls require(): give them one.
const esmBanner = {
  js: "import { createRequire as __pacerCreateRequire } from 'node:module'; const require = __pacerCreateRequire(import.meta.url);",
};

const tasks = {
  node: () =>
    Promise.all([
      esbuild({ ...shared, entryPoints: ['electron/core/cli/main.ts'], outfile: 'dist/cli.mjs', format: 'esm', banner: esmBanner }),
      esbuild({
        ...shared,
        entryPoints: ['electron/core/host/utility.ts'],
        outfile: 'dist/electron/core-host.mjs',
        format: 'esm',
        banner: esmBanner,
      }),
      // The webhook inbox's writer thread (webhooks/writer-thread.ts) loads this file from beside
      // the bundle that starts it: one copy for the CLI / `pacer serve`, one for the utility process.
      // The same for an import's reading and saving threads (contacts/import/read-thread.ts, save-thread.ts).
      ...['dist', 'dist/electron'].flatMap((dir) =>
        WORKER_ENTRIES.map(([entry, name]) =>
          esbuild({
            ...shared,
            entryPoints: [entry],
            outfile: `${dir}/${name}`,
            format: 'esm',
          }),
        ),
      ),
      esbuild({
        ...shared,
        entryPoints: ['electron/main/index.ts'],
        outfile: 'dist/electron/main.mjs',
        format: 'esm',
        banner: esmBanner,
        external: ['electron'],
      }),
      // A sandboxed preload must be a single CommonJS file with only 'electron' left as require.
      esbuild({
        ...shared,
        packages: undefined,
        entryPoints: ['electron/preload/index.ts'],
        outfile: 'dist/electron/preload.cjs',
        format: 'cjs',
        platform: 'node',
        external: ['electron'],
      }),
    ]),
  renderer: () => viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' }),
};

if (!only) rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
for (const [name, run] of Object.entries(tasks)) {
  if (only && only !== name) continue;
  await run();
}
if (!only || only === 'node') copyFileSync('build/tray.png', 'dist/electron/tray.png');
console.log(`built ${only ?? 'all'} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
