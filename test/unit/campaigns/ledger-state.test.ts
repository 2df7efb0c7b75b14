import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyLedgerEvent, emptyRow, type LedgerEvent, type LedgerRow } from '../../../electron/core/campaigns/ledger-state';

const run = (events: LedgerEvent[], row: LedgerRow = emptyRow()) => {
  let r = row;
  for (const e of events) {
    const t = applyLedgerEvent(r, e);
    if (t.ok) r = t.row;
  }
  return r;
};

describe('ledger state machine', () => {
  it('follows the happy path with a wamid and delivery times', () => {
    const r = run([
      { type: 'claim', at: 1 },
      { type: 'accepted', wamid: 'wamid.A', at: 2 },
      { type: 'status', status: 'sent', at: 3 },
      { type: 'status', status: 'delivered', at: 4 },
      { type: 'status', status: 'read', at: 5 },
    ]);
    expect(r).toMatchObject({ state: 'read', wamid: 'wamid.A', sentAt: 3, deliveredAt: 4, readAt: 5, attempts: 1 });
  });

  it('ignores a late "sent" after "delivered", and read implies delivered', () => {
    const r = run([
      { type: 'claim', at: 1 },
      { type: 'accepted', wamid: 'w', at: 1 },
      { type: 'status', status: 'read', at: 9 },
      { type: 'status', status: 'sent', at: 3 },
    ]);
    expect(r).toMatchObject({ state: 'read', sentAt: 9, deliveredAt: 9, readAt: 9 });
  });

  it('keeps a failure after sent with its error, and ignores a failure after delivered', () => {
    const failedAfterSent = run([
      { type: 'claim', at: 1 },
      { type: 'accepted', wamid: 'w', at: 1 },
      { type: 'status', status: 'sent', at: 2 },
      { type: 'status', status: 'failed', at: 3, code: 131049, detail: 'cap' },
    ]);
    expect(failedAfterSent).toMatchObject({ state: 'failed', errorCode: 131049, errorDetail: 'cap', sentAt: 2, failedAt: 3 });
    const delivered = run([
      { type: 'claim', at: 1 },
      { type: 'accepted', wamid: 'w', at: 1 },
      { type: 'status', status: 'delivered', at: 2 },
    ]);
    expect(applyLedgerEvent(delivered, { type: 'status', status: 'failed', at: 3, code: 1 }).ok).toBe(false);
  });

  it('never resends an uncertain row automatically, but a status or an explicit resend resolves it', () => {
    const uncertain = run([
      { type: 'claim', at: 1 },
      { type: 'unknown_outcome', detail: 'crash' },
    ]);
    expect(uncertain.state).toBe('uncertain');
    expect(applyLedgerEvent(uncertain, { type: 'claim', at: 2 }).ok).toBe(false);
    expect(applyLedgerEvent(uncertain, { type: 'retry', code: 1, notBefore: 5 }).ok).toBe(false);
    expect(run([{ type: 'status', status: 'delivered', at: 3, wamid: 'wamid.X' }], uncertain)).toMatchObject({
      state: 'delivered',
      wamid: 'wamid.X',
    });
    expect(run([{ type: 'resend' }], uncertain).state).toBe('pending');
  });

  it('a definite API error retries from sending only; a skipped row stays skipped', () => {
    const retried = run([
      { type: 'claim', at: 1 },
      { type: 'retry', code: 131000, notBefore: 100 },
    ]);
    expect(retried).toMatchObject({ state: 'pending', notBefore: 100, errorCode: 131000, attempts: 1 });
    const skipped = run([{ type: 'skip', reason: 'opted_out' }]);
    for (const e of [{ type: 'claim', at: 1 }, { type: 'resend' }, { type: 'status', status: 'sent', at: 1 }] as LedgerEvent[]) {
      expect(applyLedgerEvent(skipped, e).ok).toBe(false);
    }
  });

  const eventArb: fc.Arbitrary<LedgerEvent> = fc.oneof(
    fc.record({ type: fc.constant('claim' as const), at: fc.nat(1000) }),
    fc.record({ type: fc.constant('accepted' as const), wamid: fc.constantFrom('w1', 'w2'), at: fc.nat(1000) }),
    fc.record({ type: fc.constant('retry' as const), code: fc.constantFrom(131000, null), notBefore: fc.nat(1000) }),
    fc.record({ type: fc.constant('rejected' as const), code: fc.constantFrom(131026, 100), at: fc.nat(1000) }),
    fc.record({ type: fc.constant('unknown_outcome' as const) }),
    fc.record({ type: fc.constant('skip' as const), reason: fc.constant('x') }),
    fc.record({
      type: fc.constant('status' as const),
      status: fc.constantFrom('sent' as const, 'delivered' as const, 'read' as const, 'failed' as const),
      at: fc.nat(1000),
      code: fc.constantFrom(131049, null),
    }),
  );
  const rank = { accepted: 1, sent: 2, delivered: 3, read: 4 } as Record<string, number>;

  it('property: without explicit resends, a row is claimed (sent over HTTP) at most once after it leaves pending for good', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), (events) => {
        let r = emptyRow();
        let claimsAfterUncertainOrFinal = 0;
        let settled = false;
        for (const e of events) {
          const t = applyLedgerEvent(r, e);
          if (!t.ok) continue;
          if (e.type === 'claim' && settled) claimsAfterUncertainOrFinal++;
          r = t.row;
          if (r.state !== 'pending' && r.state !== 'sending') settled = true;
        }
        // Once a row is uncertain/accepted/…/failed/skipped, nothing but an explicit resend can claim it.
        expect(claimsAfterUncertainOrFinal).toBe(0);
      }),
    );
  });

  it('property: delivery progress never goes backwards and read implies delivered implies sent', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), (events) => {
        let r = emptyRow();
        for (const e of events) {
          const before = r;
          const t = applyLedgerEvent(r, e);
          if (!t.ok) continue;
          r = t.row;
          const rb = rank[before.state];
          const ra = rank[r.state];
          if (rb !== undefined && ra !== undefined) expect(ra).toBeGreaterThan(rb);
          if (rb !== undefined && rb >= 3) expect(r.state).not.toBe('failed');
          if (r.state === 'read') expect(r.deliveredAt).not.toBeNull();
          if (r.state === 'delivered' || r.state === 'read') expect(r.sentAt).not.toBeNull();
          // skipped and read are terminal for every automatic event.
          expect(before.state === 'skipped' || before.state === 'read').toBe(false);
        }
      }),
    );
  });

  it('property: an attempt count grows by one per claim, and only from pending', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), (events) => {
        let r = emptyRow();
        let claims = 0;
        for (const e of events) {
          const t = applyLedgerEvent(r, e);
          if (t.ok && e.type === 'claim') {
            expect(r.state).toBe('pending');
            claims++;
          }
          if (t.ok) r = t.row;
        }
        expect(r.attempts).toBe(claims);
      }),
    );
  });
});
