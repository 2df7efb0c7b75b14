import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { build } from 'esbuild';
import { REPO } from '../../support/harness';

/** Bundles receiver-child.ts next to the repo's node_modules (so better-sqlite3 resolves). */
export async function buildReceiverChild(): Promise<string> {
  const out = path.join(REPO, 'test-results', 'webhooks', 'receiver-child.mjs');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await build({
    entryPoints: [path.join(REPO, 'test/integration/webhooks/receiver-child.ts')], outfile: out, bundle: true, platform: 'node',
    target: 'node22', format: 'esm', packages: 'external', logLevel: 'warning', define: { __PACER_VERSION__: JSON.stringify('test') },
    banner: { js: "import { createRequire as __pacerCreateRequire } from 'node:module'; const require = __pacerCreateRequire(import.meta.url);" },
  });
  return out;
}

export interface Child {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  stderr: () => string;
}

export async function startChild(script: string, dataDir: string, env: NodeJS.ProcessEnv): Promise<Child> {
  const child = spawn(process.execPath, [script, dataDir], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    void exited.then((code) => reject(new Error(`receiver child exited (${code}): ${err}`)));
  });
  return { child, url: (JSON.parse(line) as { url: string }).url, exited, stderr: () => err };
}

/** Waits for a condition by polling (an event we cannot subscribe to across processes), with a deadline. */
export async function waitFor(cond: () => boolean, what: string, deadlineMs = 20_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
