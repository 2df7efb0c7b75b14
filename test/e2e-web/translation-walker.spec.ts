import fs from 'node:fs';
import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';
import { connectSandbox, importGuests } from './campaign-helpers';
import { REPO, callApi, startServe, tempDataDir, type RunningServe } from '../support/harness';
import { check, englishWords, visibleTexts, type Finding } from './translation-helpers';

/**
 * Walks every page in Hebrew and Traditional Chinese on a Sandbox with data — dashboard, contacts
 * and a contact's drawer, the import wizard's steps, templates and a template, the campaigns list,
 * the builder, a campaign that sent (with its plan and funnel), a scheduled one, account, settings —
 * and fails on any visible text that holds an English word of the app's own English catalogue, or
 * a raw internal value (a state, a reason, a category as the contract spells it).
 *
 * What is not the app's text is left out, by markup the app gives it: `translate="no"` (names,
 * numbers, template bodies — the user's or Meta's words), `lang` of another language (Meta's own
 * error text under "Technical details", recorded consent evidence), code (`code`, `kbd`, `pre`,
 * `.mono`: commands, identifiers, expressions) and a value interpolated into a sentence, which
 * the app wraps in Unicode isolates, U+2066/U+2068 … U+2069 (`isolate` in renderer/features/contacts/format.ts).
 */

const PHONES = ['+972500000201', '+972500000202', '+972500000203', '+972500000204'];

async function seedCampaigns(serve: RunningServe): Promise<{ sent: string; scheduled: string }> {
  const draft = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    template: { name: 'spring_sale', language: 'en_US' },
    audience: 'all',
    params: { first_name: 'first_name|there', discount: '"20%"', end_date: '"April 30"' },
    header_media: { link: 'https://example.com/tents.jpg' },
    ...extra,
  });
  const sent = await callApi<{ id: string }>(serve, 'campaigns:create', draft('Spring tents'));
  await callApi(serve, 'campaigns:start', { id: sent.id });
  const scheduled = await callApi<{ id: string }>(
    serve,
    'campaigns:create',
    draft('Summer', { schedule: { mode: 'at', at: '2031-06-01T09:00', tz: 'Asia/Jerusalem' } }),
  );
  await callApi(serve, 'campaigns:start', { id: scheduled.id });
  await callApi(serve, 'campaigns:create', draft('Autumn draft'));
  return { sent: sent.id, scheduled: scheduled.id };
}

for (const lang of ['he', 'zh-TW'] as const) {
  test(`every page in ${lang}: no English word from the catalogue, no raw internal value`, async ({ page }) => {
    test.setTimeout(240_000);
    const english = englishWords(lang);
    const dataDir = tempDataDir('pacer-e2e-walker-');
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ language: lang, defaultCountry: 'IL' }));
    importGuests(dataDir, PHONES, 'marketing', 'shop signup');
    const serve = await startServe({ dataDir });
    const findings: Finding[] = [];
    const visit = async (where: string) => {
      await page.waitForTimeout(300);
      findings.push(...check(await visibleTexts(page, lang), english, where));
      await page.screenshot({ path: path.join(SHOTS, `walker-${where}-${lang}.png`), fullPage: true });
    };
    try {
      await connectSandbox(page, serve);
      const ids = await seedCampaigns(serve);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);

      await page.getByTestId('nav-dashboard').click();
      await expect(page.getByTestId('stat-limit')).toBeVisible();
      await visit('dashboard');

      await page.getByTestId('nav-contacts').click();
      await expect(page.getByTestId('contact-row').first()).toBeVisible();
      await visit('contacts');
      await page.getByTestId('contact-row').first().click();
      await expect(page.getByTestId('contact-drawer')).toBeVisible();
      await visit('contact-drawer');
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('contact-drawer')).toBeHidden();

      await page.getByTestId('import-open').first().click();
      await visit('import-file');
      await page
        .getByTestId('import-file-input')
        .setInputFiles({ name: 'guests.csv', mimeType: 'text/csv', buffer: Buffer.from('name,phone\nDana,+972547654321\nBad,12\n') });
      await expect(page.getByTestId('wizard-step-preview')).toBeVisible();
      await visit('import-preview');
      await page.getByTestId('wizard-next').click();
      await expect(page.getByTestId('wizard-step-mapping')).toBeVisible();
      await visit('import-mapping');
      await page.getByTestId('wizard-next').click();
      await expect(page.getByTestId('wizard-step-options')).toBeVisible();
      await visit('import-options');
      await page.getByTestId('wizard-check').click();
      await expect(page.getByTestId('import-dry-run')).toBeVisible();
      await visit('import-dry-run');
      // Escape closes the wizard even after a file was picked (focus is no longer in it).
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('wizard-step-file')).toBeHidden();
      await expect(page.getByTestId('import-dry-run')).toBeHidden();
      // A file with only a header stops at the preview, saying why in the page's language.
      await page.getByTestId('import-open').first().click();
      await page
        .getByTestId('import-file-input')
        .setInputFiles({ name: 'header.csv', mimeType: 'text/csv', buffer: Buffer.from('name,phone\n') });
      await expect(page.getByTestId('preview-warning-no_rows')).toBeVisible();
      await expect(page.getByTestId('wizard-next')).toBeDisabled();
      await visit('import-header-only');
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('wizard-step-preview')).toBeHidden();

      await page.getByTestId('nav-templates').click();
      await expect(page.getByTestId('templates-table')).toBeVisible();
      await visit('templates');
      await page.getByTestId('template-open').first().click();
      await expect(page.getByTestId('template-drawer')).toBeVisible();
      await visit('template-drawer');
      await page.keyboard.press('Escape');

      await page.getByTestId('nav-campaigns').click();
      await expect(page.getByTestId('campaign-row')).toHaveCount(3);
      await visit('campaigns');
      await page.getByTestId('new-campaign').click();
      await expect(page.getByTestId('campaign-builder')).toBeVisible();
      const select = page.getByTestId('builder-template');
      await select.selectOption((await select.locator('option', { hasText: 'spring_sale · en_US' }).getAttribute('value'))!);
      await visit('builder');

      // The sent campaign's page, once the Sandbox's webhooks delivered it.
      await page.getByTestId('nav-campaigns').click();
      await page.locator(`[data-testid="campaign-row"][data-id="${ids.sent}"]`).click();
      await expect(page.getByTestId('funnel-delivered')).toHaveAttribute('data-value', String(PHONES.length), { timeout: 90_000 });
      await expect(page.getByTestId('campaign-state')).toHaveAttribute('data-state', 'completed', { timeout: 30_000 });
      await visit('campaign-sent');
      // The sidebar's "Campaigns" from a campaign's page shows the list (no timing guess).
      await page.getByTestId('nav-campaigns').click();
      await expect(page.getByTestId('campaign-list')).toBeVisible();
      await page.locator(`[data-testid="campaign-row"][data-id="${ids.scheduled}"]`).click();
      await expect(page.getByTestId('campaign-detail')).toBeVisible();
      await expect(page.getByTestId('detail-not-started')).toBeVisible();
      await visit('campaign-scheduled');

      await page.getByTestId('nav-account').click();
      await visit('account');
      await page.getByTestId('nav-settings').click();
      await visit('settings');
    } finally {
      await serve.stop();
    }
    const report = findings.map((f) => `${f.page}: ${JSON.stringify(f.text)} → ${f.hits.join(', ')}`).join('\n');
    fs.mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(REPO, 'test-results', `walker-findings-${lang}.txt`), report);
    expect(report).toBe('');
  });
}
