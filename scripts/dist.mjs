// `npm run dist`: build, then electron-builder — with an Electron it need not download when one is
// at hand (dist-options.mjs; README "Packaging without internet"). Extra arguments go to
// electron-builder (e.g. `npm run dist -- --win`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distOptions } from './dist-options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (args) => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(['scripts/build.mjs']);
const { args, electronDist } = distOptions({ root, env: process.env, argv: process.argv.slice(2) });
console.log(
  electronDist
    ? `Packaging with the Electron at ${electronDist} (no download).`
    : 'Packaging: electron-builder fetches Electron (or finds it in ELECTRON_BUILDER_CACHE).',
);
run([join(root, 'node_modules', 'electron-builder', 'cli.js'), ...args]);
