#!/usr/bin/env node
// Pacer's CLI launcher. better-sqlite3 13 needs Node >= 22.12; when started by an older system
// Node (20 on some machines), re-run under the Node 24 that `npm install` put in node_modules.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  const local = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(local) || process.env.PACER_REEXEC) {
    console.error(`pacer: Node ${process.versions.node} is too old (need >= 22.12). Run \`npm install\` in ${root} to fetch Node 24.`);
    process.exit(1);
  }
  const r = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, PACER_REEXEC: '1' },
  });
  process.exit(r.status ?? 1);
}
const cli = join(root, 'dist', 'cli.mjs');
if (!existsSync(cli)) {
  console.error('pacer: not built yet. Run `npm run build` (npm install does it for you).');
  process.exit(1);
}
await import(new URL(`file://${cli}`).href);
