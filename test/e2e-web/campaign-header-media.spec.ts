import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, SHOTS } from './fixtures';
import { chooseTemplate, fillSpringSaleParams, openBuilder, servedSandbox, shopGuests } from './campaign-helpers';
import { callApi } from '../support/harness';

// A media header from a file picked in the builder: uploaded to the (in-process) Sandbox with
// POST /{phone-number-id}/media, shown attached with its name, size, a local preview and the media
// id; the campaign sends with that id (the Sandbox refuses an id it never received).
const PHONES = ['+972500000001', '+972500000002'];

/** A real JPEG drawn by the browser (a green tent on a sky), so the preview shows a picture. */
async function tentJpeg(page: Page): Promise<Buffer> {
  const data = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 240;
    c.height = 160;
    const g = c.getContext('2d')!;
    g.fillStyle = '#8ecae6';
    g.fillRect(0, 0, 240, 160);
    g.fillStyle = '#2a9d8f';
    g.beginPath();
    g.moveTo(120, 20);
    g.lineTo(210, 150);
    g.lineTo(30, 150);
    g.closePath();
    g.fill();
    return c.toDataURL('image/jpeg', 0.9);
  });
  return Buffer.from(data.split(',')[1]!, 'base64');
}

for (const lang of ['en', 'he'] as const) {
  test(`builder: a header image picked from disk is uploaded, shown attached and sent by media id (${lang})`, async ({ page }) => {
    test.setTimeout(120_000);
    const serve = await servedSandbox(page, { lang, prefix: 'pacer-e2e-media-', guests: shopGuests(PHONES) });
    try {
      await openBuilder(page, 'Tents');
      await chooseTemplate(page, 'spring_sale · en_US');

      // Not an image, whatever the name says: refused, nothing attached.
      await page
        .getByTestId('builder-media-file')
        .setInputFiles({ name: 'fake.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('GIF89a, not a JPEG') });
      await expect(page.getByTestId('builder-media-error')).toContainText('fake.jpg');
      await expect(page.getByTestId('builder-media-attached')).toHaveCount(0);

      const jpeg = await tentJpeg(page);
      await page.getByTestId('builder-media-file').setInputFiles({ name: 'tent.jpg', mimeType: 'image/jpeg', buffer: jpeg });
      const attached = page.getByTestId('builder-media-attached');
      await expect(attached).toBeVisible();
      await expect(page.getByTestId('builder-media-error')).toHaveCount(0);
      await expect(page.getByTestId('builder-media-name')).toHaveText('tent.jpg');
      const mediaId = (await attached.getAttribute('data-media-id'))!;
      expect(mediaId).toMatch(/^7\d+$/);
      await expect(attached).toContainText(mediaId);
      // The preview is the picked file itself (a blob: URL), and it decoded.
      const preview = page.getByTestId('builder-media-preview');
      await expect(preview).toHaveAttribute('src', /^blob:/);
      await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);
      await expect(page.getByTestId('builder-media')).toHaveCount(0);

      await fillSpringSaleParams(page);
      await expect(page.getByTestId('plan-panel').getByTestId('plan-eligible')).toHaveText('2');
      await page.getByTestId('campaign-builder').locator('[data-testid="builder-media-field"]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `campaign-header-media-${lang}.png`) });

      await expect(page.getByTestId('builder-start')).toBeEnabled();
      await page.getByTestId('builder-start').click();
      // Start asks first (who, how many, which number, cost) in the app's own dialog.
      await page.getByTestId('start-confirm-ok').click();
      // Sent: the Sandbox accepted (and delivered) messages whose header carries the uploaded id.
      await expect(page.getByTestId('funnel-delivered')).toHaveAttribute('data-value', String(PHONES.length), { timeout: 60_000 });
      const list = await callApi<{ id: string; header_media: { id?: string; file_name?: string } | null }[]>(serve, 'campaigns:list', {});
      expect(list[0]!.header_media).toMatchObject({ id: mediaId, file_name: 'tent.jpg' });
    } finally {
      await serve.stop();
    }
  });
}
