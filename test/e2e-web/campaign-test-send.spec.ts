import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openDataDirStore } from '../support/store';
import { test, expect, SHOTS } from './fixtures';
import { chooseTemplate, fillSpringSaleParams, importGuests, openBuilder, servedSandbox } from './campaign-helpers';
import { PACER_BIN, REPO, callApi, tempDataDir } from '../support/harness';
import { TEST_SEND_REASONS } from '../../shared/contract/campaigns';

// The builder's test send gates each number like a campaign recipient and says, in the user's
// language, why a number was not sent: opted out, erased, held, US marketing, no opt-in, not a
// valid number. Only the good number reaches the (in-process) Sandbox. Numbers stay left-to-right
// inside Hebrew text.
const GOOD = '+972502345678';
const OPTED_OUT = '+972500000012';
const ERASED = '+972500000013';
const HELD = '+972500000014';
const US = '+12015550123';
const NO_OPTIN = '+972500000015';

function pacer(dataDir: string, args: string[]): void {
  const r = spawnSync(process.execPath, [PACER_BIN, '--data-dir', dataDir, ...args], { cwd: REPO, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

/** Contacts as the marketer has them: consented guests, one opted out, one erased, one held, one imported without consent. */
function seed(dataDir: string): void {
  importGuests(dataDir, [GOOD, OPTED_OUT, ERASED, HELD, US], 'marketing', 'shop signup');
  const csv = path.join(tempDataDir('pacer-csv-'), 'leads.csv');
  fs.writeFileSync(csv, `first_name,phone\nLead,${NO_OPTIN}\n`);
  pacer(dataDir, ['import', csv, '--json']);
  pacer(dataDir, ['contacts', 'opt-out', OPTED_OUT, '--reason', 'asked by phone']);
  pacer(dataDir, ['contacts', 'delete', ERASED]);
  // What the webhook handler records when WhatsApp reports `user_changed_number`.
  const db = openDataDirStore(dataDir);
  const id = db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(HELD) as number;
  db.prepare(
    "INSERT INTO contact_holds (contact_id, reason, detail, held_at) VALUES (?, 'user_changed_number', 'system: user changed number', ?)",
  ).run(id, Date.now());
  db.close();
}

for (const lang of ['he', 'zh-TW'] as const) {
  test(`test send: each number gated like a campaign recipient, the outcome translated (${lang})`, async ({ page }) => {
    test.setTimeout(120_000);
    const serve = await servedSandbox(page, { lang, prefix: 'pacer-e2e-test-send-', seed });
    try {
      await expect(page.locator('html')).toHaveAttribute('dir', lang === 'he' ? 'rtl' : 'ltr');
      await openBuilder(page);

      // Disabled, and it says why: no template yet; then no number yet.
      const button = page.getByTestId('test-send-button');
      const why = page.getByTestId('test-send-why');
      await expect(button).toBeDisabled();
      const noTemplate = (await why.textContent())!;
      expect(noTemplate.length).toBeGreaterThan(3);
      await page.getByTestId('builder-name').fill('Tents');
      await chooseTemplate(page, 'spring_sale · en_US');
      await page.getByTestId('builder-media').fill('https://example.com/tents.jpg');
      await fillSpringSaleParams(page);
      await expect(button).toBeDisabled();
      await expect(why).not.toHaveText(noTemplate);
      const noNumbers = (await why.textContent())!;
      expect(noNumbers.length).toBeGreaterThan(3);

      // Eleven numbers are too many; the reason says so.
      await page
        .getByTestId('test-numbers')
        .fill(Array.from({ length: 11 }, (_, i) => `+9725000001${String(i).padStart(2, '0')}`).join('\n'));
      await expect(button).toBeDisabled();
      await expect(why).toContainText('11');

      // The formats the import takes: spaces and dashes, several in one line, national format.
      await page
        .getByTestId('test-numbers')
        .fill(`+972 50-234 5678\n${OPTED_OUT}, ${ERASED}\n${HELD}\n+1 (201) 555-0123\n050-000-0015\n+972 50-123 4567`);
      await expect(why).toHaveCount(0);
      await button.click();
      const items = page.getByTestId('test-results').getByTestId('test-result');
      await expect(items).toHaveCount(7);
      const reasons = await items.evaluateAll((els) =>
        els.map((e) => [e.querySelector('bdi')!.textContent, e.getAttribute('data-reason')]),
      );
      expect(reasons).toEqual([
        [GOOD, ''],
        [OPTED_OUT, 'opted_out'],
        [ERASED, 'erased'],
        [HELD, 'held_number_changed'],
        [US, 'us_marketing_paused'],
        [NO_OPTIN, 'no_consent'],
        ['+972 50-123 4567', 'invalid_number'],
      ]);
      await expect(items.first()).toHaveAttribute('data-ok', 'true');
      // The refused number says what a valid one there looks like (the placeholder's own format).
      await expect(items.nth(6)).toContainText('+972 50 234 5678');
      await expect(page.getByTestId('test-numbers')).toHaveAttribute('placeholder', /\+972 50 234 5678/);

      // Translated: no English word (but the product name Meta), no raw reason code.
      const card = page.getByTestId('test-send');
      const text = await card.innerText();
      expect(text.replace(/Meta/g, '')).not.toMatch(/[A-Za-z]{2,}/);
      for (const code of TEST_SEND_REASONS) expect(text).not.toContain(code);
      // Numbers are isolated left-to-right runs, also inside Hebrew text.
      for (const dir of await items.evaluateAll((els) => els.map((e) => getComputedStyle(e.querySelector('bdi')!).direction)))
        expect(dir).toBe('ltr');
      if (lang === 'he') await expect(items.nth(1)).toHaveCSS('direction', 'rtl');

      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: path.join(SHOTS, `campaign-test-send-${lang}.png`) });

      // Only the good number reached the Sandbox.
      const status = await callApi<{ connection: { graphUrl: string } | null }>(serve, 'account:status', {});
      const sent = (await (await fetch(`${status.connection!.graphUrl}/__admin/messages?limit=100`)).json()) as {
        data: { wa_id: string }[];
      };
      expect(sent.data.map((m) => m.wa_id)).toEqual([GOOD.slice(1)]);

      // The marketer confirms the lead agreed: sent, and the opt-in recorded.
      await page.getByTestId('test-numbers').fill('050-000-0015');
      await page.getByTestId('test-consent').check();
      await button.click();
      await expect(items).toHaveCount(1);
      await expect(items.first()).toHaveAttribute('data-ok', 'true');
      const lead = await callApi<{ contact: { consent: { marketing: string } } }>(serve, 'contacts:get', { phone: NO_OPTIN });
      expect(lead.contact.consent.marketing).toBe('opted_in');
      const after = (await (await fetch(`${status.connection!.graphUrl}/__admin/messages?limit=100`)).json()) as {
        data: { wa_id: string }[];
      };
      expect(after.data.map((m) => m.wa_id).sort()).toEqual([GOOD.slice(1), NO_OPTIN.slice(1)].sort());
    } finally {
      await serve.stop();
    }
  });
}
