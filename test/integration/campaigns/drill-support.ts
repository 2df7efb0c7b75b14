import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { build } from 'esbuild';
import { REPO } from '../../support/harness';
import { emitInboxWriterWorker } from '../../support/inbox-writer-worker';

/** Bundles the real CLI (electron/core/cli/main.ts) once, like scripts/build.mjs does. */
export async function buildCli(): Promise<string> {
  const out = path.join(REPO, 'test-results', 'campaign-drill', 'cli.mjs');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await build({
    entryPoints: [path.join(REPO, 'electron/core/cli/main.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
    define: { __PACER_VERSION__: JSON.stringify('drill') },
    banner: {
      js: "import { createRequire as __pacerCreateRequire } from 'node:module'; const require = __pacerCreateRequire(import.meta.url);",
    },
  });
  await emitInboxWriterWorker(out);
  return out;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface RunChild {
  child: ChildProcess;
  /** Resolves with the first stdout line (the JSON start line), or rejects if the child exits first. */
  started: Promise<string>;
  exited: Promise<number | null>;
  stderr: () => string;
}

/** Spawns `pacer --data-dir D run --json …` with the system's Node 24 (the one running the tests). */
export function spawnRun(cli: string, dataDir: string, args: string[]): RunChild {
  const child = spawn(process.execPath, [cli, '--data-dir', dataDir, 'run', '--json', ...args], {
    cwd: REPO,
    env: { ...process.env, PACER_DATA_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    void exited.then((code) => reject(new Error(`pacer run exited (${code}) before starting: ${err}`)));
  });
  started.catch(() => undefined);
  return { child, started, exited, stderr: () => err };
}
