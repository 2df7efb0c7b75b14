import fs from 'node:fs';
import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';
import { clinicGuests, reminderDraft, servedSandbox } from './campaign-helpers';
import { callApi } from '../support/harness';
import type { CampaignSummary } from '../../shared/contract/campaigns';

// Settings → audit trail: a campaign's entries name the campaign as the user named it (its id only
// in the tooltip and the CSV export), and a deleted campaign reads "Deleted campaign" in the UI
// language — never `cmp_…` on the screen, in en, he or zh-TW.
const PHONES = ['+972500000401', '+972500000402'];
const DELETED = { en: 'Deleted campaign', he: 'קמפיין שנמחק', 'zh-TW': '已刪除的活動' } as const;

test('audit trail: campaigns by name, a deleted one labelled, the id kept in the tooltip and the CSV', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 1400 });
  const serve = await servedSandbox(page, { lang: 'en', prefix: 'pacer-e2e-audit-cmp-', guests: clinicGuests(PHONES) });
  try {
    const draft = (name: string) => reminderDraft(name, { schedule: { mode: 'at', at: '2031-06-01T09:00', tz: 'UTC' } });
    // Kept: started (scheduled), paused, resumed, its recipients exported. Gone: started, cancelled (both audited), then deleted.
    const kept = await callApi<CampaignSummary>(serve, 'campaigns:create', draft('Clinic reminders'));
    await callApi(serve, 'campaigns:start', { id: kept.id });
    await callApi(serve, 'campaigns:pause', { id: kept.id });
    await callApi(serve, 'campaigns:resume', { id: kept.id });
    await callApi(serve, 'campaigns:export', { id: kept.id, format: 'csv' });
    const gone = await callApi<CampaignSummary>(serve, 'campaigns:create', draft('Old promo'));
    await callApi(serve, 'campaigns:start', { id: gone.id });
    await callApi(serve, 'campaigns:cancel', { id: gone.id });
    await callApi(serve, 'campaigns:delete', { id: gone.id });

    for (const lang of ['en', 'he', 'zh-TW'] as const) {
      await callApi(serve, 'settings:update', { language: lang });
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await page.getByTestId('nav-settings').click();
      const audit = page.getByTestId('settings-audit');
      const cells = audit.getByTestId('audit-campaign');
      await expect(cells).toHaveCount(6);
      const keptCells = audit.locator(`[data-testid="audit-campaign"][data-campaign-id="${kept.id}"]`);
      const goneCells = audit.locator(`[data-testid="audit-campaign"][data-campaign-id="${gone.id}"]`);
      await expect(keptCells).toHaveCount(4);
      await expect(goneCells).toHaveCount(2);
      for (const cell of await keptCells.all()) {
        await expect(cell).toHaveText('Clinic reminders');
        await expect(cell).toHaveAttribute('title', kept.id);
      }
      for (const cell of await goneCells.all()) {
        await expect(cell).toHaveText(DELETED[lang]);
        await expect(cell).toHaveAttribute('title', gone.id);
      }
      // Nothing internal on the screen: no id, no recorded name of the deleted campaign.
      await expect(audit.locator('tbody')).not.toContainText('cmp_');
      await expect(audit.locator('tbody')).not.toContainText('Old promo');
      await audit.screenshot({ path: path.join(SHOTS, `settings-audit-campaigns-${lang}.png`) });
      await page.getByTestId('nav-dashboard').click();
    }

    // The CSV export keeps the ids (the subject column) for whoever reads the trail outside the app.
    await page.getByTestId('nav-settings').click();
    const download = page.waitForEvent('download');
    await page.getByTestId('audit-export').click();
    const content = fs.readFileSync((await (await download).path())!, 'utf8');
    expect(content).toContain(`campaign.started,${kept.id}`);
    expect(content).toContain(`campaign.cancelled,${gone.id}`);
  } finally {
    await serve.stop();
  }
});
