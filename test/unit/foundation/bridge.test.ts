import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../../electron/core/http/bridge';
import { testCore } from '../../support/core';
import { tempDataDir } from '../../support/harness';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(): Promise<{ bridge: Bridge; core: ReturnType<typeof testCore> }> {
  const core = testCore();
  const staticDir = tempDataDir();
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Pacer</title>');
  const bridge = await startBridge(core, { staticDir });
  cleanup.push(
    () => core.close(),
    () => bridge.close(),
  );
  return { bridge, core };
}

describe('harness bridge', () => {
  it('binds 127.0.0.1 and serves the app with a CSP header', async () => {
    const { bridge } = await setup();
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(bridge.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await res.text()).toContain('<title>Pacer</title>');
  });

  it('requires the per-run token on every call', async () => {
    const { bridge } = await setup();
    const call = (headers: Record<string, string>) => fetch(`${bridge.url}api/call/app:info`, { method: 'POST', headers, body: '{}' });
    expect((await call({})).status).toBe(401);
    expect((await call({ 'x-pacer-token': 'wrong' })).status).toBe(401);
    const ok = await call({ 'x-pacer-token': bridge.token });
    expect(await ok.json()).toMatchObject({ ok: true, value: { name: 'Pacer' } });
  });

  it('refuses other origins and hosts (DNS rebinding)', async () => {
    const { bridge } = await setup();
    const cross = await fetch(`${bridge.url}api/call/app:info`, {
      method: 'POST',
      headers: { 'x-pacer-token': bridge.token, origin: 'https://evil.example' },
      body: '{}',
    });
    expect(cross.status).toBe(403);
    const http = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port: bridge.port, path: '/', headers: { host: 'evil.example' } }, (r) => resolve(r.statusCode!)).end();
    });
    expect(status).toBe(403);
  });

  it('answers bad input as a Result with the field that is wrong', async () => {
    const { bridge } = await setup();
    const res = await fetch(`${bridge.url}api/call/settings:update`, {
      method: 'POST',
      headers: { 'x-pacer-token': bridge.token },
      body: JSON.stringify({ defaultCountry: 'israel' }),
    });
    expect(await res.json()).toMatchObject({ ok: false, code: 'bad_input', message: expect.stringContaining('defaultCountry') });
  });

  it('pushes core events over the event stream', async () => {
    const { bridge, core } = await setup();
    const res = await fetch(`${bridge.url}api/events?token=${bridge.token}`);
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"
    await core.call('settings:update', { theme: 'dark' });
    let text = '';
    while (!text.includes('settings:changed')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('"theme":"dark"');
    await reader.cancel();
  });

  it('stages an uploaded file and hands back an id, not a path', async () => {
    const { bridge, core } = await setup();
    const res = await fetch(`${bridge.url}api/upload?name=${encodeURIComponent('אנשי קשר.csv')}`, {
      method: 'POST',
      headers: { 'x-pacer-token': bridge.token },
      body: 'phone\n+972541234567\n',
    });
    const body = (await res.json()) as { ok: boolean; value: { fileId: string; name: string; size: number } };
    expect(body).toMatchObject({ ok: true, value: { name: 'אנשי קשר.csv', size: 20 } });
    expect(JSON.stringify(body)).not.toContain(core.ctx.dataDir);
    expect(fs.readFileSync(core.ctx.files.get(body.value.fileId).path, 'utf8')).toContain('+972541234567');
  });
});
