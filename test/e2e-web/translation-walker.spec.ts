import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS } from './fixtures';
import { connectSandbox, importGuests } from './campaign-helpers';
import { REPO, callApi, startServe, tempDataDir, type RunningServe } from '../support/harness';
import { CAMPAIGN_STATES, EXCLUSION_REASONS, PAUSE_REASONS, RECIPIENT_STATES } from '../../shared/contract/campaigns';
import { CONSENT_CATEGORIES } from '../../shared/contract/contacts';

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

const LOCALES = path.join(REPO, 'renderer', 'i18n', 'locales');

function catalogueValues(lang: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const f of fs.readdirSync(path.join(LOCALES, lang))) walk(JSON.parse(fs.readFileSync(path.join(LOCALES, lang, f), 'utf8')));
  return out;
}

const wordsOf = (text: string) =>
  text
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .match(/[A-Za-z]{4,}/g) ?? [];

/** Names that stay as they are in every language (brands, formats, units). */
const ALLOWED = new Set([
  'whatsapp',
  'meta',
  'pacer',
  'sandbox',
  'business',
  'cloud',
  'graph',
  'https',
  'http',
  'json',
  'xlsx',
  'csv',
  'utf',
  'windows',
  'excel',
  'google',
  'sheets',
  'iana',
  'webhook',
  'webhooks',
  'token',
  'wamid',
  'gsm',
  'emoji',
  'unicode',
  'android',
  'iphone',
]);

function englishWords(lang: string): Set<string> {
  // A word the translation itself uses (a brand, a term the translator kept) is not an untranslated one.
  const kept = new Set(
    catalogueValues(lang)
      .flatMap(wordsOf)
      .map((w) => w.toLowerCase()),
  );
  return new Set(
    catalogueValues('en')
      .flatMap(wordsOf)
      .map((w) => w.toLowerCase())
      .filter((w) => !ALLOWED.has(w) && !kept.has(w)),
  );
}

/** Values as the contract spells them, which must never reach the screen raw. */
const INTERNAL = new Set<string>(
  [
    ...CAMPAIGN_STATES,
    ...RECIPIENT_STATES,
    ...EXCLUSION_REASONS,
    ...PAUSE_REASONS,
    ...CONSENT_CATEGORIES,
    'MARKETING',
    'UTILITY',
    'AUTHENTICATION',
    'APPROVED',
    'PENDING',
    'REJECTED',
    'PAUSED',
    'DISABLED',
    'opted_in',
    'opted_out',
    'no_rows',
    'all',
    'terminal_recipient',
    'suppress_contact',
    'retry_after_24h',
    'retry_soon',
    'fix_payload',
  ].filter((v) => v.length >= 3),
);

interface Finding {
  page: string;
  text: string;
  hits: string[];
}

/** Visible text nodes of the page that are the app's own words (see the header comment). */
async function visibleTexts(page: Page, lang: string): Promise<string[]> {
  return page.evaluate((uiLang) => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.replace(/[\u2066-\u2068][^\u2069]*\u2069/g, ' ').trim();
      const el = n.parentElement;
      if (!text || !el) continue;
      if (el.closest('script, style, noscript, code, kbd, samp, pre, .mono, [translate="no"], option:not(:checked)')) continue;
      const langEl = el.closest('[lang]');
      if (langEl && langEl !== document.documentElement && !langEl.getAttribute('lang')!.startsWith(uiLang.slice(0, 2))) continue;
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
      if (el.closest('details:not([open])') && !el.closest('summary')) continue;
      out.push(text);
    }
    // Visible form text too: placeholders and the chosen option of selects.
    for (const input of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[placeholder], textarea[placeholder]')) {
      if (input.getBoundingClientRect().width > 0 && !input.closest('[translate="no"]')) out.push(input.placeholder);
    }
    return out;
  }, lang);
}

function check(texts: string[], english: Set<string>, where: string): Finding[] {
  const out: Finding[] = [];
  for (const text of new Set(texts)) {
    const hits = [
      ...wordsOf(text).filter((w) => english.has(w.toLowerCase())),
      ...(text.match(/[A-Za-z_]+/g) ?? []).filter((w) => INTERNAL.has(w)),
    ];
    if (hits.length) out.push({ page: where, text: text.slice(0, 140), hits: [...new Set(hits)] });
  }
  return out;
}

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
