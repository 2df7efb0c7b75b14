import os from 'node:os';
import path from 'node:path';

/**
 * Key files of test data folders go to one temporary folder, not the user's configuration folder.
 * Set by vitest's setup file and the Playwright config; inherited by the hosts tests start. (Kept
 * apart from store.ts so the setup file loads no native driver into every test file.)
 */
export function useTestStoreKeyDir(): void {
  process.env.PACER_DB_KEY_DIR ??= path.join(os.tmpdir(), 'pacer-test-db-keys');
}
