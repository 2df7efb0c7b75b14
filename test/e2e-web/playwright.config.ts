import { defineConfig } from '@playwright/test';
import { useTestStoreKeyDir } from '../support/store-key-dir';

// The served cores' store keys go to a temporary folder, and the specs that open pacer.db find them there.
useTestStoreKeyDir();

// Debian's Chromium (/usr/bin/chromium): Playwright's own browser download is not reachable here.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: '.',
  outputDir: '../../test-results/e2e-web',
  fullyParallel: false,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: '../../test-results/e2e-web.json' }]],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
});
