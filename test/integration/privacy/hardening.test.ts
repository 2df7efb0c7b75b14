/**
 * Issue #14 item 5, against real HTTP and real SQLite: the stored access token never goes to
 * another host without being entered again; non-loopback Graph URLs must be https; the relay
 * token moves from its plain file into the vault; campaigns:report takes no path.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/index';
import { silentLogger } from '../../../electron/core/log';
import { KeyFileVault } from '../../../electron/core/secrets/key-file-vault';
import { MemorySettingsStore } from '../../../electron/core/settings/store';
import { SANDBOX_PHONE_NUMBER_ID, SANDBOX_WABA_ID } from '../../../electron/core/sandbox/index';
import { tempDataDir } from '../../support/harness';
import { world, type World } from '../campaigns/helpers';

/** A local "other host" that records every request's Authorization header. */
async function recorder(): Promise<{ url: string; auth: (string | undefined)[]; close(): Promise<void> }> {
  const auth: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    auth.push(req.headers.authorization);
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"no","code":1}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  // "localhost" is another origin than the Sandbox's 127.0.0.1, and loopback so http is allowed.
  return { url: `http://localhost:${port}`, auth, close: () => new Promise((r) => server.close(() => r())) };
}

describe('hardening (issue #14 item 5)', () => {
  let w: World | null = null;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await w?.close();
    w = null;
    for (const c of closers.splice(0)) await c();
  });

  it('the stored token is not sent to another host until the user enters it again', async () => {
    w = await world({ webhooks: false });
    const rec = await recorder();
    closers.push(rec.close);
    const ids = { wabaId: SANDBOX_WABA_ID, phoneNumberId: SANDBOX_PHONE_NUMBER_ID };
    const moved = await w.core.call('account:connect', { ...ids, graphUrl: rec.url });
    expect(moved).toMatchObject({ ok: false, code: 'bad_input', details: { field: 'accessToken', reason: 'token_host_changed' } });
    expect(rec.auth).toEqual([]); // nothing reached the other host
    // The same host as before still works without typing the token.
    const conn = w.core.db.prepare('SELECT graph_url FROM wa_connection').pluck().get() as string;
    expect((await w.core.call('account:connect', { ...ids, graphUrl: conn })).ok).toBe(true);
    // Entered again: it goes (and this host refuses it, which is its business).
    const typed = await w.core.call('account:connect', { ...ids, graphUrl: rec.url, accessToken: 'EAAtyped-again-token-1234' });
    expect(typed.ok).toBe(false);
    expect(rec.auth.length).toBeGreaterThan(0);
    expect(rec.auth[0]).toBe('Bearer EAAtyped-again-token-1234');
  });

  it.each(['http://graph.example.com', 'http://10.0.0.5:8080', 'http://192.168.1.2'])(
    'refuses the non-loopback http Graph URL %s before any request',
    async (graphUrl) => {
      w = await world({ webhooks: false });
      const r = await w.core.call('account:connect', {
        wabaId: SANDBOX_WABA_ID,
        phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
        graphUrl,
        accessToken: 'EAAsome-token-value-123',
      });
      expect(r).toMatchObject({ ok: false, code: 'bad_input', details: { field: 'graphUrl', reason: 'graph_url_not_https' } });
    },
  );

  it('campaigns:report refuses a file path from a caller (the CLI writes --out itself)', async () => {
    w = await world({ webhooks: false });
    const r = await w.core.call('campaigns:report', { id: 'x', format: 'csv', out: '/tmp/evil.csv' } as never);
    expect(r).toMatchObject({ ok: false, code: 'bad_input' });
    expect(fs.existsSync('/tmp/evil.csv')).toBe(false);
  });
});

describe('relay token in the vault', () => {
  const cores: Core[] = [];
  afterEach(async () => {
    for (const c of cores.splice(0)) await c.close();
  });

  it('moves an existing plain relay-token file into the key-file vault once, then deletes it', async () => {
    const dir = tempDataDir('pacer-relay-vault-');
    const TOKEN = 'rly_0123456789abcdefghijklmnopqrstuvwxyz';
    fs.writeFileSync(path.join(dir, 'relay-token'), TOKEN, { mode: 0o600 });
    const env = {};
    const core = createCore({
      dataDir: dir,
      host: 'cli',
      secrets: new KeyFileVault(dir, env),
      settings: new MemorySettingsStore(),
      log: silentLogger,
    });
    cores.push(core);
    const cfg = core.services.webhooks.config;
    expect(cfg.relayToken()).toBe(TOKEN);
    expect(fs.existsSync(path.join(dir, 'relay-token'))).toBe(false);
    expect(core.ctx.secrets.get('relay_token')).toBe(TOKEN);
    // Encrypted at rest: no file of the folder holds it in plain text.
    for (const f of fs.readdirSync(dir)) {
      const p = path.join(dir, f);
      if (fs.statSync(p).isFile()) expect(fs.readFileSync(p).includes(Buffer.from(TOKEN)), f).toBe(false);
    }
    // A new pairing goes to the vault, never to a file; --off clears it.
    await cfg.setRelay('https://relay.example.com', 'rly_new-token-abcdefghijklmnopqrstuv');
    expect(cfg.relayToken()).toBe('rly_new-token-abcdefghijklmnopqrstuv');
    expect(fs.existsSync(path.join(dir, 'relay-token'))).toBe(false);
    await cfg.setRelay(null);
    expect(cfg.relayToken()).toBeNull();
  });
});
