import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { build } from 'esbuild';
import { REPO } from '../../support/harness';
import { emitInboxWriterWorker } from '../../support/inbox-writer-worker';

/** Bundles receiver-child.ts next to the repo's node_modules (so better-sqlite3 resolves). */
export async function buildReceiverChild(): Promise<string> {
  const out = path.join(REPO, 'test-results', 'webhooks', 'receiver-child.mjs');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await build({
    entryPoints: [path.join(REPO, 'test/integration/webhooks/receiver-child.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
    define: { __PACER_VERSION__: JSON.stringify('test') },
    banner: {
      js: "import { createRequire as __pacerCreateRequire } from 'node:module'; const require = __pacerCreateRequire(import.meta.url);",
    },
  });
  await emitInboxWriterWorker(out);
  return out;
}

export interface Child {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  stderr: () => string;
}

export async function startChild(script: string, dataDir: string, env: NodeJS.ProcessEnv): Promise<Child> {
  const child = spawn(process.execPath, [script, dataDir], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
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

export const RELAY_MAIN = path.join(REPO, 'relay', 'src', 'main.ts');
export const RELAY_VERIFY = 'relay-verify-token-1';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export function relayEnv(dataDir: string, port: number, appSecret: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    RELAY_DATA: dataDir,
    RELAY_APP_SECRET: appSecret,
    RELAY_VERIFY_TOKEN: RELAY_VERIFY,
    RELAY_PORT: String(port),
    RELAY_HOST: '127.0.0.1',
  };
}

/** `npm run relay -- pair --name NAME`: the installation token. */
export function pairRelay(dataDir: string, port: number, appSecret: string, name: string): string {
  const r = spawnSync(process.execPath, [RELAY_MAIN, 'pair', '--name', name], {
    cwd: REPO,
    env: relayEnv(dataDir, port, appSecret),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`relay pair failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { token: string }).token;
}

export const relayChildren: ChildProcess[] = [];

/** The relay as its own process (`node relay/src/main.ts serve`), as a user runs it. */
export async function startRelayProcess(
  dataDir: string,
  port: number,
  appSecret: string,
): Promise<{ child: ChildProcess; url: string; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [RELAY_MAIN, 'serve'], {
    cwd: REPO,
    env: relayEnv(dataDir, port, appSecret),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  relayChildren.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise((r) => child.on('exit', r));
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    void exited.then(() => reject(new Error(`relay exited: ${err}`)));
  });
  return { child, url: (JSON.parse(line) as { url: string }).url, exited };
}
