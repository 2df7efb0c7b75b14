/**
 * The Sandbox's sends by `recipient` (a business-scoped user id instead of `to`; reference §11),
 * over real HTTP: accepted for an id it issued, refused for an unknown or malformed id and for a
 * body with both addresses, and the statuses name the user by that id (docs/sandbox.md).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../electron/core/clock';
import { startSandbox, type SandboxHandle } from '../../../electron/core/sandbox';
import { graph, orderUpdate, send } from './helpers';

let sb: SandboxHandle | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const byRecipient = (recipient: unknown) => {
  const { to: _to, ...rest } = orderUpdate('+972541234567');
  return { ...rest, recipient };
};

describe('sandbox: sends addressed by recipient (BSUID)', () => {
  it('accepts an id it issued, answers without the phone, and its statuses carry recipient_user_id', async () => {
    const clock = new FakeClock();
    sb = await startSandbox({ clock });
    const admin = await fetch(`${sb.baseUrl}/__admin/users/username`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '+972541234567', username: 'dana.c' }),
    });
    const userId = ((await admin.json()) as { user_id: string }).user_id;
    const r = await send(sb, byRecipient(userId));
    expect(r.status).toBe(200);
    expect(r.body.contacts).toEqual([{ input: userId, user_id: userId }]);
    expect(JSON.stringify(r.body)).not.toContain('972541234567');
    const wamid = r.body.messages[0].id as string;
    expect(sb.messages({ waId: '972541234567' }).map((m) => [m.wamid, m.input])).toEqual([[wamid, userId]]);
    await clock.advance(15 * 60_000);
    await sb.webhooksIdle();
    const statuses = sb
      .webhookLog({ field: 'messages' })
      .map((e) => JSON.parse(e.body) as { entry: { changes: { value: { statuses?: Record<string, unknown>[] } }[] }[] })
      .flatMap((b) => b.entry.flatMap((e) => e.changes.flatMap((c) => c.value.statuses ?? [])))
      .filter((s) => s.id === wamid);
    expect(statuses.map((s) => s.status)).toEqual(expect.arrayContaining(['sent', 'delivered']));
    for (const s of statuses) {
      expect(s.recipient_user_id).toBe(userId);
      expect(s).not.toHaveProperty('recipient_id'); // the phone is withheld (username)
    }
  });

  it('refuses an unknown id (131026), a malformed one and a body with both to and recipient (100)', async () => {
    sb = await startSandbox({ clock: new FakeClock() });
    const unknown = await send(sb, byRecipient('IL.1234567890123456'));
    expect(unknown.body.error.code).toBe(131026);
    const malformed = await send(sb, byRecipient('+972541234567'));
    expect(malformed.body.error.code).toBe(100);
    const both = await send(sb, { ...orderUpdate('+972541234567'), recipient: 'IL.1234567890123456' });
    expect(both.body.error.code).toBe(100);
    expect((await graph(sb, 'GET', '/__admin/messages')).body.data).toHaveLength(0);
  });
});
