import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/core/cli/index';
import type { CliIo } from '../../../electron/core/cli/io';
import { tempDataDir } from '../../support/harness';

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), env, untilSignal: () => new Promise(() => {}) };
  return { io: value, out, err };
}

describe('pacer CLI', () => {
  it('--help lists the commands', async () => {
    const c = io();
    expect(await runCli(['--help'], c.io)).toBe(0);
    const help = c.out.join('\n');
    for (const cmd of ['info', 'serve']) expect(help).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
  });

  it('unknown commands and options exit 2 with a message on stderr', async () => {
    const c = io();
    expect(await runCli(['frobnicate'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/unknown command/);
    const d = io();
    expect(await runCli(['info', '--bogus'], d.io)).toBe(2);
  });

  it('--json prints exactly one JSON document on stdout', async () => {
    const dataDir = tempDataDir();
    const c = io();
    expect(await runCli(['--data-dir', dataDir, 'info', '--json'], c.io)).toBe(0);
    expect(c.out).toHaveLength(1);
    expect(JSON.parse(c.out[0]!)).toMatchObject({ name: 'Pacer', dataDir, schemaVersion: expect.any(Number) });
  });

  it('takes the data dir from PACER_DATA_DIR', async () => {
    const dataDir = tempDataDir();
    const c = io({ PACER_DATA_DIR: dataDir });
    expect(await runCli(['info', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out[0]!).dataDir).toBe(dataDir);
  });

  it('serve rejects a bad port as bad usage', async () => {
    const c = io();
    expect(await runCli(['--data-dir', tempDataDir(), 'serve', '--port', '99999'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/--port/);
  });
});
