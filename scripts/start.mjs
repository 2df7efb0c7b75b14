// `npm start`: the desktop app when Electron's binary is available, otherwise the browser harness.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
if (!existsSync(join(root, 'dist', 'cli.mjs'))) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });

const electronDir = join(root, 'node_modules', 'electron');
const pathFile = join(electronDir, 'path.txt');
const electronBinary = () => (existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8')) : null);

if (!electronBinary() || !existsSync(electronBinary())) {
  // Electron >= 42 fetches its binary on first launch. Try once, briefly.
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 90_000 });
}
const bin = electronBinary();
if (bin && existsSync(bin) && !process.env.PACER_FORCE_HARNESS) {
  // Launch the app folder, not main.mjs: Electron then reads package.json (name "Pacer", its
  // user-data folder) as the packaged app does, instead of calling itself "Electron".
  const child = spawn(bin, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log("Electron's binary could not be downloaded here (its host is not reachable), so Pacer starts in your browser instead:");
  const child = spawn(process.execPath, [join(root, 'bin', 'pacer.mjs'), 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
