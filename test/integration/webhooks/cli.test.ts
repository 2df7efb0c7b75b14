import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/core/cli';
import type { CliIo } from '../../../electron/core/cli/io';
import { tempDataDir } from '../../support/harness';

function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    env: { ...process.env, ...env },
    untilSignal: () => new Promise(() => {}),
  };
}

describe('pacer webhook', () => {
  const saved = process.env.PACER_APP_SECRET;
  afterEach(() => {
    if (saved === undefined) delete process.env.PACER_APP_SECRET;
    else process.env.PACER_APP_SECRET = saved;
  });

  it('info --json prints the callback path, port and a stable verify token', async () => {
    const dir = tempDataDir();
    const io = captureIo();
    expect(await runCli(['--data-dir', dir, 'webhook', 'info', '--json'], io)).toBe(0);
    expect(io.stdout.length).toBe(1);
    const info = JSON.parse(io.stdout[0]!);
    expect(info).toMatchObject({ callback_path: '/webhook', port: 8788, running: false, relay: { url: null } });
    expect(info.verify_token).toMatch(/^pacer-/);
    const io2 = captureIo();
    await runCli(['--data-dir', dir, 'webhook', 'info', '--json'], io2);
    expect(JSON.parse(io2.stdout[0]!).verify_token).toBe(info.verify_token);
  });

  it('set changes port and verify token; bad values exit 2', async () => {
    const dir = tempDataDir();
    const io = captureIo();
    expect(await runCli(['--data-dir', dir, 'webhook', 'set', '--port', '9123', '--verify-token', 'my-token-123', '--json'], io)).toBe(0);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({ port: 9123, verify_token: 'my-token-123' });
    expect(await runCli(['--data-dir', dir, 'webhook', 'set', '--port', '70000'], captureIo())).toBe(2);
    expect(await runCli(['--data-dir', dir, 'webhook', 'set', '--verify-token', 'short'], captureIo())).toBe(2);
  });

  it('test sends a signed sample through the whole path and leaves no trace', async () => {
    const dir = tempDataDir();
    process.env.PACER_APP_SECRET = 'cli-test-app-secret-xyz';
    const io = captureIo();
    expect(await runCli(['--data-dir', dir, 'webhook', 'test', '--json'], io)).toBe(0);
    const result = JSON.parse(io.stdout[0]!);
    expect(result.ok).toBe(true);
    expect(result.steps.map((s: { step: string }) => s.step)).toEqual([
      'handshake',
      'unsigned_refused',
      'signed_post',
      'stored',
      'processed',
    ]);
    const io2 = captureIo();
    await runCli(['--data-dir', dir, 'webhook', 'info', '--json'], io2);
    expect(JSON.parse(io2.stdout[0]!)).toMatchObject({ inbox: { pending: 0, processed: 0, failed: 0 }, pending_match: 0 });
  });

  it('test without an app secret fails with a clear message', async () => {
    delete process.env.PACER_APP_SECRET;
    const io = captureIo();
    expect(await runCli(['--data-dir', tempDataDir(), 'webhook', 'test'], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/app secret is not set/);
  });
});
