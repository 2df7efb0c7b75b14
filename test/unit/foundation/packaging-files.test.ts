import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../support/harness';
// @ts-expect-error a plain .mjs script, no types
import { distOptions } from '../../../scripts/dist-options.mjs';

const require = createRequire(import.meta.url);
// electron-builder's own matcher for node_modules files (what it copies into the package).
const { getNodeModuleFileMatcher, FileMatcher } = require('app-builder-lib/out/fileMatcher.js') as {
  getNodeModuleFileMatcher(
    appDir: string,
    dest: string,
    expand: (s: string) => string,
    platformOptions: object,
    packager: object,
  ): { patterns: string[] };
  FileMatcher: new (
    from: string,
    to: string,
    expand: (s: string) => string,
    patterns: string[],
  ) => { createFilter(): (file: string, stat: object) => boolean };
};

const config = parse(fs.readFileSync(path.join(REPO, 'electron-builder.yml'), 'utf8')) as Record<string, { files?: string[] }> & {
  files: string[];
};

/** Which of these files of the SQLite driver electron-builder would ship for a platform section. */
const DRIVER = 'better-sqlite3-multiple-ciphers';
function shipped(section: 'linux' | 'mac' | 'win', files: string[]): string[] {
  const appDir = '/app';
  const moduleMatcher = getNodeModuleFileMatcher(appDir, '/out', (s) => s, config[section]!, { config, debugLogger: { isEnabled: false } });
  const dep = path.join(appDir, 'node_modules', DRIVER);
  const filter = new FileMatcher(dep, '/out/node_modules/better-sqlite3-multiple-ciphers', (s) => s, moduleMatcher.patterns).createFilter();
  return files.filter((rel) =>
    filter(path.join(dep, rel), { isDirectory: () => false, moduleFullFilePath: `node_modules/${DRIVER}/${rel}` }),
  );
}

const FILES = [
  'package.json',
  'lib/index.js',
  'lib/binding.js',
  'deps/sqlite3/sqlite3.c',
  'src/better_sqlite3.cpp',
  'build/Release/obj.target/x.o',
  'binding.gyp',
  'prebuilds/linux-x64.node',
  'prebuilds/linux-arm64.node',
  'prebuilds/linuxmusl-x64.node',
  'prebuilds/darwin-x64.node',
  'prebuilds/darwin-arm64.node',
  'prebuilds/win32-x64.node',
  'prebuilds/win32-arm64.node',
];

describe('what the package ships of the SQLite driver (better-sqlite3-multiple-ciphers)', () => {
  it('never its C sources or build folder', () => {
    for (const section of ['linux', 'mac', 'win'] as const) {
      const kept = shipped(section, FILES);
      expect(kept).toEqual(expect.arrayContaining(['package.json', 'lib/index.js', 'lib/binding.js']));
      for (const gone of ['deps/sqlite3/sqlite3.c', 'src/better_sqlite3.cpp', 'build/Release/obj.target/x.o', 'binding.gyp'])
        expect(kept).not.toContain(gone);
    }
  });

  it("only its own platform's prebuilds (both architectures)", () => {
    const prebuilds = (section: 'linux' | 'mac' | 'win') => shipped(section, FILES).filter((f) => f.startsWith('prebuilds/'));
    expect(prebuilds('linux')).toEqual(['prebuilds/linux-x64.node', 'prebuilds/linux-arm64.node', 'prebuilds/linuxmusl-x64.node']);
    expect(prebuilds('mac')).toEqual(['prebuilds/darwin-x64.node', 'prebuilds/darwin-arm64.node']);
    expect(prebuilds('win')).toEqual(['prebuilds/win32-x64.node', 'prebuilds/win32-arm64.node']);
  });
});

describe('npm run dist without internet', () => {
  const root = '/repo';
  it('PACER_ELECTRON_DIST becomes electronDist (no Electron download)', () => {
    const r = distOptions({ root, env: { PACER_ELECTRON_DIST: '/cache/electron-v45.4.1-linux-x64.zip' }, exists: () => true });
    expect(r.args).toEqual(['--config', 'electron-builder.yml', '--config.electronDist=/cache/electron-v45.4.1-linux-x64.zip']);
    expect(() => distOptions({ root, env: { PACER_ELECTRON_DIST: 'nope' }, exists: () => false })).toThrow(/does not exist/);
  });

  it('uses the Electron already in node_modules for this platform, not for another', () => {
    const exists = () => true;
    expect(distOptions({ root, env: {}, platform: 'linux', exists }).electronDist).toBe('/repo/node_modules/electron/dist');
    expect(distOptions({ root, env: {}, platform: 'linux', argv: ['--win'], exists }).electronDist).toBeNull();
    expect(distOptions({ root, env: {}, platform: 'linux', exists: () => false }).electronDist).toBeNull();
    expect(distOptions({ root, env: {}, platform: 'linux', argv: ['--linux', 'deb'], exists }).args.slice(-2)).toEqual(['--linux', 'deb']);
  });
});
