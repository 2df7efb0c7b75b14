import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';
import { PACER_BIN, REPO, callApi, startServe, tempDataDir, type RunningServe } from '../support/harness';

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

/**
 * The campaign specs' common start: a fresh data folder in `lang` (plus any `settings`), seeded —
 * `guests` imported with consent through the CLI, or a spec's own `seed` — served by `pacer serve`,
 * and the page connected to its Sandbox. The caller stops the serve (in a finally).
 */
export async function servedSandbox(
  page: Page,
  opts: {
    lang: string;
    prefix?: string;
    settings?: Record<string, unknown>;
    guests?: { phones: string[]; consent: 'marketing' | 'utility'; source: string };
    seed?: (dataDir: string) => void;
  },
): Promise<RunningServe> {
  const dataDir = tempDataDir(opts.prefix ?? 'pacer-e2e-');
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: opts.lang, ...opts.settings }));
  if (opts.guests) importGuests(dataDir, opts.guests.phones, opts.guests.consent, opts.guests.source);
  opts.seed?.(dataDir);
  const serve = await startServe({ dataDir });
  try {
    await connectSandbox(page, serve);
  } catch (e) {
    await serve.stop();
    throw e;
  }
  return serve;
}

/** Campaigns → New campaign: the builder open (named when `name` is given). */
export async function openBuilder(page: Page, name?: string): Promise<void> {
  await page.getByTestId('nav-campaigns').click();
  await page.getByTestId('new-campaign').click();
  await expect(page.getByTestId('campaign-builder')).toBeVisible();
  if (name !== undefined) await page.getByTestId('builder-name').fill(name);
}

/** Picks the builder's template by the option's text (e.g. 'spring_sale · en_US'). */
export async function chooseTemplate(page: Page, option: string): Promise<void> {
  const select = page.getByTestId('builder-template');
  await select.selectOption((await select.locator('option', { hasText: option }).getAttribute('value'))!);
}

/** The builder's variables: each of `fallbacks` keeps its contact field with that fallback; each of `literals` becomes fixed text. */
export async function fillParams(page: Page, fallbacks: Record<string, string>, literals: Record<string, string>): Promise<void> {
  for (const [key, text] of Object.entries(fallbacks)) await page.getByTestId(`param-${key}`).getByTestId('param-fallback').fill(text);
  for (const [key, text] of Object.entries(literals)) {
    const p = page.getByTestId(`param-${key}`);
    await p.getByTestId('param-source').selectOption('literal');
    await p.getByTestId('param-literal').fill(text);
  }
}

/** spring_sale's variables as the specs fill them: "there" for a missing first name, 20% off until April 30. */
export const fillSpringSaleParams = (page: Page) => fillParams(page, { first_name: 'there' }, { discount: '20%', end_date: 'April 30' });

/** The connected Sandbox's admin API (POST /__admin/<path>), at the Graph URL the Account page shows. */
export async function sandboxAdmin(page: Page): Promise<(p: string, data: unknown) => Promise<void>> {
  const graphUrl = (await page.getByTestId('graph-url').textContent())!.trim();
  return (p, data) => page.request.post(`${graphUrl}/__admin/${p}`, { data }).then((r) => expect(r.ok(), p).toBe(true));
}

/** Syncs templates until `name` is among them, then reloads the page (the builder's list is the store's, loaded at start). */
export async function syncTemplate(page: Page, serve: RunningServe, name: string): Promise<void> {
  await callApi(serve, 'templates:sync', {});
  await expect.poll(async () => (await callApi<{ name: string }[]>(serve, 'templates:list', {})).some((t) => t.name === name)).toBe(true);
  await page.reload();
}

/** Guests who signed up at the shop (marketing consent), for servedSandbox. */
export const shopGuests = (phones: string[]) => ({ phones, consent: 'marketing' as const, source: 'shop signup' });
/** Patients who signed up at the clinic (utility consent), for servedSandbox. */
export const clinicGuests = (phones: string[]) => ({ phones, consent: 'utility' as const, source: 'clinic signup' });

/** An appointment_reminder draft for `campaigns:create` (to everyone: the first name or "there", Tel Aviv, today). */
export const reminderDraft = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  template: { name: 'appointment_reminder', language: 'en_US' },
  audience: 'all',
  params: { 1: 'first_name|"there"', 2: '"Tel Aviv"', 3: '"today"' },
  ...extra,
});

/** An approved marketing template the pricing specs add to the Sandbox (sandboxAdmin 'templates'), with any extra components. */
export const flashSale = (...extra: Record<string, unknown>[]) => ({
  name: 'flash_sale',
  language: 'en_US',
  category: 'MARKETING',
  status: 'APPROVED',
  quality_score: 'GREEN',
  components: [{ type: 'BODY', text: 'Flash sale today only: every tent 30% off.' }, ...extra],
});
