import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/core/cli';
import type { CliIo } from '../../../electron/core/cli/io';
import { SANDBOX_ACCESS_TOKEN, SANDBOX_WABA_ID } from '../../../electron/core/sandbox';
import { PACER_BIN, REPO } from '../../support/harness';

function testIo() {
  const out: string[] = [];
  const err: string[] = [];
  let stop!: (sig: string) => void;
  const stopped = new Promise<string>((r) => (stop = r));
  let firstLine!: (l: string) => void;
  const first = new Promise<string>((r) => (firstLine = r));
  const io: CliIo = {
    out: (t) => {
      if (!out.length) firstLine(t);
      out.push(t);
    },
    err: (t) => void err.push(t),
    env: {},
    untilSignal: () => stopped,
  };
  return { io, out, err, stop, first };
}

describe('pacer sandbox (CLI)', () => {
  it('prints {"base_url"} as its first stdout line, serves the API, and stops cleanly on a signal', async () => {
    const t = testIo();
    const code = runCli(['sandbox', '--seed', '3'], t.io);
    const line = await t.first;
    const { base_url } = JSON.parse(line) as { base_url: string };
    expect(base_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${base_url}/v24.0/${SANDBOX_WABA_ID}/message_templates?limit=1`, {
      headers: { authorization: `Bearer ${SANDBOX_ACCESS_TOKEN}` },
    });
    expect(res.status).toBe(200);
    t.stop('SIGTERM');
    expect(await code).toBe(0);
    expect(t.out).toHaveLength(1); // nothing else on stdout
    await expect(fetch(base_url)).rejects.toThrow();
  });

  it('uses --scenario and --webhook-url; bad input exits 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-sb-cli-'));
    const file = path.join(dir, 'scenario.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ name: 'tiny', business: { messaging_limit: 'TIER_10K' }, wabas: [{ id: '77', name: 'Tiny' }] }),
    );
    const t = testIo();
    const code = runCli(['sandbox', '--scenario', file, '--webhook-url', 'http://127.0.0.1:9/hook'], t.io);
    const { base_url } = JSON.parse(await t.first) as { base_url: string };
    const waba = await fetch(`${base_url}/v24.0/77?fields=whatsapp_business_manager_messaging_limit`, {
      headers: { authorization: `Bearer ${SANDBOX_ACCESS_TOKEN}` },
    });
    expect(await waba.json()).toEqual({ whatsapp_business_manager_messaging_limit: 'TIER_10K', id: '77' });
    const state = (await (await fetch(`${base_url}/__admin/state`)).json()) as { webhook_url: string };
    expect(state.webhook_url).toBe('http://127.0.0.1:9/hook');
    t.stop('SIGINT');
    expect(await code).toBe(0);

    fs.writeFileSync(file, JSON.stringify({ business: { messaging_limit: 'NOPE' } }));
    const bad = testIo();
    expect(await runCli(['sandbox', '--scenario', file], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/business\.messaging_limit/);
    expect(bad.out).toHaveLength(0);
    expect(await runCli(['sandbox', '--port', 'x'], testIo().io)).toBe(2);
    expect(await runCli(['sandbox', '--webhook-url', 'ftp://x'], testIo().io)).toBe(2);
  });

  it('--print-scenario prints the built-in scenario, which --scenario accepts back', async () => {
    const t = testIo();
    expect(await runCli(['sandbox', '--print-scenario'], t.io)).toBe(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacer-sb-cli-'));
    const file = path.join(dir, 'default.json');
    fs.writeFileSync(file, t.out.join('\n'));
    const run = testIo();
    const code = runCli(['sandbox', '--scenario', file], run.io);
    const first = JSON.parse(await run.first) as { waba_ids: string[]; phone_number_ids: string[] };
    expect(first.waba_ids).toEqual([SANDBOX_WABA_ID]);
    expect(first.phone_number_ids).toHaveLength(3);
    run.stop('SIGINT');
    expect(await code).toBe(0);
  });

  // The built binary (dist/cli.mjs) — skipped when the tree has not been built.
  it.skipIf(!fs.existsSync(path.join(REPO, 'dist', 'cli.mjs')))('the real binary: first line JSON, SIGTERM exits 0', async () => {
    const child = spawn(process.execPath, [PACER_BIN, 'sandbox'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    const rl = readline.createInterface({ input: child.stdout });
    const line = await new Promise<string>((resolve, reject) => {
      rl.once('line', resolve);
      child.once('exit', (c) => reject(new Error(`exited ${c} before printing`)));
    });
    expect(JSON.parse(line).base_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const exit = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
