import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import { SANDBOX_PHONE_NUMBER_ID, startSandbox, type SandboxHandle } from '../../../electron/core/sandbox';
import { graph, orderUpdate, send } from './helpers';

let sb: SandboxHandle | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('sandbox: template send', () => {
  it('accepts a valid template send with Meta\'s response shape', async () => {
    sb = await startSandbox({ clock: new FakeClock() });
    const r = await send(sb, orderUpdate('+972 54-123-4567', { biz_opaque_callback_data: 'c1:r1' }));
    expect(r.status).toBe(200);
    expect(r.body.messaging_product).toBe('whatsapp');
    expect(r.body.contacts).toEqual([{ input: '+972 54-123-4567', wa_id: '972541234567' }]);
    expect(r.body.messages).toHaveLength(1);
    expect(r.body.messages[0].id).toMatch(/^wamid\.[A-Za-z0-9+/=]+$/);
    expect(r.body.messages[0].message_status).toBe('accepted');
    expect(sb.stats().sends.accepted).toBe(1);
  });

  it('rejects a bad token with a 190 error', async () => {
    sb = await startSandbox({ clock: new FakeClock() });
    const r = await graph(sb, 'POST', `/v24.0/${SANDBOX_PHONE_NUMBER_ID}/messages`, orderUpdate('+972541234567'), 'nope');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe(190);
    expect(r.body.error.type).toBe('OAuthException');
    expect(typeof r.body.error.fbtrace_id).toBe('string');
  });
});
