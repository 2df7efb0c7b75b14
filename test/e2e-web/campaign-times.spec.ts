import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';
import { clinicGuests, reminderDraft, servedSandbox } from './campaign-helpers';
import { callApi } from '../support/harness';
import type { CampaignSummary } from '../../shared/contract/campaigns';

// A campaign's times on the list, the results view and the dashboard are the schedule's zone's, as on
// its own page — here Tokyo (UTC+9, no summer time) seen from a browser in New York, so every hour
// differs by 13 or 14 hours and a time formatted in the browser's zone cannot pass.
const SCHEDULE_TZ = 'Asia/Tokyo';
const BROWSER_TZ = 'America/New_York';
const PHONES = ['+972500000301', '+972500000302'];

test.use({ timezoneId: BROWSER_TZ });

/** What the app must print: the time in the schedule's zone, the zone named (isolated, left-to-right). */
const inZone = (lang: string, ms: number, tz: string) =>
  new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: tz }).format(ms);
const named = (lang: string, ms: number) => `${inZone(lang, ms, SCHEDULE_TZ)} \u2066(${SCHEDULE_TZ})\u2069`;

test(`list, results and dashboard show a campaign's times in its schedule's zone (${SCHEDULE_TZ} from ${BROWSER_TZ})`, async ({ page }) => {
  test.setTimeout(150_000);
  const serve = await servedSandbox(page, { lang: 'en', prefix: 'pacer-e2e-times-', guests: clinicGuests(PHONES) });
  try {
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(BROWSER_TZ);
    const draft = (name: string, schedule: Record<string, unknown>) => reminderDraft(name, { schedule });
    const sent = await callApi<CampaignSummary>(serve, 'campaigns:create', draft('Sent now', { mode: 'now', tz: SCHEDULE_TZ }));
    await callApi(serve, 'campaigns:start', { id: sent.id });
    const later = await callApi<CampaignSummary>(
      serve,
      'campaigns:create',
      draft('Later', { mode: 'at', at: '2031-06-01T09:00', tz: SCHEDULE_TZ }),
    );
    await callApi(serve, 'campaigns:start', { id: later.id });
    const got = async (id: string) => callApi<CampaignSummary>(serve, 'campaigns:get', { id });
    await expect.poll(async () => (await got(sent.id)).started_at, { timeout: 30_000 }).not.toBeNull();
    const sentAt = (await got(sent.id)).started_at!;
    const createdAt = (await got(sent.id)).created_at;
    const laterAt = Date.parse('2031-06-01T00:00:00Z'); // 09:00 in Tokyo

    for (const lang of ['en', 'he', 'zh-TW'] as const) {
      await callApi(serve, 'settings:update', { language: lang });
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      const shoot = (name: string) => page.screenshot({ path: path.join(SHOTS, `campaign-times-${name}-${lang}.png`), fullPage: true });

      // The list: the start (09:00 Tokyo, not 20:00 New York), the started time and the created line.
      await page.getByTestId('nav-campaigns').click();
      const laterRow = page.locator(`[data-testid="campaign-row"][data-id="${later.id}"]`);
      const sentRow = page.locator(`[data-testid="campaign-row"][data-id="${sent.id}"]`);
      await expect(laterRow.getByTestId('campaign-when')).toHaveText(named(lang, laterAt));
      await expect(sentRow.getByTestId('campaign-when')).toHaveText(named(lang, sentAt));
      await expect(sentRow).toContainText(named(lang, createdAt));
      await expect(sentRow).not.toContainText(inZone(lang, sentAt, BROWSER_TZ));
      await shoot('list');

      // The campaign's page says the same hours.
      await laterRow.click();
      await expect(page.getByTestId('detail-not-started')).toHaveText(named(lang, laterAt));
      await page.getByTestId('detail-back').click();
      await sentRow.click();
      await expect(page.getByTestId('detail-started')).toHaveText(inZone(lang, sentAt, SCHEDULE_TZ));
      // Its chart too: the zone named under it, and each point's time (the table screen readers get) Tokyo's.
      const chart = page.getByTestId('funnel-chart');
      await expect(chart.getByTestId('chart-zone')).toContainText(SCHEDULE_TZ);
      const lastCell = chart.locator('table tbody tr').last().locator('td').first();
      await expect
        .poll(
          async () => {
            const timeline = await callApi<{ points: { at: number }[] }>(serve, 'campaigns:timeline', { id: sent.id });
            return (await lastCell.textContent()) === inZone(lang, timeline.points.at(-1)!.at, SCHEDULE_TZ);
          },
          { timeout: 15_000 },
        )
        .toBe(true);
      await chart.getByTestId('chart-zone').scrollIntoViewIfNeeded();
      await shoot('chart');
      await page.getByTestId('detail-back').click();

      // The results view of the list.
      await page.getByTestId('campaign-results-toggle').click();
      await expect(page.locator(`[data-testid="results-row"][data-id="${sent.id}"]`).getByTestId('results-started')).toHaveText(
        named(lang, sentAt),
      );
      // Scheduled, not started: no start time in a "Started" column (the list says when it starts).
      await expect(page.locator(`[data-testid="results-row"][data-id="${later.id}"]`).getByTestId('results-started')).toHaveText('—');
      await shoot('results');
      await page.getByTestId('campaign-results-toggle').click();

      // The dashboard's active card: the scheduled campaign's start.
      await page.getByTestId('nav-dashboard').click();
      const card = page.locator(`[data-testid="active-campaign"][data-id="${later.id}"]`);
      await expect(card.getByTestId('active-campaign-when')).toContainText(named(lang, laterAt));
      await expect(card).not.toContainText(inZone(lang, laterAt, BROWSER_TZ));
      await shoot('dashboard');
    }
  } finally {
    await serve.stop();
  }
});
