import { test as base, expect } from '@playwright/test';
import path from 'node:path';
import { startServe, type RunningServe, REPO } from '../support/harness';

export const SHOTS = path.join(REPO, 'test-results', 'screenshots');

/** Each test gets its own `pacer serve` on its own data dir. */
export const test = base.extend<{ serve: RunningServe; settings: Record<string, unknown> | undefined }>({
  settings: [undefined, { option: true }],
  serve: async ({ settings }, use) => {
    const s = await startServe(settings ? { settings } : {});
    await use(s);
    await s.stop();
  },
});

export { expect };
