import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Esbuild from 'esbuild';

/**
 * Where a worker thread's code comes from. The core's worker modules (the webhook inbox's writer,
 * an import's reading thread) are modules of their own, typed and linted. scripts/build.mjs emits
 * each as `<bundleName>` beside every bundle that contains its starter (dist/cli.mjs,
 * dist/electron/core-host.mjs); run from source (tests, benchmarks) it is compiled once on the fly
 * with esbuild, a dev dependency that is always there with the source.
 */
export type WorkerScript = { kind: 'file'; url: URL };

const compiled = new Map<string, URL>();

/**
 * @param bundleName the emitted file's name, looked up beside `base`
 * @param sourceName the TypeScript source, relative to `base` when running from source
 * @param base the starter module's import.meta.url
 */
export function workerScript(bundleName: string, sourceName: string, base: string): WorkerScript {
  const bundled = new URL(`./${bundleName}`, base);
  if (fs.existsSync(fileURLToPath(bundled))) return { kind: 'file', url: bundled };
  const source = fileURLToPath(new URL(sourceName, base));
  if (!fs.existsSync(source))
    throw new Error(`A worker thread's code is missing: neither ${fileURLToPath(bundled)} nor ${source} exists (run npm run build)`);
  let url = compiled.get(source);
  if (url === undefined) {
    const require = createRequire(base);
    const esbuild = require('esbuild') as typeof Esbuild;
    // An ES module, as in dist/ (some packages export parts only to `import`), written where its
    // package imports resolve: node_modules/.cache, the usual place for tools' generated files.
    const cacheDir = path.join(path.dirname(require.resolve('esbuild/package.json')), '..', '.cache', 'pacer-workers');
    fs.mkdirSync(cacheDir, { recursive: true });
    const out = esbuild.buildSync({
      entryPoints: [source],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      packages: 'external',
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    // Named by its content: test processes running at once share one file, and a change makes a new one.
    const hash = crypto.createHash('sha256').update(code).digest('hex').slice(0, 16);
    const file = path.join(cacheDir, `${path.basename(source, '.ts')}-${hash}.mjs`);
    if (!fs.existsSync(file)) {
      // Written whole under a name of its own, then renamed: a thread never starts from half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, code);
      fs.renameSync(tmp, file);
    }
    url = pathToFileURL(file);
    compiled.set(source, url);
  }
  return { kind: 'file', url };
}
