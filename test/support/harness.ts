import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export const REPO = path.resolve(import.meta.dirname, '..', '..');
export const PACER_BIN = path.join(REPO, 'bin', 'pacer.mjs');

export function tempDataDir(prefix = 'pacer-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface RunningServe {
  url: string;
  dataDir: string;
  child: ChildProcess;
  stop(): Promise<number | null>;
}

/**
 * Starts `pacer serve` on a fresh data dir and resolves when it prints its URL — an event, not a
 * sleep. Each test (or file) gets its own data dir, so tests never share state.
 */
export async function startServe(
  opts: { dataDir?: string; settings?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningServe> {
  const dataDir = opts.dataDir ?? tempDataDir();
  if (opts.settings) fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify(opts.settings));
  const child = spawn(process.execPath, [PACER_BIN, '--data-dir', dataDir, 'serve', '--json', '--webhook-port', '0'], {
    cwd: REPO,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch {
        reject(new Error(`pacer serve printed: ${line}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`pacer serve exited (${code}): ${stderr}`)));
  });
  return {
    url,
    dataDir,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** Calls a contract method on a running harness the way the renderer does (token from the URL fragment). */
export async function callApi<T>(serve: RunningServe, method: string, input: unknown): Promise<T> {
  const u = new URL(serve.url);
  const token = new URLSearchParams(u.hash.slice(1)).get('token')!;
  const res = await fetch(`${u.origin}/api/call/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-pacer-token': token },
    body: JSON.stringify(input),
  });
  const r = (await res.json()) as { ok: boolean; value: T; message?: string };
  if (!r.ok) throw new Error(`${method}: ${r.message}`);
  return r.value;
}
