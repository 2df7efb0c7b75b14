// What `npm run dist` passes electron-builder so a build machine without internet can package.
// electron-builder needs three things from outside: Electron's zip for the target platform, its own
// tools (AppImage runtime, NSIS, fpm for deb…) and the npm packages (already in node_modules).
// - PACER_ELECTRON_DIST: an Electron zip, a folder holding electron-vX-<platform>-<arch>.zip, or an
//   unpacked Electron folder → electron-builder's `electronDist` (nothing is downloaded).
// - Otherwise the Electron binary already in node_modules/electron/dist (`npm start` fetched it) is
//   used when building for this same platform.
// - ELECTRON_BUILDER_CACHE (its tools, and the Electron zips it fetched, under downloads/) is read
//   by electron-builder itself: point it at a cache filled on a machine with internet (README).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const PLATFORM_FLAGS = { darwin: ['--mac', '-m', '--macos', '-o'], win32: ['--win', '-w', '--windows'], linux: ['--linux', '-l'] };

/** Whether the command line asks for a platform other than `platform`. */
const targetsOtherPlatform = (argv, platform) =>
  Object.entries(PLATFORM_FLAGS).some(([p, flags]) => p !== platform && argv.some((a) => flags.includes(a)));

/** @returns {{ args: string[], electronDist: string | null }} */
export function distOptions({ root, env, argv = [], platform = process.platform, exists = existsSync }) {
  const args = ['--config', 'electron-builder.yml'];
  let electronDist = null;
  if (env.PACER_ELECTRON_DIST) {
    electronDist = resolve(root, env.PACER_ELECTRON_DIST);
    if (!exists(electronDist)) throw new Error(`PACER_ELECTRON_DIST does not exist: ${electronDist}`);
  } else {
    const local = join(root, 'node_modules', 'electron', 'dist');
    if (exists(join(root, 'node_modules', 'electron', 'path.txt')) && exists(local) && !targetsOtherPlatform(argv, platform))
      electronDist = local;
  }
  if (electronDist) args.push(`--config.electronDist=${electronDist}`);
  return { args: [...args, ...argv], electronDist };
}
