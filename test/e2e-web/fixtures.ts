import { test as base, expect } from '@playwright/test';
import path from 'node:path';
import { startServe, type RunningServe, REPO } from '../support/harness';

export const SHOTS = path.join(REPO, 'test-results', 'screenshots');

/**
 * Each test gets its own `pacer serve` on its own data dir. `dataDir` serves an existing
 * (e.g. pre-seeded) data dir instead of a fresh one.
 */
export const test = base.extend<{ serve: RunningServe; settings: Record<string, unknown> | undefined; dataDir: string | undefined }>({
  settings: [undefined, { option: true }],
  dataDir: [undefined, { option: true }],
  serve: async ({ settings, dataDir }, use) => {
    const s = await startServe({ ...(settings ? { settings } : {}), ...(dataDir ? { dataDir } : {}) });
    await use(s);
    await s.stop();
  },
});

export { expect };
