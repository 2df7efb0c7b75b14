import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../../electron/core/sandbox/index';
import { testCore } from '../../support/core';

let sandbox: SandboxHandle | null = null;
afterEach(async () => {
  await sandbox?.close();
  sandbox = null;
});

describe('connecting with a verify token', () => {
  it("makes the webhook receiver answer Meta's handshake with that token", async () => {
    const core = testCore();
    sandbox = await startSandbox({ clock: core.clock });
    core.ctx.secrets.set('access_token', sandbox.credentials.accessToken);
    core.ctx.secrets.set('app_secret', sandbox.credentials.appSecret);
    const r = await core.call('account:connect', {
      wabaId: sandbox.ids.wabaIds[0]!,
      phoneNumberId: sandbox.ids.phoneNumberIds[0]!,
      accessToken: sandbox.credentials.accessToken,
      appSecret: sandbox.credentials.appSecret,
      verifyToken: 'my-verify-token-123',
      graphUrl: sandbox.baseUrl,
    });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(core.services.webhooks.config.verifyToken()).toBe('my-verify-token-123');
    await core.close();
  });
});
