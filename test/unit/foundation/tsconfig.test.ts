import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../support/harness';
// @ts-expect-error: a plain .mjs script, no declarations
import { TYPECHECK_CONFIGS } from '../../../scripts/typecheck.mjs';

/**
 * One tsconfig per runtime (docs/architecture.md): a browser global in Node code, or a Node global
 * in browser or shared code, fails `npm run typecheck`. These tests keep the configs honest: every
 * source file is checked by its runtime's config, and each config really refuses the other
 * runtime's globals.
 */

const RUNTIMES = {
  shared: 'tsconfig.shared.json',
  node: 'tsconfig.node.json',
  preload: 'tsconfig.preload.json',
  renderer: 'tsconfig.renderer.json',
  test: 'tsconfig.test.json',
} as const;
type Runtime = keyof typeof RUNTIMES;

function parse(config: string): ts.ParsedCommandLine {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(REPO, config), {}, host);
  if (!parsed) throw new Error(`cannot read ${config}`);
  expect(parsed.errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n'))).toEqual([]);
  return parsed;
}

const configs = Object.fromEntries(Object.entries(RUNTIMES).map(([k, file]) => [k, parse(file)])) as Record<Runtime, ts.ParsedCommandLine>;

/** Diagnostics for one file of `code` placed at `at` (repository-relative), checked with a runtime's options. */
function diagnose(runtime: Runtime, at: string, code: string): string[] {
  const options = configs[runtime].options;
  const file = path.join(REPO, at);
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    path.resolve(name) === file ? ts.createSourceFile(name, code, lang) : read(name, lang, ...rest);
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === file || exists(name);
  // The config's own ambient files (shared/globals.d.ts) come along, as in `tsc -p`.
  const ambient = configs[runtime].fileNames.filter((f) => f.endsWith('.d.ts'));
  const program = ts.createProgram([file, ...ambient], options, host);
  const sf = program.getSourceFile(file)!;
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, ' '),
  );
}

const cannotFind = (name: string) => expect.stringMatching(new RegExp(`^Cannot find name '${name}'`));

describe('one tsconfig per runtime', () => {
  it('each runtime has its libraries and types: Node without the DOM, the browser without Node, shared with neither', () => {
    const libs = (r: Runtime) => (configs[r].options.lib ?? []).map((l) => l.replace(/^lib\.|\.d\.ts$/g, '')).sort();
    expect(libs('shared')).toEqual(['es2023']);
    expect(configs.shared.options.types).toEqual([]);
    expect(libs('node')).toEqual(['es2023']);
    expect(configs.node.options.types).toEqual(['node']);
    for (const r of ['renderer', 'preload'] as const) {
      expect(libs(r)).toEqual(['dom', 'dom.iterable', 'es2023']);
      expect(configs[r].options.types).toEqual([]);
    }
  });

  it('every TypeScript source file belongs to exactly one runtime config', () => {
    const owned = new Map<string, Runtime[]>();
    for (const [r, c] of Object.entries(configs) as [Runtime, ts.ParsedCommandLine][]) {
      for (const f of c.fileNames) owned.set(path.relative(REPO, f), [...(owned.get(path.relative(REPO, f)) ?? []), r]);
    }
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (e.name !== 'node_modules' && !e.name.startsWith('.')) walk(rel);
        } else if (/\.(ts|tsx|mts)$/.test(e.name)) sources.push(rel);
      }
    };
    for (const dir of ['electron', 'renderer', 'shared', 'bench', 'test']) walk(dir);
    sources.push(...fs.readdirSync(REPO).filter((f) => /\.config\.ts$/.test(f)));
    expect(sources.length).toBeGreaterThan(200);
    const wrong = sources.filter((f) => owned.get(f)?.length !== 1).map((f) => `${f}: ${owned.get(f)?.join(', ') ?? 'no config'}`);
    expect(wrong).toEqual([]);
    // By folder: the runtime each part of the app runs in.
    const runtimeOf = (f: string) => owned.get(f)![0];
    for (const f of sources) {
      const expected: Runtime = f.startsWith('shared/')
        ? 'shared'
        : f.startsWith('renderer/')
          ? 'renderer'
          : f.startsWith('electron/preload/')
            ? 'preload'
            : f.startsWith('test/')
              ? 'test'
              : 'node';
      expect(runtimeOf(f), f).toBe(expected);
    }
  });

  it("npm run typecheck (and npm test) runs every runtime config, the relay's too; tsconfig.json lists them for editors", () => {
    expect([...(TYPECHECK_CONFIGS as string[])].sort()).toEqual([...Object.values(RUNTIMES), 'relay/tsconfig.json'].sort());
    const root = ts.readConfigFile(path.join(REPO, 'tsconfig.json'), ts.sys.readFile).config as {
      files: string[];
      references: { path: string }[];
    };
    expect(root.files).toEqual([]);
    expect(root.references.map((r) => path.normalize(r.path)).sort()).toEqual(Object.values(RUNTIMES).sort());
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.typecheck).toBe('node scripts/typecheck.mjs');
    expect(fs.readFileSync(path.join(REPO, 'scripts', 'test-all.mjs'), 'utf8')).toMatch(/for \(const config of TYPECHECK_CONFIGS\)/);
  });

  it('the core refuses browser globals', () => {
    expect(
      diagnose(
        'node',
        'electron/core/probe.ts',
        'export const w = window.innerWidth;\nexport const t = document.title;\nexport const c = process.cwd();',
      ),
    ).toEqual([cannotFind('window'), cannotFind('document')]);
  });

  it('the renderer refuses Node globals', () => {
    expect(
      diagnose(
        'renderer',
        'renderer/probe.ts',
        'export const e = process.env.HOME;\nexport const b = Buffer.from("x");\nexport const w = window.innerWidth;',
      ),
    ).toEqual([cannotFind('process'), cannotFind('Buffer')]);
  });

  it('shared/ refuses both; only what both runtimes have (shared/globals.d.ts) is there', () => {
    expect(
      diagnose(
        'shared',
        'shared/probe.ts',
        [
          'export const w = window.innerWidth;',
          'export const e = process.env.HOME;',
          'export const s = setTimeout(() => 1, 1);',
          'export const n = (f: File) => f.name;',
          'export const i = new Intl.NumberFormat("he").format(1);',
        ].join('\n'),
      ),
    ).toEqual([cannotFind('window'), cannotFind('process'), cannotFind('setTimeout')]);
  });

  it("the preload has the DOM and Electron's preload modules", () => {
    expect(
      diagnose(
        'preload',
        'electron/preload/probe.ts',
        "import { contextBridge } from 'electron';\ncontextBridge.exposeInMainWorld('x', { w: window.innerWidth });",
      ),
    ).toEqual([]);
  });
});
