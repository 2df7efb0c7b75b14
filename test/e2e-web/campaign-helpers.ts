import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';
import { PACER_BIN, REPO, callApi, tempDataDir, type RunningServe } from '../support/harness';

/** Imports one guest per phone (first_name Guest0, Guest1…) into DATA_DIR with consent, through the CLI. */
export function importGuests(dataDir: string, phones: string[], consent: 'marketing' | 'utility', source: string): void {
  const csv = path.join(tempDataDir('pacer-csv-'), 'guests.csv');
  fs.writeFileSync(csv, `first_name,phone\n${phones.map((p, i) => `Guest${i},${p}`).join('\n')}\n`);
  const imp = spawnSync(process.execPath, [PACER_BIN, '--data-dir', dataDir, 'import', csv, '--consent', consent, '--consent-source', source, '--json'], { cwd: REPO, encoding: 'utf8' });
  expect(imp.status, imp.stderr).toBe(0);
}

/** Account page → Use Sandbox, then waits until the Sandbox's templates are synced. */
export async function connectSandbox(page: Page, serve: RunningServe): Promise<void> {
  await page.goto(serve.url);
  await page.getByTestId('nav-account').click();
  await page.getByTestId('use-sandbox').click();
  await expect.poll(async () => (await callApi<unknown[]>(serve, 'templates:list', {})).length, { timeout: 30_000 }).toBeGreaterThan(5);
}
