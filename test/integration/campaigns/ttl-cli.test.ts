/**
 * `pacer campaign create … --ttl DURATION` (CLI contract: marketing time-to-live) against the
 * Sandbox: stored as options.ttl in seconds, shown by `campaign plan`, bad durations exit 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/core/cli/index';
import type { CliIo } from '../../../electron/core/cli/io';
import { createCore } from '../../../electron/core/index';
import { silentLogger } from '../../../electron/core/log';
import {
  SANDBOX_ACCESS_TOKEN,
  SANDBOX_PHONE_NUMBER_ID,
  SANDBOX_WABA_ID,
  startSandbox,
  type SandboxHandle,
} from '../../../electron/core/sandbox/index';
import { tempDataDir } from '../../support/harness';
import { scenario, seedContacts } from './helpers';

describe('pacer campaign create --ttl', () => {
  let sb: SandboxHandle;
  const dataDir = tempDataDir();
  const cli = async (args: string[], expectCode = 0) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: { PACER_ACCESS_TOKEN: SANDBOX_ACCESS_TOKEN },
      untilSignal: () => new Promise(() => {}),
    };
    const code = await runCli(['--data-dir', dataDir, ...args], io);
    expect(code, err.join('\n')).toBe(expectCode);
    return { out, err };
  };
  const create = (ttl: string, expectCode = 0) =>
    cli(
      [
        ...['campaign', 'create', '--name', 'Flash', '--template', 'spring_sale', '--language', 'en_US', '--audience', 'all'],
        ...['--param', 'first_name=first_name', '--param', 'discount="20%"', '--param', 'end_date="April 30"'],
        ...['--header-media', 'https://example.test/tent.jpg', '--ttl', ttl, '--json'],
      ],
      expectCode,
    );

  beforeAll(async () => {
    sb = await startSandbox({ scenario: scenario({ tier: 'TIER_10K' }) });
    await cli([
      'account',
      'connect',
      '--waba-id',
      SANDBOX_WABA_ID,
      '--phone-number-id',
      SANDBOX_PHONE_NUMBER_ID,
      '--graph-url',
      sb.baseUrl,
    ]);
    await cli(['templates', 'sync']);
    const core = createCore({ dataDir, host: 'cli', log: silentLogger });
    seedContacts(core, 5, { consent: 'marketing' });
    await core.close();
  });
  afterAll(() => sb.close());

  it('stores the TTL in seconds and the plan shows it', async () => {
    const c = await create('1h30m');
    const s = JSON.parse(c.out[0]!) as { id: string; options: { ttl?: number } };
    expect(s.options.ttl).toBe(5400);
    const human = await cli(['campaign', 'plan', s.id]);
    expect(human.out.join('\n')).toMatch(/Time-to-live: 1h 30m, send by \d{4}-\d\d-\d\dT[\d:.]+Z; 0 forecast send\(s\) may miss it/);
    const json = JSON.parse((await cli(['campaign', 'plan', s.id, '--json'])).out[0]!) as { ttl: { seconds: number; may_miss: number } };
    expect(json.ttl).toMatchObject({ seconds: 5400, may_miss: 0 });
  });

  it('refuses what is not a duration, or is outside 5m–30d, with exit 2', async () => {
    expect((await create('2x', 2)).err.join('\n')).toMatch(/--ttl takes a duration/);
    expect((await create('1m', 2)).err.join('\n')).toMatch(/--ttl must be 5m to 30d/);
    expect((await create('31d', 2)).err.join('\n')).toMatch(/--ttl must be 5m to 30d/);
  });
});
