import path from 'node:path';
import zlib from 'node:zlib';
import { test, expect, SHOTS } from './fixtures';

/** A real width×height RGB PNG (a two-colour diagonal), built here so the test needs no fixture file. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const [r, g, b] = x > y ? [47, 163, 107] : [59, 111, 216];
      row.set([r, g, b], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const lang of ['en', 'he'] as const) {
  test.describe(`profile photo in ${lang}`, () => {
    test.use({ settings: { language: lang } });

    test('a picked PNG is previewed locally, uploaded and saved in the Sandbox', async ({ page, serve }) => {
      const cspErrors: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });
      await page.goto(serve.url);
      await page.getByTestId('nav-account').click();
      await page.getByTestId('use-sandbox').click();
      const card = page.getByTestId('business-profile');
      const photo = card.getByTestId('profile-photo');
      await expect(photo.getByTestId('profile-photo-note')).toHaveAttribute('data-state', 'none');
      await expect(photo.getByTestId('profile-photo-placeholder')).toBeVisible();

      await photo.getByTestId('profile-photo-input').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png(96, 96) });
      await expect(photo.getByTestId('profile-photo-note')).toHaveAttribute('data-state', 'pending');
      await expect(photo.getByTestId('profile-photo-note')).toContainText('logo.png');
      // The preview is a local blob: image and really decodes.
      const preview = photo.getByTestId('profile-photo-preview');
      await expect(preview).toHaveAttribute('src', /^blob:/);
      await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(96);

      await photo.getByTestId('profile-photo-save').click();
      // The Sandbox emulates Meta's resumable upload: the photo is really saved.
      await expect(photo.getByTestId('profile-photo-saved')).toBeVisible();
      await expect(photo.getByTestId('profile-photo-error')).toHaveCount(0);
      await expect(photo.getByTestId('profile-photo-note')).toHaveAttribute('data-state', 'saved');
      await expect(photo.getByTestId('profile-photo-sandbox')).toBeVisible();
      await expect(photo.getByTestId('profile-photo-preview')).toHaveAttribute('src', /^blob:/);
      if (lang === 'en')
        await expect(photo.getByTestId('profile-photo-saved')).toHaveText(
          'Profile photo saved. WhatsApp can take a few minutes to show it.',
        );
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: path.join(SHOTS, `account-photo-${lang}.png`) });

      // Re-read from the API after a reload: the number now has a (remote) photo, noted without loading it.
      await page.reload();
      await page.getByTestId('nav-account').click();
      const again = page.getByTestId('business-profile').getByTestId('profile-photo');
      await expect(again.getByTestId('profile-photo-note')).toHaveAttribute('data-state', 'remote');
      await expect(again.getByTestId('profile-photo-placeholder')).toBeVisible();
      await expect(again.locator('img')).toHaveCount(0);
      expect(cspErrors).toEqual([]);
    });

    test('a too large or non-image file is refused before upload with a clear message', async ({ page, serve }) => {
      await page.goto(serve.url);
      await page.getByTestId('nav-account').click();
      await page.getByTestId('use-sandbox').click();
      const photo = page.getByTestId('business-profile').getByTestId('profile-photo');
      const input = photo.getByTestId('profile-photo-input');
      const error = photo.getByTestId('profile-photo-error');

      // Over 5 MB (a PNG header followed by padding).
      const big = Buffer.alloc(5 * 1024 * 1024 + 1);
      png(4, 4).copy(big);
      await input.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: big });
      await expect(error).toBeVisible();
      await expect(error).toContainText('huge.png');
      if (lang === 'en')
        await expect(error).toHaveText('huge.png is 5.1 MB. The profile photo must be 5 MB or smaller; pick a smaller file.');
      await expect(photo.getByTestId('profile-photo-save')).toHaveCount(0);
      await expect(photo.getByTestId('profile-photo-preview')).toHaveCount(0);
      await photo.screenshot({ path: path.join(SHOTS, `account-photo-refused-${lang}.png`) });

      // Not an image at all.
      await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
      await expect(error).toContainText('notes.txt');
      if (lang === 'en') await expect(error).toContainText('is not a JPEG or PNG picture');
      // Named and typed as PNG, but the bytes are not.
      await input.setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('GIF89a pretending') });
      await expect(error).toContainText('fake.png');
      await expect(photo.getByTestId('profile-photo-save')).toHaveCount(0);

      // A good file afterwards clears the message.
      await input.setInputFiles({ name: 'ok.png', mimeType: 'image/png', buffer: png(8, 8) });
      await expect(error).toHaveCount(0);
      await expect(photo.getByTestId('profile-photo-save')).toBeVisible();
    });
  });
}
