import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/core/cli/index';
import type { CliIo } from '../../../electron/core/cli/io';
import {
  SANDBOX_ACCESS_TOKEN,
  SANDBOX_PHONE_NUMBER_ID,
  SANDBOX_WABA_ID,
  startSandbox,
  type SandboxHandle,
} from '../../../electron/core/sandbox/index';
import { tempDataDir } from '../../support/harness';

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env, untilSignal: () => new Promise(() => {}) };
  return { io: value, out, err };
}

const TEMPLATE_KEYS = ['id', 'name', 'language', 'status', 'category', 'quality', 'rejected_reason', 'parameter_format', 'components'];
const NUMBER_KEYS = ['id', 'display_phone_number', 'verified_name', 'quality_rating', 'messaging_limit', 'throughput', 'status'];

describe('pacer account / templates against the Sandbox', () => {
  let sb: SandboxHandle;
  const dataDir = tempDataDir();
  const env = { PACER_ACCESS_TOKEN: SANDBOX_ACCESS_TOKEN };
  const connectArgs = () => [
    '--data-dir',
    dataDir,
    'account',
    'connect',
    '--waba-id',
    SANDBOX_WABA_ID,
    '--phone-number-id',
    SANDBOX_PHONE_NUMBER_ID,
    '--graph-url',
    sb.baseUrl,
    '--api-version',
    'v24.0',
    '--verify-token',
    'vt-1',
  ];

  beforeAll(async () => {
    sb = await startSandbox({});
  });
  afterAll(() => sb.close());

  it('connect refuses to run without a token (never from argv) and exits 2', async () => {
    const c = io({});
    expect(await runCli(connectArgs(), c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/PACER_ACCESS_TOKEN/);
  });

  it('connect with a wrong WABA id exits 2 and names the field', async () => {
    const c = io(env);
    const args = connectArgs();
    args[args.indexOf(SANDBOX_WABA_ID)] = '39999999999';
    expect(await runCli(args, c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/WhatsApp Business Account 39999999999/);
  });

  it("connects, then account status --json prints exactly the contract's keys", async () => {
    const c = io(env);
    expect(await runCli([...connectArgs(), '--json'], c.io)).toBe(0);
    expect(c.out).toHaveLength(1);

    const s = io(env);
    expect(await runCli(['--data-dir', dataDir, 'account', 'status', '--json'], s.io)).toBe(0);
    expect(s.out).toHaveLength(1);
    const json = JSON.parse(s.out[0]!) as { portfolio: Record<string, unknown>; phone_numbers: Record<string, unknown>[] };
    expect(Object.keys(json).sort()).toEqual(['phone_numbers', 'portfolio']);
    expect(json.portfolio).toEqual({ messaging_limit: 'TIER_2K', used_24h: 0, remaining_24h: 2000 });
    expect(json.phone_numbers).toHaveLength(3);
    for (const n of json.phone_numbers) expect(Object.keys(n).sort()).toEqual([...NUMBER_KEYS].sort());
    expect(json.phone_numbers.find((n) => n.id === SANDBOX_PHONE_NUMBER_ID)).toMatchObject({
      display_phone_number: '+15550100100',
      status: 'CONNECTED',
      throughput: 'STANDARD',
    });
    for (const n of json.phone_numbers) expect(String(n.display_phone_number)).toMatch(/^\+\d{8,15}$/);
    expect(s.out[0]).not.toContain(SANDBOX_ACCESS_TOKEN);
  });

  it("templates sync --json and templates list --status --json print the contract's items", async () => {
    const c = io(env);
    expect(await runCli(['--data-dir', dataDir, 'templates', 'sync', '--json'], c.io)).toBe(0);
    const synced = JSON.parse(c.out[0]!) as Record<string, unknown>[];
    expect(synced.length).toBeGreaterThan(3);
    for (const t of synced) expect(Object.keys(t).sort()).toEqual([...TEMPLATE_KEYS].sort());
    expect(synced.some((t) => t.status === 'REJECTED' && typeof t.rejected_reason === 'string')).toBe(true);
    expect(synced.every((t) => Array.isArray(t.components))).toBe(true);

    const l = io(env);
    expect(await runCli(['--data-dir', dataDir, 'templates', 'list', '--status', 'approved', '--json'], l.io)).toBe(0);
    const approved = JSON.parse(l.out[0]!) as Record<string, unknown>[];
    expect(approved.length).toBeGreaterThan(0);
    expect(approved.every((t) => t.status === 'APPROVED')).toBe(true);
    expect(approved.length).toBeLessThan(synced.length);
  });

  it('a status that does not exist exits 2', async () => {
    const c = io(env);
    expect(await runCli(['--data-dir', dataDir, 'templates', 'list', '--status', 'SHINY'], c.io)).toBe(2);
  });

  it('human output says when sending is blocked by an expired token', async () => {
    sb.setTokenState('expired');
    try {
      const r = io(env);
      expect(await runCli(['--data-dir', dataDir, 'templates', 'sync'], r.io)).toBe(1);
      expect(r.err.join('\n')).toMatch(/expired/i);
      const s = io(env);
      expect(await runCli(['--data-dir', dataDir, 'account', 'status'], s.io)).toBe(0);
      expect(s.out.join('\n')).toMatch(/BLOCKED.*expired \(190\)/);
    } finally {
      sb.setTokenState('valid');
    }
  });
});

describe('pacer account use-sandbox', () => {
  it('connects to the in-process emulator, and later commands restart it', async () => {
    const dataDir = tempDataDir();
    const c = io({});
    expect(await runCli(['--data-dir', dataDir, 'account', 'use-sandbox', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out[0]!).portfolio.messaging_limit).toBe('TIER_2K');
    // The first process has exited its core (and the emulator with it); this one starts it again.
    const t = io({});
    expect(await runCli(['--data-dir', dataDir, 'templates', 'sync', '--json'], t.io)).toBe(0);
    expect((JSON.parse(t.out[0]!) as unknown[]).length).toBeGreaterThan(3);
  });
});
