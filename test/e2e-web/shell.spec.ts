import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';

const LANGS = [
  { lang: 'en', dir: 'ltr', contacts: 'Contacts', title: 'Dashboard' },
  { lang: 'he', dir: 'rtl', contacts: 'אנשי קשר', title: 'לוח בקרה' },
  { lang: 'zh-TW', dir: 'ltr', contacts: '聯絡人', title: '總覽' },
] as const;

for (const l of LANGS) {
  test.describe(`shell in ${l.lang}`, () => {
    test.use({ settings: { language: l.lang } });

    test(`loads, navigates and is laid out ${l.dir}`, async ({ page, serve }) => {
      await page.goto(serve.url);
      await expect(page.getByTestId('page-title')).toHaveText(l.title);
      await expect(page.locator('html')).toHaveAttribute('dir', l.dir);
      await expect(page.locator('html')).toHaveAttribute('lang', l.lang);
      await page.screenshot({ path: path.join(SHOTS, `shell-dashboard-${l.lang}.png`) });

      await page.getByTestId('nav-contacts').click();
      await expect(page.getByTestId('page-contacts')).toBeVisible();
      await expect(page.getByTestId('page-title')).toHaveText(l.contacts);
      await expect(page.getByTestId('nav-contacts')).toHaveAttribute('aria-current', 'page');

      // Mirroring: the sidebar sits at the start edge — left in LTR, right in Hebrew.
      const side = (await page.getByTestId('sidebar').boundingBox())!;
      const main = (await page.getByTestId('page-contacts').boundingBox())!;
      if (l.dir === 'rtl') expect(side.x).toBeGreaterThan(main.x);
      else expect(side.x).toBeLessThan(main.x);
      await page.screenshot({ path: path.join(SHOTS, `shell-contacts-${l.lang}.png`) });
    });
  });
}

test.describe('language', () => {
  test.use({ locale: 'he-IL' });

  test('follows the OS language and switches from Settings', async ({ page, serve }) => {
    await page.goto(serve.url);
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('language-select').selectOption('zh-TW');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-TW');
    await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
    await expect(page.getByTestId('page-title')).toHaveText('設定');
    await page.screenshot({ path: path.join(SHOTS, 'settings-zh-TW.png') });
    // The choice is stored by the core: a reload keeps it.
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-TW');
  });
});

test('dark mode applies from Settings', async ({ page, serve }) => {
  await page.goto(serve.url);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('theme-dark').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(17, 19, 23)');
  await page.screenshot({ path: path.join(SHOTS, 'settings-dark-en.png') });
});

test('without the token the API refuses and the page says how to open it', async ({ page, serve }) => {
  const base = serve.url.split('#')[0]!;
  const res = await page.request.post(`${base}api/call/app:info`, { data: {} });
  expect(res.status()).toBe(401);
  await page.goto(base);
  await expect(page.getByTestId('boot-error')).toBeVisible();
});
