import { FakeClock } from '../../electron/core/clock';
import { createCore, type Core, type CoreOptions } from '../../electron/core/index';
import { MemoryVault } from '../../electron/core/secrets/vault';
import { MemorySettingsStore } from '../../electron/core/settings/store';
import { silentLogger } from '../../electron/core/log';
import { tempDataDir } from './harness';

/** A core on a fresh temp data dir with in-memory secrets/settings and a fake clock. */
export function testCore(overrides: Partial<CoreOptions> = {}): Core & { clock: FakeClock } {
  const clock = new FakeClock();
  const core = createCore({
    dataDir: tempDataDir(),
    host: 'cli',
    clock,
    secrets: new MemoryVault(),
    settings: new MemorySettingsStore(),
    log: silentLogger,
    ...overrides,
  });
  return Object.assign(core, { clock: (overrides.clock as FakeClock) ?? clock });
}
