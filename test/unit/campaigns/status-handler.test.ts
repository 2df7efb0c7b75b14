import { afterEach, describe, expect, it } from 'vitest';
import { createStatusHandler } from '../../../electron/core/campaigns/status-handler';
import { recoverInterrupted } from '../../../electron/core/campaigns/sender';
import type { StatusEvent } from '../../../electron/core/webhooks/events';
import { testCore } from '../../support/core';

const cores: ReturnType<typeof testCore>[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.close();
});

function setup() {
  const core = testCore();
  cores.push(core);
  core.db
    .prepare(
      "INSERT INTO campaigns (id, name, state, template_name, template_language, audience, options, created_at, updated_at) VALUES ('c1', 'x', 'running', 't', 'en', 'all', '{\"retry_131049\":1}', 1, 1)",
    )
    .run();
  const add = core.db.prepare(
    "INSERT INTO campaign_recipients (campaign_id, phone, phone_hash, state, wamid, updated_at) VALUES ('c1', ?, ?, ?, ?, 1)",
  );
  const ids = {
    accepted: Number(add.run('+972500000001', 'h1', 'accepted', 'wamid.A').lastInsertRowid),
    sending: Number(add.run('+972500000002', 'h2', 'sending', null).lastInsertRowid),
    capped: Number(add.run('+972500000003', 'h3', 'accepted', 'wamid.C').lastInsertRowid),
    stopped: Number(add.run('+972500000004', 'h4', 'accepted', 'wamid.D').lastInsertRowid),
  };
  const calls = { failed: [] as (number | null)[], optOut: [] as string[], touched: 0, reopened: [] as number[] };
  const handler = createStatusHandler(core.ctx, {
    retryLimit: () => 1,
    touched: () => {
      calls.touched++;
    },
    failed: (_c, code) => {
      calls.failed.push(code);
    },
    delivered: () => undefined,
    optOut: (phone) => {
      calls.optOut.push(phone);
    },
    reopened: (_c, notBefore) => {
      calls.reopened.push(notBefore);
    },
  });
  const row = (id: number) =>
    core.db
      .prepare(
        'SELECT state, wamid, error_code, error_class, sent_at, delivered_at, read_at, not_before, retries_24h FROM campaign_recipients WHERE id = ?',
      )
      .get(id) as Record<string, unknown>;
  return { core, ids, handler, row, calls };
}

const ev = (p: Partial<StatusEvent>): StatusEvent => ({
  type: 'status',
  key: Math.random().toString(),
  wamid: 'wamid.A',
  status: 'sent',
  timestamp: 1000,
  recipientId: null,
  recipientType: null,
  recipientIdentityKeyHash: null,
  bizOpaqueCallbackData: null,
  pricing: null,
  conversation: null,
  errors: [],
  wabaId: 'w',
  phoneNumberId: 'p',
  displayPhoneNumber: null,
  ...p,
});

describe('webhook statuses → send ledger', () => {
  it('matches by wamid, ignores late and duplicate statuses, fills in implied times', () => {
    const { ids, handler, row } = setup();
    expect(handler(ev({ status: 'read', timestamp: 3000 }))).toBe('matched');
    expect(handler(ev({ status: 'delivered', timestamp: 2000 }))).toBe('matched');
    expect(handler(ev({ status: 'sent', timestamp: 1000 }))).toBe('matched');
    expect(row(ids.accepted)).toMatchObject({ state: 'read', sent_at: 3000, delivered_at: 3000, read_at: 3000 });
    expect(handler(ev({ wamid: 'wamid.UNKNOWN' }))).toBe('unmatched');
  });

  it('resolves a row whose HTTP answer was lost through biz_opaque_callback_data (also after a crash)', () => {
    const { core, ids, handler, row } = setup();
    expect(recoverInterrupted(core.ctx)).toBe(1);
    expect(row(ids.sending).state).toBe('uncertain');
    expect(handler(ev({ wamid: 'wamid.B', status: 'delivered', bizOpaqueCallbackData: `pacer:${ids.sending}` }))).toBe('matched');
    expect(row(ids.sending)).toMatchObject({ state: 'delivered', wamid: 'wamid.B' });
  });

  it('async 131049 is retried once not before 24 h; 131050 records an opt-out', () => {
    const { ids, handler, row, calls } = setup();
    handler(
      ev({
        wamid: 'wamid.C',
        status: 'failed',
        timestamp: 5000,
        errors: [{ code: 131049, title: 'ecosystem', message: null, details: null, href: null }],
      }),
    );
    expect(row(ids.capped)).toMatchObject({
      state: 'pending',
      not_before: 5000 + 86_400_000,
      retries_24h: 1,
      error_code: 131049,
      error_class: 'retry_after_24h',
    });
    expect(calls.reopened).toEqual([5000 + 86_400_000]);
    handler(
      ev({ wamid: 'wamid.D', status: 'failed', errors: [{ code: 131050, title: 'stopped', message: null, details: null, href: null }] }),
    );
    expect(row(ids.stopped)).toMatchObject({ state: 'failed', error_code: 131050, error_class: 'suppress_contact' });
    expect(calls.optOut).toEqual(['+972500000004']);
    expect(calls.failed).toEqual([131049, 131050]);
  });
});
