import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';
import { chooseTemplate, clinicGuests, fillParams, openBuilder, reminderDraft, servedSandbox } from './campaign-helpers';
import { callApi } from '../support/harness';
import { nextOccurrence } from '../../shared/campaigns/recurrence';
import type { CampaignSummary } from '../../shared/contract/campaigns';

// A weekly series built in the schedule step (repeat chips, time, zone), started, and shown in the
// list with its next occurrence — computed independently here with the same rule.
const PHONES = ['+972500000011', '+972500000012', '+972500000013'];
const TZ = 'Asia/Jerusalem';

for (const lang of ['en', 'he'] as const) {
  test(`builder: a weekly series (Mon + Thu 09:00 ${TZ}) is started and the list shows its next occurrence (${lang})`, async ({ page }) => {
    test.setTimeout(120_000);
    const serve = await servedSandbox(page, { lang, prefix: 'pacer-e2e-series-', guests: clinicGuests(PHONES) });
    try {
      await openBuilder(page, lang === 'he' ? 'תזכורת שבועית' : 'Weekly reminder');
      await chooseTemplate(page, 'appointment_reminder · en_US');
      await fillParams(page, { 1: 'there' }, { 2: 'Tel Aviv', 3: 'your usual time' });

      // Schedule step: weekly, Monday (preselected) + Thursday, 09:00, Jerusalem.
      await expect(page.getByTestId('repeat-none')).toHaveAttribute('aria-pressed', 'true');
      await page.getByTestId('repeat-weekly').click();
      await expect(page.getByTestId('repeat-day-mon')).toHaveAttribute('aria-pressed', 'true');
      await page.getByTestId('repeat-day-thu').click();
      await expect(page.getByTestId('repeat-day-thu')).toHaveAttribute('aria-pressed', 'true');
      // "At a date and time" does not apply to a series.
      await expect(page.getByTestId('schedule-at')).toHaveCount(0);
      await page.getByTestId('repeat-time').fill('09:00');
      await page.getByTestId('schedule-tz').selectOption(TZ);
      // Unchecking every day is refused with a reason; checking one again clears it.
      await page.getByTestId('repeat-day-mon').click();
      await page.getByTestId('repeat-day-thu').click();
      await expect(page.getByTestId('repeat-next')).toContainText(lang === 'he' ? 'יום אחד' : 'at least one weekday');
      await page.getByTestId('repeat-day-mon').click();
      await page.getByTestId('repeat-day-thu').click();
      const rule = { frequency: 'weekly' as const, days: ['mon', 'thu'] as ('mon' | 'thu')[], time: '09:00' };
      const expected = nextOccurrence(rule, TZ, Date.now())!;
      const localDay = new Intl.DateTimeFormat(lang, { weekday: lang === 'he' ? 'narrow' : 'short', timeZone: TZ }).format(expected);
      await expect(page.getByTestId('repeat-next')).toContainText(localDay);
      await expect(page.getByTestId('plan-panel').getByTestId('plan-eligible')).toHaveText('3');
      await page.getByTestId('repeat-fields').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `campaign-series-builder-${lang}.png`) });

      await expect(page.getByTestId('builder-start')).toBeEnabled();
      await page.getByTestId('builder-start').click();
      // Start asks first (who, how many, which number, cost) in the app's own dialog.
      await page.getByTestId('start-confirm-ok').click();
      // The series page: rule, next occurrence, no occurrence yet.
      const detail = page.getByTestId('campaign-detail');
      await expect(detail).toHaveAttribute('data-series', 'true');
      await expect(page.getByTestId('series-next')).toHaveAttribute('data-at', String(expected));
      await expect(page.getByTestId('occurrences-empty')).toBeVisible();
      await expect(page.getByTestId('series-rule')).toContainText(TZ);
      await page.screenshot({ path: path.join(SHOTS, `campaign-series-detail-${lang}.png`) });

      // The list: the series once, with its next occurrence.
      await page.getByTestId('detail-back').click();
      const row = page.getByTestId('campaign-row');
      await expect(row).toHaveCount(1);
      await expect(row.getByTestId('campaign-state')).toHaveAttribute('data-state', 'scheduled');
      await expect(row.getByTestId('campaign-series')).toBeVisible();
      const next = row.getByTestId('campaign-next-run');
      await expect(next).toHaveAttribute('data-at', String(expected));
      // Shown in the series' own zone (09:00), named when the browser's zone differs.
      const shown = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: TZ }).format(expected);
      await expect(next).toContainText(shown);
      const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
      if (browserZone !== TZ) await expect(next).toContainText(`(${TZ})`);
      await page.screenshot({ path: path.join(SHOTS, `campaign-series-list-${lang}.png`) });

      const list = await callApi<CampaignSummary[]>(serve, 'campaigns:list', {});
      expect(list).toHaveLength(1);
      expect(list[0]!.schedule).toMatchObject({
        mode: 'now',
        tz: TZ,
        repeat: { frequency: 'weekly', days: ['mon', 'thu'], time: '09:00' },
      });
      expect(list[0]!.series).toMatchObject({ next_run_at: expected, runs: 0 });
    } finally {
      await serve.stop();
    }
  });
}

test('a daily series runs an occurrence: the series page lists it with its results; the occurrence links back (en, he, zh-TW)', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const serve = await servedSandbox(page, { lang: 'en', prefix: 'pacer-e2e-series-run-', guests: clinicGuests(PHONES.slice(0, 2)) });
  try {
    // Daily at the first whole minute at least 70 s away (UTC), so the harness's scheduler runs it during the test.
    const due = Math.ceil((Date.now() + 70_000) / 60_000) * 60_000;
    const time = new Date(due).toISOString().slice(11, 16);
    const created = await callApi<CampaignSummary>(
      serve,
      'campaigns:create',
      reminderDraft('Daily check-in', { schedule: { mode: 'now', tz: 'UTC', repeat: { frequency: 'daily', time } } }),
    );
    await callApi(serve, 'campaigns:start', { id: created.id });
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('campaign-row').first().click();
    await expect(page.getByTestId('series-next')).toHaveAttribute('data-at', String(due));

    // The occurrence runs at its time and is listed with its own results (2 recipients, delivered by the Sandbox).
    const row = page.getByTestId('occurrence-row');
    await expect(row).toHaveCount(1, { timeout: 150_000 });
    await expect(row).toHaveAttribute('data-outcome', 'started');
    await expect
      .poll(
        async () => {
          const occ = await callApi<{ rows: { campaign: { counts: Record<string, number> } | null }[] }>(serve, 'campaigns:occurrences', {
            id: created.id,
          });
          const c = occ.rows[0]?.campaign?.counts;
          return c ? (c.delivered ?? 0) + (c.read ?? 0) : 0;
        },
        { timeout: 60_000 },
      )
      .toBe(2);
    await expect(row.getByTestId('campaign-state')).toHaveAttribute('data-state', 'completed', { timeout: 15_000 });
    await expect(row.getByTestId('occurrence-delivered')).toHaveText('2', { timeout: 15_000 });
    await expect(page.getByTestId('series-runs')).toHaveText('1');
    await expect(page.getByTestId('series-next')).toHaveAttribute('data-at', String(due + 24 * 3_600_000));
    const shoot = async (name: string) => page.screenshot({ path: path.join(SHOTS, `campaign-series-${name}.png`) });
    await shoot('occurrences-en');

    // The occurrence is a campaign of its own, reached from the series (the list shows only the series).
    await row.getByTestId('occurrence-open').click();
    await expect(page.getByTestId('occurrence-banner')).toBeVisible();
    await expect(page.getByTestId('detail-processed')).toHaveText('2 / 2');
    await shoot('occurrence-en');
    await page.getByTestId('open-series').click();
    await expect(page.getByTestId('series-card')).toBeVisible();
    for (const lang of ['he', 'zh-TW'] as const) {
      await callApi(serve, 'settings:update', { language: lang });
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.getByTestId('occurrence-row')).toHaveCount(1);
      await shoot(`occurrences-${lang}`);
    }
    await page.getByTestId('detail-back').click();
    await expect(page.getByTestId('campaign-row')).toHaveCount(1);
  } finally {
    await serve.stop();
  }
});
