import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';
import { clinicGuests, reminderDraft, servedSandbox } from './campaign-helpers';
import { callApi } from '../support/harness';
import type { CampaignSummary } from '../../shared/contract/campaigns';

// Hebrew: a message (הודעה) is feminine, so its state agrees with it everywhere it is shown — the
// contact's timeline ("נשלחה: …" beside its state badge), the recipients table's badges and state
// filter, the funnel. A masculine form (נמסר, נקרא, נכשל…) next to "נשלחה" is the defect this guards.
const PHONES = ['+972500000501', '+972500000502'];
const FEMININE: Record<string, string> = {
  pending: 'ממתינה',
  sending: 'נשלחת כעת',
  accepted: 'התקבלה',
  sent: 'נשלחה',
  delivered: 'נמסרה',
  read: 'נקראה',
  failed: 'נכשלה',
  skipped: 'דולגה',
  uncertain: 'לא ודאית',
};

test('Hebrew message states are feminine in the timeline, the recipients table and the funnel', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 1400 });
  const serve = await servedSandbox(page, {
    lang: 'he',
    prefix: 'pacer-e2e-he-states-',
    settings: { defaultCountry: 'IL' },
    guests: clinicGuests(PHONES),
  });
  try {
    const c = await callApi<CampaignSummary>(serve, 'campaigns:create', reminderDraft('תזכורת'));
    await callApi(serve, 'campaigns:start', { id: c.id });

    // The campaign's page once the Sandbox delivered both.
    await page.getByTestId('nav-campaigns').click();
    await page.locator(`[data-testid="campaign-row"][data-id="${c.id}"]`).click();
    await expect(page.getByTestId('funnel-delivered')).toHaveAttribute('data-value', String(PHONES.length), { timeout: 60_000 });
    const badges = page.getByTestId('campaign-detail').locator('[role="cell"] .badge[data-state]');
    await expect(badges).toHaveCount(PHONES.length);
    // State and text read together (a delivered message may turn read between two reads).
    const shown = await badges.evaluateAll((els) =>
      els.map((e): [string, string] => [e.getAttribute('data-state') ?? '', e.textContent ?? '']),
    );
    for (const [state, text] of shown) expect(text).toBe(FEMININE[state]);
    // The state filter offers the same forms.
    const options = await page
      .getByTestId('campaign-detail')
      .locator('select option')
      .evaluateAll((els) => els.map((e): [string, string] => [(e as HTMLOptionElement).value, e.textContent ?? '']));
    for (const [value, text] of options) if (value in FEMININE) expect(text).toBe(FEMININE[value]);
    await expect(page.getByTestId('funnel')).toContainText('נמסרו');
    await page.screenshot({ path: path.join(SHOTS, 'he-message-states-campaign.png'), fullPage: true });

    // The contact's timeline: "נשלחה: תזכורת" beside a feminine state.
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contact-row').first().click();
    const item = page.getByTestId('drawer-conversation').getByTestId('conversation-item').first();
    await expect(item).toContainText('נשלחה: תזכורת');
    const state = item.getByTestId('conversation-state');
    await expect(state).toHaveText(/^(נשלחה|נמסרה|נקראה)$/);
    await page.getByTestId('contact-drawer').screenshot({ path: path.join(SHOTS, 'he-message-states-timeline.png') });
  } finally {
    await serve.stop();
  }
});
