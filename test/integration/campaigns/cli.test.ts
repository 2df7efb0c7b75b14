import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliWorld, createArgs, seedContacts } from './helpers';

/** appointment_reminder's variables: the first name (or "friend"), a place and a date. */
const REMINDER = { 1: 'first_name|"friend"', 2: '"Tel Aviv"', 3: '"May 12"' };

describe('pacer campaign / run (cli.md JSON keys)', () => {
  const w = cliWorld();
  const { cli, dataDir } = w;

  beforeAll(() => w.start({ tier: 'TIER_10K', seed: (core) => seedContacts(core, 40, { consent: 'utility', tag: 'vip' }) }));
  afterAll(() => w.close());

  let id = '';

  it('create → {"id", …}; bad input exits 2 with a clear message', async () => {
    const bad = await cli([...createArgs('X', 'appointment_reminder', 'tag:vip', { 1: 'nickname' }), '--json'], 2);
    expect(bad.err.join('\n')).toMatch(/unknown source "nickname"/);
    const missing = await cli(
      ['campaign', 'create', '--name', 'X', '--template', 'no_such', '--language', 'en_US', '--audience', 'all', '--json'],
      2,
    );
    expect(missing.err.join('\n')).toMatch(/not among the synced templates/);
    const c = await cli([...createArgs('VIP reminders', 'appointment_reminder', 'tag:vip', REMINDER), '--rate', '500', '--json']);
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
    expect(w.sandbox.stats().duplicates.same_callback_data).toBe(0);
    await cli(['campaign', 'pause', id], 1);
  });
});
