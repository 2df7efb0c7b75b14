import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS } from './fixtures';
import { PACER_BIN, REPO, callApi, startServe, tempDataDir, type RunningServe } from '../support/harness';
import { freePort, startChild } from './campaign-helpers';
import { SANDBOX_ACCESS_TOKEN, SANDBOX_APP_SECRET, SANDBOX_PHONE_NUMBER_ID, SANDBOX_WABA_ID } from '../../electron/core/sandbox/index';

/*
 * From a fresh data dir: contacts imported with consent (and some without), the account on the
 * Sandbox, a campaign built in the UI with the plan's numbers checked against the audience, started,
 * sent with the Sandbox posting signed delivery webhooks to Pacer's receiver, and the results read
 * on the campaign page — funnel, failures, per-recipient table, export — in en, he and zh-TW.
 */

const CONSENTED = ['+972500000001', '+972500000002', '+972500000003', '+972500000004', '+972500000005', '+972500000006'];
const US = '+12025550143';
const NO_CONSENT = ['+972500000101', '+972500000102'];

function pacer(dataDir: string, args: string[]): string {
  const r = spawnSync(process.execPath, [PACER_BIN, '--data-dir', dataDir, ...args], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pacer ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Contacts as a marketer's CSV: names, phones, a tag; consent recorded on import for the first file only. */
function seedContacts(dataDir: string): void {
  const dir = tempDataDir('pacer-csv-');
  const rows = (phones: string[], first: string[], tag: string) =>
    phones.map((p, i) => `${first[i % first.length]},${p},${tag}`).join('\n');
  const consented = path.join(dir, 'consented.csv');
  fs.writeFileSync(
    consented,
    `first_name,phone,tags\n${rows([...CONSENTED, US], ['Dana', 'Noa', 'Avi', 'Lior', 'Maya', '', 'Sam'], 'customers')}\n`,
  );
  const other = path.join(dir, 'no-consent.csv');
  fs.writeFileSync(other, `first_name,phone,tags\n${rows(NO_CONSENT, ['Eli', 'Tal'], 'leads')}\n`);
  pacer(dataDir, ['import', consented, '--consent', 'marketing', '--consent-source', 'e2e signup form', '--json']);
  pacer(dataDir, ['import', other, '--json']);
}

/** Calls a core method through the harness bridge, as the page does. */
const call = callApi;

/** A full-length screenshot: the app scrolls inside its main pane, so grow the window to the content first. */
async function shot(page: Page, name: string) {
  const h = await page.locator('main.main').evaluate((el) => el.scrollHeight);
  await page.setViewportSize({ width: 1280, height: Math.min(4000, Math.max(800, h)) });
  await page.screenshot({ path: path.join(SHOTS, name) });
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function setLanguage(page: Page, serve: RunningServe, lang: string, dir: 'ltr' | 'rtl') {
  await call(serve, 'settings:update', { language: lang });
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  await expect(page.locator('html')).toHaveAttribute('dir', dir);
}

async function buildCampaign(page: Page, name: string) {
  await page.getByTestId('nav-campaigns').click();
  await page.getByTestId('new-campaign').click();
  await expect(page.getByTestId('campaign-builder')).toBeVisible();
  await page.getByTestId('builder-name').fill(name);
  const select = page.getByTestId('builder-template');
  // Non-approved templates are listed but cannot be chosen.
  await expect(select.locator('option', { hasText: 'winter_clearance' })).toBeDisabled();
  await expect(select.locator('option', { hasText: 'black_friday_2025' })).toBeDisabled();
  const value = await select.locator('option', { hasText: 'spring_sale · en_US' }).getAttribute('value');
  await select.selectOption(value!);
  // The template has an image header: its link is asked for.
  await page.getByTestId('builder-media').fill('https://example.com/tents.jpg');
  // Every parameter gets a source; the builder refuses to go on with an empty one.
  const first = page.getByTestId('param-first_name');
  await expect(first).toHaveAttribute('data-complete', 'false');
  await expect(page.getByTestId('builder-start')).toBeDisabled();
  await first.getByTestId('param-fallback').fill('there');
  await expect(first).toHaveAttribute('data-complete', 'true');
  const discount = page.getByTestId('param-discount');
  await discount.getByTestId('param-source').selectOption('literal');
  await discount.getByTestId('param-literal').fill('20%');
  const end = page.getByTestId('param-end_date');
  await end.getByTestId('param-source').selectOption('literal');
  await end.getByTestId('param-literal').fill('April 30');
}

test('build, plan, start, deliver and read the results of a campaign (en, he, zh-TW)', async ({ page }) => {
  test.setTimeout(180_000);
  const dataDir = tempDataDir('pacer-e2e-campaigns-');
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: 'en' }));
  seedContacts(dataDir);

  // The Sandbox as its own process, posting signed webhooks to the port Pacer's receiver will use.
  const webhookPort = await freePort();
  const sandbox = await startChild(['sandbox', '--port', '0', '--webhook-url', `http://127.0.0.1:${webhookPort}/webhook`, '--seed', '3']);
  const sandboxUrl = sandbox.first.base_url as string;
  let serve: RunningServe | null = await startServe({ dataDir });
  let campaignId = '';
  try {
    await call(serve, 'account:connect', {
      graphUrl: sandboxUrl,
      wabaId: SANDBOX_WABA_ID,
      phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
      accessToken: SANDBOX_ACCESS_TOKEN,
      appSecret: SANDBOX_APP_SECRET,
    });
    await call(serve, 'templates:sync', {});

    await page.goto(serve.url);
    await page.getByTestId('nav-campaigns').click();
    await expect(page.getByTestId('empty-state')).toBeVisible();
    await page.screenshot({ path: path.join(SHOTS, 'campaigns-empty-en.png') });
    await buildCampaign(page, 'Spring sale — tents');

    // The plan matches the audience: 9 contacts; 2 without consent, 1 US +1 number (marketing blocked).
    const plan = page.getByTestId('plan-panel');
    await expect(plan.getByTestId('plan-audience')).toHaveAttribute('data-value', '9');
    await expect(plan.getByTestId('plan-eligible')).toHaveText('6');
    const excl = plan.getByTestId('plan-exclusions');
    await expect(excl.locator('[data-reason="no_consent"]')).toHaveAttribute('data-count', '2');
    await expect(excl.locator('[data-reason="us_marketing"]')).toHaveAttribute('data-count', '1');
    for (const r of ['opted_out', 'invalid', 'frequency_cap', 'duplicate', 'unmapped_parameter']) {
      await expect(excl.locator(`[data-reason="${r}"]`)).toHaveAttribute('data-count', '0');
    }
    await expect(plan.getByTestId('plan-shared-warning')).toBeVisible();
    await expect(plan.getByTestId('plan-forecast')).toContainText('6 messages today');
    await expect(plan.getByTestId('plan-limit')).toContainText('2,000');
    // The preview shows the first eligible contact's own values (the 6th has no first name: the fallback).
    await expect(page.getByTestId('template-bubble')).toContainText('Hi Dana, our spring sale is on: 20% off all tents until April 30.');
    await page.getByTestId('preview-search').fill('500000006');
    await page.getByRole('option', { name: /972500000006/ }).click();
    await expect(page.getByTestId('template-bubble')).toContainText('Hi there, our spring sale');
    // The audience from tags, live: customers only (7), then everyone except customers (the 2 leads, no consent).
    await page.getByTestId('audience-build').click();
    await page.getByTestId('audience-include').locator('[data-term="tag:customers"]').click();
    await expect(page.getByTestId('audience-preview')).toHaveText('tag:customers');
    await expect(plan.getByTestId('plan-audience')).toHaveAttribute('data-value', '7');
    await expect(plan.getByTestId('plan-eligible')).toHaveText('6');
    await page.getByTestId('audience-include').locator('[data-term="tag:customers"]').click();
    await page.getByTestId('audience-exclude').locator('[data-term="tag:customers"]').click();
    await expect(page.getByTestId('audience-preview')).toHaveText('all and not tag:customers');
    await expect(plan.getByTestId('plan-audience')).toHaveAttribute('data-value', '2');
    await expect(plan.getByTestId('plan-eligible')).toHaveText('0');
    await page.getByTestId('audience-all').click();
    await expect(plan.getByTestId('plan-audience')).toHaveAttribute('data-value', '9');
    // A start date in a chosen time zone moves the forecast.
    await page.getByTestId('schedule-at').click();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId('schedule-at-input').fill(`${tomorrow}T09:00`);
    await page.getByLabel('Time zone').selectOption('UTC');
    await expect(plan.getByTestId('plan-forecast')).toContainText('6 messages tomorrow from');
    await page.getByTestId('schedule-now').click();
    await expect(plan.getByTestId('plan-forecast')).toContainText('6 messages today');
    // Changing the margin re-plans: the moving-24-hour budget shrinks with it.
    await page.getByTestId('plan-margin').fill('20');
    await expect(plan).toContainText('Keep 20 % of the limit free');
    await shot(page, 'campaigns-builder-en.png');

    // Test send to a chosen number: a marketing template, and the number is not a contact with opt-in — refused, saying why
    // (campaign-test-send.spec.ts covers the other refusals and the sends).
    await page.getByTestId('test-numbers').fill('+972 50 000 0099');
    await page.getByTestId('test-send-button').click();
    await expect(page.getByTestId('test-results')).toContainText('+972500000099 — not a contact with a marketing opt-in');
    await expect(page.getByTestId('test-result')).toHaveAttribute('data-reason', 'no_consent');
    // Saved by the test send: each exclusion can now be listed.
    await plan.getByRole('button', { name: 'No consent for this category' }).click();
    await expect(page.getByTestId('exclusions-no_consent').locator('li')).toHaveText([/\+972500000101/, /\+972500000102/]);

    await page.getByTestId('builder-start').click();
    // Start asks first (who, how many, which number, cost) in the app's own dialog.
    await page.getByTestId('start-confirm-ok').click();
    const detail = page.getByTestId('campaign-detail');
    await expect(detail).toBeVisible();
    campaignId = (await detail.getAttribute('data-id'))!;
    await expect(page.getByTestId('funnel-skipped')).toHaveAttribute('data-value', '3');
    await expect(page.getByTestId('recipients-count')).toHaveText('9 recipients');
  } finally {
    await serve.stop();
    serve = null;
  }

  // `pacer run` sends (as the app does while open); the Sandbox's delivery webhooks come back to its receiver.
  const run = await startChild(['--data-dir', dataDir, 'run', '--webhook-port', String(webhookPort), '--json']);
  try {
    // Every message (the 6 of the campaign; the test send was refused) delivered or read at the Sandbox, and every webhook acknowledged by Pacer.
    await expect
      .poll(
        async () => {
          const r = (await (await fetch(`${sandboxUrl}/__admin/messages?limit=100`)).json()) as { data: { status: string }[] };
          return r.data.filter((m) => m.status === 'delivered' || m.status === 'read').length;
        },
        { timeout: 60_000, intervals: [250] },
      )
      .toBe(6);
    await expect
      .poll(
        async () => {
          const r = (await (await fetch(`${sandboxUrl}/__admin/webhooks?field=messages&state=delivered`)).json()) as {
            data: { payload: unknown }[];
          };
          const acknowledged = new Set<string>();
          for (const w of r.data) {
            const p = w.payload as { entry: { changes: { value: { statuses?: { status: string; recipient_id: string }[] } }[] }[] };
            for (const e of p.entry)
              for (const c of e.changes)
                for (const st of c.value.statuses ?? []) {
                  if (st.status === 'delivered') acknowledged.add(`+${st.recipient_id}`);
                }
          }
          return CONSENTED.filter((p) => acknowledged.has(p)).length;
        },
        { timeout: 30_000, intervals: [250] },
      )
      .toBe(6);
    // Dana answers with the template's quick-reply button: a reply, and a tap in the campaign's tally.
    const tap = await fetch(`${sandboxUrl}/__admin/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: CONSENTED[0], kind: 'button', text: 'Shop now' }),
    });
    expect(tap.ok).toBe(true);
    await expect
      .poll(
        async () =>
          JSON.stringify(await (await fetch(`${sandboxUrl}/__admin/webhooks?field=messages&state=delivered`)).json()).includes('Shop now'),
        { timeout: 30_000, intervals: [250] },
      )
      .toBe(true);
  } finally {
    await run.stop();
  }

  // The results, read back in the app.
  serve = await startServe({ dataDir });
  try {
    await page.goto(serve.url);
    await page.getByTestId('nav-campaigns').click();
    const row = page.getByTestId('campaign-row').filter({ hasText: 'Spring sale — tents' });
    await expect(row.getByTestId('campaign-state')).toHaveAttribute('data-state', 'completed');
    await page.screenshot({ path: path.join(SHOTS, 'campaigns-list-en.png') });
    await row.getByRole('button', { name: 'Spring sale — tents', exact: true }).click();
    await expect(page.getByTestId('campaign-detail')).toHaveAttribute('data-id', campaignId);
    await expect(page.getByTestId('funnel-accepted')).toHaveAttribute('data-value', '6');
    await expect(page.getByTestId('funnel-delivered')).toHaveAttribute('data-value', '6');
    await expect(page.getByTestId('funnel-failed')).toHaveAttribute('data-value', '0');
    await expect(page.getByTestId('funnel-chart')).toBeVisible();
    await expect(page.getByTestId('no-failures')).toBeVisible();
    await expect(page.getByTestId('funnel-replied')).toHaveAttribute('data-value', '1');
    await expect(page.getByTestId('button-tallies')).toContainText('Shop now');
    await expect(page.getByTestId('button-tallies').locator('li')).toHaveAttribute('data-count', '1');

    // Per-recipient table: filter by state, search, export.
    const table = page.getByTestId('recipients-table');
    await expect(table.getByTestId('recipient-row')).toHaveCount(9);
    await page.getByTestId('recipients-state').selectOption('skipped');
    await expect(table.getByTestId('recipient-row')).toHaveCount(3);
    await expect(table).toContainText('US marketing block');
    await page.getByTestId('recipients-state').selectOption('');
    await page.getByTestId('recipients-search').fill('500000003');
    await expect(table.getByTestId('recipient-row')).toHaveCount(1);
    await expect(table.getByTestId('recipient-row').first()).toHaveAttribute('data-state', /delivered|read/);
    await page.getByTestId('recipients-search').fill('');
    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^Spring-sale-tents-report\.csv$/);
    const csv = fs.readFileSync((await file.path())!, 'utf8');
    expect(csv.trim().split('\n')).toHaveLength(1 + 9);
    await shot(page, 'campaigns-detail-en.png');
    await call(serve, 'settings:update', { theme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await shot(page, 'campaigns-detail-dark-en.png');
    await call(serve, 'settings:update', { theme: 'light' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

    // Dashboard: the overview across campaigns.
    await page.getByTestId('nav-dashboard').click();
    await expect(page.getByTestId('overview-templates')).toContainText('spring_sale');
    await expect(page.getByTestId('overview-templates')).toContainText('100%');
    // Connected, contacts imported, a campaign made: the getting-started checklist has gone.
    await expect(page.getByTestId('getting-started')).toHaveCount(0);
    await shot(page, 'campaigns-dashboard-en.png');

    // Hebrew (mirrored) and Traditional Chinese: list, builder with its plan, campaign page.
    for (const [lang, dir] of [
      ['he', 'rtl'],
      ['zh-TW', 'ltr'],
    ] as const) {
      await setLanguage(page, serve, lang, dir);
      await page.getByTestId('nav-campaigns').click();
      // The Campaigns page remembers the campaign that was open: go back to the list from it.
      await expect(page.getByTestId('campaign-detail').or(page.getByTestId('campaign-list'))).toBeVisible();
      if (await page.getByTestId('detail-back').isVisible()) await page.getByTestId('detail-back').click();
      await expect(page.getByTestId('campaign-list')).toBeVisible();
      await page.screenshot({ path: path.join(SHOTS, `campaigns-list-${lang}.png`) });
      await page.getByTestId('campaign-row').first().click();
      await expect(page.getByTestId('funnel-delivered')).toHaveAttribute('data-value', '6');
      if (dir === 'rtl') {
        // Mirrored: the funnel's labels sit at the inline start — the right edge in Hebrew.
        const step = (await page.getByTestId('funnel-accepted').boundingBox())!;
        const label = (await page.getByTestId('funnel-accepted').locator('.cmp-funnel-label').boundingBox())!;
        expect(label.x + label.width).toBeGreaterThan(step.x + step.width - 20);
      }
      await shot(page, `campaigns-detail-${lang}.png`);
      await page.getByTestId('detail-back').click();
      await page.getByTestId('new-campaign').click();
      const select = page.getByTestId('builder-template');
      const he = await select.locator('option', { hasText: `spring_sale · ${lang === 'he' ? 'he' : 'zh_TW'}` }).getAttribute('value');
      await select.selectOption(he!);
      await page
        .getByTestId('param-first_name')
        .getByTestId('param-fallback')
        .fill(lang === 'he' ? 'חבר' : '朋友');
      await page
        .getByTestId('param-discount')
        .getByTestId('param-literal')
        .fill(lang === 'he' ? '20%' : '八折');
      await page
        .getByTestId('param-end_date')
        .getByTestId('param-literal')
        .fill(lang === 'he' ? '30 באפריל' : '4月30日');
      await expect(page.getByTestId('plan-eligible')).toHaveText('6');
      await expect(page.getByTestId('template-bubble')).toHaveAttribute('dir', lang === 'he' ? 'rtl' : 'ltr');
      await shot(page, `campaigns-builder-${lang}.png`);
      await page.getByTestId('builder-back').click();
    }
  } finally {
    await serve.stop();
    await sandbox.stop();
  }
});

test('builder in a fresh install with the in-process Sandbox: empty parameters and unapproved templates are refused', async ({
  page,
  serve,
}) => {
  await page.goto(serve.url);
  await page.getByTestId('nav-account').click();
  await page.getByTestId('use-sandbox').click();
  await expect(page.getByTestId('mode-badge')).toBeVisible();
  await expect.poll(async () => (await call<unknown[]>(serve, 'templates:list', {})).length).toBeGreaterThan(5);
  await page.getByTestId('nav-campaigns').click();
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await page.getByTestId('new-campaign').click();
  await page.getByTestId('builder-name').fill('Empty audience');
  const select = page.getByTestId('builder-template');
  await expect(select.locator('option', { hasText: 'loyalty_points' })).toBeDisabled();
  await expect(page.getByTestId('blocked-templates')).toContainText("waiting for Meta's review");
  const value = await select.locator('option', { hasText: 'spring_sale · en_US' }).getAttribute('value');
  await select.selectOption(value!);
  await page.getByTestId('builder-save').click();
  await expect(page.getByTestId('builder-problems')).toContainText('Every variable needs a value or a fallback.');
  // No contacts: the plan says so and starting is not offered.
  await expect(page.getByTestId('plan-eligible')).toHaveText('0');
  await expect(page.getByTestId('builder-start')).toBeDisabled();
});

test('a campaign the watchdog paused shows why and what to do (template paused by Meta mid-send)', async ({ page }) => {
  test.setTimeout(120_000);
  const dataDir = tempDataDir('pacer-e2e-campaigns-');
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: 'he' }));
  seedContacts(dataDir);
  const webhookPort = await freePort();
  const sandbox = await startChild(['sandbox', '--port', '0', '--webhook-url', `http://127.0.0.1:${webhookPort}/webhook`, '--seed', '4']);
  const sandboxUrl = sandbox.first.base_url as string;
  try {
    let serve = await startServe({ dataDir });
    let id = '';
    try {
      await call(serve, 'account:connect', {
        graphUrl: sandboxUrl,
        wabaId: SANDBOX_WABA_ID,
        phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
        accessToken: SANDBOX_ACCESS_TOKEN,
        appSecret: SANDBOX_APP_SECRET,
      });
      await call(serve, 'templates:sync', {});
      const c = await call<{ id: string }>(serve, 'campaigns:create', {
        name: 'מבצע אביב',
        template: { name: 'spring_sale', language: 'he' },
        audience: 'all',
        header_media: { link: 'https://example.com/tents.jpg' },
        params: { first_name: 'first_name|"חבר"', discount: '"20%"', end_date: '"30 באפריל"' },
      });
      id = c.id;
      await call(serve, 'campaigns:start', { id });
    } finally {
      await serve.stop();
    }
    // Meta pauses the template before the messages go out: every send is refused with 132015.
    const r = await fetch(`${sandboxUrl}/__admin/templates/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'spring_sale', language: 'he', status: 'PAUSED' }),
    });
    expect(r.ok).toBe(true);
    const run = spawnSync(
      process.execPath,
      [PACER_BIN, '--data-dir', dataDir, 'run', '--until-idle', '--webhook-port', String(webhookPort), '--json'],
      { cwd: REPO, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);

    serve = await startServe({ dataDir });
    try {
      await page.goto(serve.url);
      await page.getByTestId('nav-campaigns').click();
      await expect(page.getByTestId('campaign-row').getByTestId('campaign-state')).toHaveAttribute('data-state', 'paused');
      await page.getByTestId('campaign-row').click();
      const banner = page.getByTestId('campaign-alert');
      await expect(banner).toHaveAttribute('data-reason', 'template_paused');
      await expect(banner).toContainText('התבנית הושהתה על ידי Meta');
      await expect(banner).toContainText('הוא ימשיך מעצמו כשהסיבה תחלוף');
      // Sending stopped with recipients still waiting (none lost); resume is offered.
      await expect(page.getByTestId('funnel-pending')).not.toHaveAttribute('data-value', '0');
      await expect(page.getByTestId('funnel-uncertain')).toHaveAttribute('data-value', '0');
      await expect(page.getByTestId('campaign-resume')).toBeVisible();
      await shot(page, 'campaigns-paused-he.png');
      expect(id).not.toBe('');
    } finally {
      await serve.stop();
    }
  } finally {
    await sandbox.stop();
  }
});
