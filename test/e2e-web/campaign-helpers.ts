import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';
import { PACER_BIN, REPO, callApi, tempDataDir, type RunningServe } from '../support/harness';

/** Imports one guest per phone (first_name Guest0, Guest1…) into DATA_DIR with consent, through the CLI. */
export function importGuests(dataDir: string, phones: string[], consent: 'marketing' | 'utility', source: string): void {
  const csv = path.join(tempDataDir('pacer-csv-'), 'guests.csv');
  fs.writeFileSync(csv, `first_name,phone\n${phones.map((p, i) => `Guest${i},${p}`).join('\n')}\n`);
  const imp = spawnSync(
    process.execPath,
    [PACER_BIN, '--data-dir', dataDir, 'import', csv, '--consent', consent, '--consent-source', source, '--json'],
    { cwd: REPO, encoding: 'utf8' },
  );
  expect(imp.status, imp.stderr).toBe(0);
}

/** Account page → Use Sandbox, then waits until the Sandbox's templates are synced. */
export async function connectSandbox(page: Page, serve: RunningServe): Promise<void> {
  await page.goto(serve.url);
  await page.getByTestId('nav-account').click();
  await page.getByTestId('use-sandbox').click();
  await expect.poll(async () => (await callApi<unknown[]>(serve, 'templates:list', {})).length, { timeout: 30_000 }).toBeGreaterThan(5);
}

/** A free TCP port on 127.0.0.1 (for a webhook receiver a child `pacer run` will listen on). */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

/** A child that prints one JSON line first (`pacer sandbox`, `pacer run --json`). */
export async function startChild(args: string[]): Promise<{ child: ChildProcess; first: Record<string, unknown>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [PACER_BIN, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const first = await new Promise<Record<string, unknown>>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', (line) => {
      try {
        resolve(JSON.parse(line) as Record<string, unknown>);
      } catch {
        reject(new Error(`printed: ${line}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`pacer ${args[0]} exited (${code}): ${stderr}`)));
  });
  return {
    child,
    first,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
