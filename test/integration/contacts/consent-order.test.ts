/**
 * Consent follows the person's latest action, not the order Pacer processed the webhooks in: a
 * `user_preferences` "resume" sent before a STOP but processed after it does not undo the STOP.
 * Older events processed late join the (append-only) history, marked, without changing the state.
 * Ties (webhooks carry whole seconds): the opt-out wins, so the outcome never depends on arrival order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import { signedPost } from '../../unit/webhooks/helpers';
import { closedAfterEach, importFile, ok, tempFile } from './helpers';

const T = 1767600000; // unix seconds, an hour before the test clock's "now"
const SECRET = 'consent-order-app-secret-0123456789';

const newCore = closedAfterEach();
function core(): Core {
  const c = newCore();
  c.ctx.secrets.set('app_secret', SECRET);
  return c;
}

const entry = (field: string, value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: 'WABA1',
      changes: [
        {
          field,
          value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: 'PN1' }, ...value },
        },
      ],
    },
  ],
});

type Action =
  { kind: 'keyword' | 'button'; id: string; seconds: number } | { kind: 'preference'; value: 'stop' | 'resume'; seconds: number };

function body(waId: string, a: Action) {
  if (a.kind === 'preference') {
    return entry('user_preferences', {
      contacts: [{ wa_id: waId }],
      user_preferences: [
        {
          wa_id: waId,
          detail: `User requested to ${a.value} marketing messages`,
          category: 'marketing_messages',
          value: a.value,
          timestamp: a.seconds,
        },
      ],
    });
  }
  const message =
    a.kind === 'keyword'
      ? { type: 'text', text: { body: 'STOP' } }
      : { type: 'button', button: { payload: 'Stop promotions', text: 'Stop promotions' } };
  return entry('messages', {
    contacts: [{ profile: { name: 'x' }, wa_id: waId }],
    messages: [{ from: waId, id: a.id, timestamp: String(a.seconds), ...message }],
  });
}

const stateOf = (a: Action) => (a.kind === 'preference' && a.value === 'resume' ? 'opted_in' : 'opted_out');

function addContact(c: Core, phone: string): number {
  return Number(
    c.db.prepare("INSERT INTO contacts (phone, name, country, created_at, updated_at) VALUES (?, '', 'IL', 1, 1)").run(phone)
      .lastInsertRowid,
  );
}

function consent(c: Core, id: number) {
  const state = c.db.prepare("SELECT state, updated_at FROM consent_state WHERE contact_id = ? AND category = 'marketing'").get(id) as
    { state: string; updated_at: number } | undefined;
  const history = c.db
    .prepare("SELECT state, source, at, evidence FROM consent_events WHERE contact_id = ? AND category = 'marketing' ORDER BY id")
    .all(id) as { state: string; source: string; at: number; evidence: string | null }[];
  return { state: state?.state ?? 'unknown', at: state?.updated_at ?? null, history };
}

describe('consent is decided by when the person acted', () => {
  it('a resume (T1) processed after a STOP (T2 > T1) leaves the contact opted out, both in the history', async () => {
    const c = core();
    const rx = await c.services.webhooks.start({ port: 0, relay: false });
    const id = addContact(c, '+972502345601');
    const post = async (a: Action) => {
      expect((await signedPost(rx.url, body('972502345601', a), SECRET)).status).toBe(200);
      await c.services.webhooks.processor.drain();
    };
    await post({ kind: 'keyword', id: 'wamid.STOP', seconds: T + 20 });
    await post({ kind: 'preference', value: 'resume', seconds: T + 10 });
    const after = consent(c, id);
    expect(after.state).toBe('opted_out');
    expect(after.at).toBe((T + 20) * 1000);
    expect(after.history.map((h) => [h.state, h.source, h.at])).toEqual([
      ['opted_out', 'keyword', (T + 20) * 1000],
      ['opted_in', 'meta_preference', (T + 10) * 1000],
    ]);
    expect(after.history[1]!.evidence).toMatch(/not applied: older than the current state \(2026-01-05T08:00:20\.000Z\)$/);

    // Meta's retry of the late resume: the same event, not a second history row.
    await post({ kind: 'preference', value: 'resume', seconds: T + 10 });
    expect(consent(c, id).history).toHaveLength(2);
    await rx.close();
  });

  it('the reverse arrival order gives the same states: STOP(T1) after resume(T2) stays opted in; resume(T1) then STOP(T2) opts out', async () => {
    const c = core();
    const svc = c.services.webhooks;
    const run = async (phone: string, actions: Action[]) => {
      const id = addContact(c, `+${phone}`);
      for (const a of actions) {
        svc.inbox.appendNow([{ body: Buffer.from(JSON.stringify(body(phone, a))), source: 'direct' }]);
        await svc.processor.drain();
      }
      return consent(c, id);
    };
    const a = await run('972502345602', [
      { kind: 'preference', value: 'resume', seconds: T + 20 },
      { kind: 'keyword', id: 'wamid.S2', seconds: T + 10 },
    ]);
    expect(a.state).toBe('opted_in');
    expect(a.history.map((h) => h.state)).toEqual(['opted_in', 'opted_out']);
    const b = await run('972502345603', [
      { kind: 'preference', value: 'resume', seconds: T + 10 },
      { kind: 'button', id: 'wamid.S3', seconds: T + 20 },
    ]);
    expect(b.state).toBe('opted_out');
    expect(b.history.map((h) => h.state)).toEqual(['opted_in', 'opted_out']);
  });

  it('a manual change is "now" and wins over anything older, even a STOP timed ahead of this clock', async () => {
    const c = core();
    const service = c.services.contacts;
    const phone = '+972502345604';
    const id = addContact(c, phone);
    const now = c.ctx.clock.now();
    // Meta's clock is a minute ahead of this computer's.
    service.recordConsentByPhone({
      phone,
      category: 'marketing',
      state: 'opted_out',
      source: 'keyword',
      sourceDetail: 'keyword',
      evidence: { code: 'stop_keyword', params: { keyword: 'STOP', message: 'wamid.X' } },
      at: now + 60_000,
    });
    await ok(
      c.call('contacts:opt-in', { contact: { phone }, category: 'marketing', source: 'phone call', reason: 'asked to be re-subscribed' }),
    );
    expect(consent(c, id)).toMatchObject({ state: 'opted_in', at: now + 60_000 });
    // A resume or STOP from before the marketer's decision does not undo it.
    service.recordConsentByPhone({
      phone,
      category: 'marketing',
      state: 'opted_out',
      source: 'button',
      sourceDetail: 'button',
      evidence: { code: 'stop_keyword', params: { keyword: 'old tap', message: 'wamid.X' } },
      at: now - 60_000,
    });
    expect(consent(c, id).state).toBe('opted_in');
    // A STOP after it does.
    service.recordConsentByPhone({
      phone,
      category: 'marketing',
      state: 'opted_out',
      source: 'keyword',
      sourceDetail: 'keyword',
      evidence: { code: 'stop_keyword', params: { keyword: 'STOP again', message: 'wamid.X' } },
      at: now + 120_000,
    });
    expect(consent(c, id).state).toBe('opted_out');
  });

  it('an older STOP processed after a newer import opt-in still opts out (an import never stands over an opt-out)', async () => {
    const c = core();
    const service = c.services.contacts;
    await importFile(c, tempFile('p.csv', 'name,phone\nDana,050-234-5605\n'), { consent: 'marketing' });
    const id = c.db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get('+972502345605') as number;
    expect(consent(c, id).state).toBe('opted_in');
    service.recordConsentByPhone({
      phone: '+972502345605',
      category: 'marketing',
      state: 'opted_out',
      source: 'keyword',
      sourceDetail: 'keyword',
      evidence: { code: 'stop_keyword', params: { keyword: 'STOP', message: 'wamid.X' } },
      at: T * 1000,
    });
    expect(consent(c, id)).toMatchObject({ state: 'opted_out', at: T * 1000 });
  });

  it('the same late event recorded twice (a sink called again) is one history row', () => {
    const c = core();
    const service = c.services.contacts;
    const phone = '+972502345606';
    const id = addContact(c, phone);
    const change = {
      phone,
      category: 'marketing' as const,
      sourceDetail: 'pref',
      evidence: { code: 'meta_preference' as const, params: { value: 'x' } },
    };
    service.recordConsentByPhone({ ...change, state: 'opted_out', source: 'keyword', at: (T + 5) * 1000 });
    for (let i = 0; i < 3; i++) service.recordConsentByPhone({ ...change, state: 'opted_in', source: 'meta_preference', at: T * 1000 });
    expect(consent(c, id).history).toHaveLength(2);
  });
});

describe('property: the final state is the state of the latest action, whatever the processing order', () => {
  it('for any set of timestamped STOP / button / stop / resume events, in any order (ties: opt-out wins)', async () => {
    const c = core();
    const svc = c.services.webhooks;
    let n = 0;
    const actionArb: fc.Arbitrary<Action> = fc.oneof(
      fc.record({
        kind: fc.constantFrom('keyword' as const, 'button' as const),
        id: fc.constant(''),
        seconds: fc.integer({ min: T, max: T + 4 }),
      }),
      fc.record({
        kind: fc.constant('preference' as const),
        value: fc.constantFrom('stop' as const, 'resume' as const),
        seconds: fc.integer({ min: T, max: T + 4 }),
      }),
    );
    const withIds = (list: Action[]) => list.map((a, i) => (a.kind === 'preference' ? a : { ...a, id: `wamid.P${n}-${i}` }));
    const orders = (list: Action[]) => [list, [...list].reverse(), [...list].sort((x, y) => y.seconds - x.seconds)];

    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 7 }), async (generated) => {
        n++;
        const events = withIds(generated);
        const latest = Math.max(...events.map((e) => e.seconds));
        const atLatest = events.filter((e) => e.seconds === latest);
        const expected = atLatest.some((e) => stateOf(e) === 'opted_out') ? 'opted_out' : 'opted_in';
        for (const [k, order] of orders(events).entries()) {
          const phone = `97252${String(3_000_000 + n * 3 + k).slice(-7)}`;
          const id = addContact(c, `+${phone}`);
          // Message ids are unique per order too: the processor would skip a repeated id as a duplicate.
          const bodies = order.map((a) => body(phone, a.kind === 'preference' ? a : { ...a, id: `${a.id}-${k}` }));
          svc.inbox.appendNow(bodies.map((b) => ({ body: Buffer.from(JSON.stringify(b)), source: 'direct' as const })));
          await svc.processor.drain();
          const got = consent(c, id);
          expect(got.state, JSON.stringify(order)).toBe(expected);
          expect(got.at).toBe(latest * 1000);
          // Append-only history, each action at most once.
          const rows = got.history.map((h) => `${h.state}|${h.source}|${h.at}`);
          expect(new Set(rows).size).toBe(rows.length);
        }
      }),
      { seed: 20260105, numRuns: 60 },
    );
    expect(svc.inbox.counts()).toMatchObject({ pending: 0, failed: 0 });
  }, 120_000);
});
