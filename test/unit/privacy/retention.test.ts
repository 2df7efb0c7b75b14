/**
 * Retention of raw webhook bodies (issue #14 item 3) on real SQLite with a FakeClock: applied
 * inbox rows older than the setting go at start and then daily; pending rows, statuses and event
 * keys stay; the run is remembered and audited.
 */
import { auditPruned } from '../../../electron/core/audit/handlers';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, startRetention } from '../../../electron/core/privacy/retention';
import { testCore } from '../../support/core';

type C = ReturnType<typeof testCore>;
const cores: C[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
});

function inboxRow(c: C, at: number, state: 'pending' | 'processed' | 'failed', text = 'hello'): number {
  const body = Buffer.from(
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ changes: [{ value: { messages: [{ from: '972501234567', text: { body: text } }] } }] }],
    }),
  );
  return Number(
    c.db
      .prepare('INSERT INTO webhook_inbox (received_at, source, body, state, processed_at) VALUES (?, ?, ?, ?, ?)')
      .run(at, 'direct', body, state, state === 'pending' ? null : at).lastInsertRowid,
  );
}
const ids = (c: C) => c.db.prepare('SELECT id FROM webhook_inbox ORDER BY id').pluck().all() as number[];

describe('webhook body retention', () => {
  it('prunes at start and daily with the configured period; pending rows, statuses and keys stay', async () => {
    const c = testCore();
    cores.push(c);
    const now = c.clock.now();
    const old = inboxRow(c, now - 31 * DAY_MS, 'processed', 'old reply');
    inboxRow(c, now - 40 * DAY_MS, 'failed');
    const oldPending = inboxRow(c, now - 45 * DAY_MS, 'pending');
    const recent = inboxRow(c, now - 29 * DAY_MS, 'processed');
    c.db.prepare('INSERT INTO webhook_event_keys (key, inbox_id, processed_at) VALUES (?, ?, ?)').run('k-old', old, now);
    c.db.prepare(`INSERT INTO webhook_message_status (wamid, status, updated_at) VALUES ('wamid.A', 'read', ?)`).run(now - 31 * DAY_MS);

    const stop = startRetention(c.ctx, auditPruned(c.ctx), c.clock);
    expect(ids(c)).toEqual([oldPending, recent]); // default 30 days
    expect(c.db.prepare('SELECT count(*) FROM webhook_event_keys').pluck().get()).toBe(1);
    expect(c.db.prepare('SELECT status FROM webhook_message_status').pluck().get()).toBe('read');
    const status = await c.call('retention:status', {});
    expect(status).toMatchObject({ ok: true, value: { days: 30, inbox_rows: 2, last_run: { at: now, deleted: 2 } } });
    const audit = c.db.prepare("SELECT actor, detail FROM audit_log WHERE action = 'retention.pruned'").all() as {
      actor: string;
      detail: string;
    }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('system');
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ deleted: 2, days: 30 });

    // One day later the 29-day-old row is 30 days old: not yet (strictly older than the period)...
    await c.clock.advance(DAY_MS);
    expect(ids(c)).toEqual([oldPending, recent]);
    // ...the next daily run takes it.
    await c.clock.advance(DAY_MS);
    expect(ids(c)).toEqual([oldPending]);
    // Nothing to prune: no new audit entry.
    await c.clock.advance(DAY_MS);
    expect(c.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'retention.pruned'").pluck().get()).toBe(2);
    stop();
    expect(c.clock.pendingTimers()).toBe(0);
  });

  it('a shorter setting prunes more on the next run (retention:prune runs it now); bounds are validated', async () => {
    const c = testCore();
    cores.push(c);
    const now = c.clock.now();
    inboxRow(c, now - 8 * DAY_MS, 'processed');
    const keep = inboxRow(c, now - 2 * DAY_MS, 'processed');
    expect(await c.call('retention:prune', {})).toMatchObject({ ok: true, value: { inbox_rows: 2 } });
    expect((await c.call('settings:update', { webhookRetentionDays: 7 })).ok).toBe(true);
    expect(await c.call('retention:prune', {})).toMatchObject({ ok: true, value: { days: 7, inbox_rows: 1, last_run: { deleted: 1 } } });
    expect(ids(c)).toEqual([keep]);
    expect(await c.call('settings:update', { webhookRetentionDays: 0 })).toMatchObject({ ok: false, code: 'bad_input' });
  });

  it('prunes a large backlog in batches without leaving any behind', async () => {
    const c = testCore();
    cores.push(c);
    const now = c.clock.now();
    const ins = c.db.prepare(
      `INSERT INTO webhook_inbox (received_at, source, body, state, processed_at) VALUES (?, 'direct', x'7b7d', 'processed', ?)`,
    );
    c.db.transaction(() => {
      for (let i = 0; i < 5001; i++) ins.run(now - 60 * DAY_MS, now - 60 * DAY_MS);
    })();
    expect(await c.call('retention:prune', {})).toMatchObject({ ok: true, value: { inbox_rows: 0, last_run: { deleted: 5001 } } });
  });
});
