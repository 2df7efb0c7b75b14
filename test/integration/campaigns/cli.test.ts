import fs from 'node:fs';
import path from 'node:path';
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

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env, untilSignal: () => new Promise(() => {}) };
  return { io: value, out, err };
}

describe('pacer campaign / run (cli.md JSON keys)', () => {
  let sb: SandboxHandle;
  const dataDir = tempDataDir();
  const env = { PACER_ACCESS_TOKEN: SANDBOX_ACCESS_TOKEN };
  const cli = async (args: string[], expectCode = 0) => {
    const c = io(env);
    const code = await runCli(['--data-dir', dataDir, ...args], c.io);
    expect(code, c.err.join('\n')).toBe(expectCode);
    return c;
  };

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
    seedContacts(core, 40, { consent: 'utility', tag: 'vip' });
    await core.close();
  });
  afterAll(() => sb.close());

  let id = '';

  it('create → {"id", …}; bad input exits 2 with a clear message', async () => {
    const bad = await cli(
      [
        'campaign',
        'create',
        '--name',
        'X',
        '--template',
        'appointment_reminder',
        '--language',
        'en_US',
        '--audience',
        'tag:vip',
        '--param',
        '1=nickname',
        '--json',
      ],
      2,
    );
    expect(bad.err.join('\n')).toMatch(/unknown source "nickname"/);
    const missing = await cli(
      ['campaign', 'create', '--name', 'X', '--template', 'no_such', '--language', 'en_US', '--audience', 'all', '--json'],
      2,
    );
    expect(missing.err.join('\n')).toMatch(/not among the synced templates/);
    const c = await cli([
      'campaign',
      'create',
      '--name',
      'VIP reminders',
      '--template',
      'appointment_reminder',
      '--language',
      'en_US',
      '--audience',
      'tag:vip',
      '--param',
      '1=first_name|"friend"',
      '--param',
      '2="Tel Aviv"',
      '--param',
      '3="May 12"',
      '--rate',
      '500',
      '--json',
    ]);
    expect(c.out).toHaveLength(1);
    const json = JSON.parse(c.out[0]!) as { id: string; state: string };
    expect(json.id).toMatch(/^cmp_/);
    expect(json.state).toBe('draft');
    id = json.id;
  });

  it('plan --json has exactly the documented keys', async () => {
    const p = await cli(['campaign', 'plan', id, '--json']);
    const plan = JSON.parse(p.out[0]!) as Record<string, unknown> & {
      excluded: Record<string, number>;
      forecast: Record<string, unknown>[];
      cost_estimate: Record<string, unknown>;
    };
    for (const k of ['audience', 'eligible', 'excluded', 'forecast', 'finish_estimate', 'cost_estimate']) expect(plan).toHaveProperty(k);
    for (const k of ['no_consent', 'opted_out', 'invalid', 'frequency_cap', 'us_marketing', 'duplicate'])
      expect(plan.excluded).toHaveProperty(k);
    expect(Object.keys(plan.forecast[0]!).sort()).toEqual(['from', 'sends', 'to']);
    expect(plan.cost_estimate).toHaveProperty('currency');
    expect(plan.cost_estimate).toHaveProperty('amount');
    expect(plan).toMatchObject({ audience: 40, eligible: 40 });
  });

  it('start, run --until-idle, status --json counts, report csv', async () => {
    await cli(['campaign', 'start', id]);
    const run = await cli(['run', '--until-idle', '--webhook-port', '0', '--json']);
    expect(JSON.parse(run.out[0]!)).toHaveProperty('webhook_url');
    const s = await cli(['campaign', 'status', id, '--json']);
    const status = JSON.parse(s.out[0]!) as {
      id: string;
      state: string;
      counts: Record<'pending' | 'sending' | 'failed', number> & Record<string, number>;
    };
    expect(status.id).toBe(id);
    expect(status.state).toBe('completed');
    expect(Object.keys(status.counts).sort()).toEqual([
      'accepted',
      'delivered',
      'failed',
      'pending',
      'read',
      'sending',
      'sent',
      'skipped',
      'uncertain',
    ]);
    expect(Object.values(status.counts).reduce((a, b) => a + b, 0)).toBe(40);
    expect(status.counts.pending + status.counts.sending + status.counts.failed).toBe(0);
    const out = path.join(dataDir, 'report.csv');
    await cli(['campaign', 'report', id, '--format', 'csv', '--out', out]);
    const raw = fs.readFileSync(out);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: spreadsheet apps read UTF-8
    const lines = raw.subarray(3).toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(41);
    expect(lines[0]).toMatch(/^id,contact_id,phone,country,state/);
    expect(sb.stats().duplicates.same_callback_data).toBe(0);
    await cli(['campaign', 'pause', id], 1);
  });
});
