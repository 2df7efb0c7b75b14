/**
 * Erasure of a person's WhatsApp message ids (issue #14 item 2): a wamid is base64 of the
 * recipient's number, so after an erasure none may stay, in any table, key or text; the erased
 * form is a keyed hash that joins across tables; a late event for an erased id is recognised.
 * Real SQLite with every migration (a test core), seeded rows, fixed-seed properties.
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  eraseWamids,
  erasedWamid,
  forgottenEvent,
  isErasedWamid,
  subjectOf,
  wamidEncodes,
  wamidPrefixOf,
} from '../../../electron/core/privacy/store/erase-wamids';
import { eraseTraces, scrubForgotten } from '../../../electron/core/privacy/store/erase-traces';
import { recordErasure } from '../../../electron/core/privacy/store/erasures';
import { maskPhones } from '../../../electron/core/privacy/log-mask';
import type { WebhookEvent } from '../../../electron/core/webhooks/events';
import { testCore } from '../../support/core';
import { dumpStore } from '../../support/store-dump';

/** A wamid shaped like Meta's (and the Sandbox's): base64 of 0x1c 0x18 <len> <digits> … <random id>. */
function metaWamid(waId: string, rnd = crypto.randomBytes(9).toString('hex').toUpperCase()): string {
  const body = Buffer.concat([
    Buffer.from([0x1c, 0x18, waId.length]),
    Buffer.from(waId, 'ascii'),
    Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]),
    Buffer.from(rnd, 'ascii'),
    Buffer.from([0x00]),
  ]);
  return 'wamid.' + body.toString('base64');
}

/** The number as base64 at its three possible alignments (whole groups only). */
function fragments(digits: string): string[] {
  return [0, 1, 2].map((skip) => {
    const b = Buffer.from(digits.slice(skip), 'ascii');
    return b.subarray(0, Math.floor(b.length / 3) * 3).toString('base64');
  });
}

describe('the wamid prefix of a number', () => {
  it('property: every Meta-shaped wamid of a number starts with its prefix and decodes to it; another number’s does not (seeded)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{7,14}$/), fc.stringMatching(/^[1-9]\d{7,14}$/), (a, b) => {
        const w = metaWamid(a);
        expect(w.startsWith(wamidPrefixOf(a)!)).toBe(true);
        expect(wamidEncodes(w, a)).toBe(true);
        if (!a.includes(b) && !b.includes(a)) {
          expect(wamidEncodes(w, b)).toBe(false);
          expect(w.startsWith(wamidPrefixOf(b)!)).toBe(false);
        }
      }),
      { seed: 1418, numRuns: 300 },
    );
  });

  it('a real wamid from Meta’s documentation decodes to its number', () => {
    // The shape of Meta's examples: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA".
    const w = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA';
    expect(wamidEncodes(w, '16503879439')).toBe(true);
    expect(w.startsWith(wamidPrefixOf('16503879439')!)).toBe(true);
  });
});

describe('eraseWamids on a real store', () => {
  type C = ReturnType<typeof testCore>;
  const cores: C[] = [];
  afterEach(async () => {
    for (const c of cores.splice(0)) await c.close();
  });

  const DANA = '+972502345678';
  const waId = '972502345678';
  const YOSSI = '972529876543';

  function seeded() {
    const c = testCore();
    cores.push(c);
    const db = c.db;
    const w = {
      sent: metaWamid(waId), // a send with a merged status
      pending: metaWamid(waId), // a status kept before its send was known
      inbound: metaWamid(waId), // her message (only its event key is left)
      keyOnly: metaWamid(waId), // found by its prefix in the event keys alone
      bsuid: 'wamid.' + crypto.randomBytes(12).toString('hex'), // not Meta's shape: found by link
      yossi: metaWamid(YOSSI),
    };
    const status = db.prepare('INSERT INTO webhook_message_status (wamid, status, recipient_id, updated_at) VALUES (?, ?, ?, 1)');
    status.run(w.sent, 'read', waId);
    status.run(w.bsuid, 'delivered', waId);
    status.run(w.yossi, 'read', YOSSI);
    db.prepare('INSERT INTO webhook_pending_status (event_key, wamid, event, received_at) VALUES (?, ?, ?, 1)').run(
      `status:${w.pending}:sent:1`,
      w.pending,
      JSON.stringify({ type: 'status', key: `status:${w.pending}:sent:1`, wamid: w.pending, recipientId: waId }),
    );
    const key = db.prepare('INSERT INTO webhook_event_keys (key, inbox_id, processed_at) VALUES (?, 1, 1)');
    for (const k of [
      `status:${w.sent}:read:1`,
      `status:${w.bsuid}:delivered:1`,
      `message:${w.inbound}`,
      `status:${w.keyOnly}:sent:1`,
      `user_preferences:${waId}:marketing:stop:1`,
      `status:${w.yossi}:read:1`,
      `user_preferences:${YOSSI}:marketing:stop:1`,
    ])
      key.run(k);
    db.prepare('INSERT INTO click_events (event_key, waba_id, at, action_type, wamid, received_at) VALUES (?, ?, 1, ?, ?, 1)').run(
      'click:1',
      'W',
      'marketing_messages_link_click',
      w.sent,
    );
    // Yossi's batch, applied, quoting her message id (no number of hers in it).
    db.prepare("INSERT INTO webhook_inbox (received_at, source, body, state, last_error) VALUES (1, 'direct', ?, 'processed', ?)").run(
      Buffer.from(
        JSON.stringify({ entry: [{ changes: [{ value: { messages: [{ from: YOSSI, id: w.yossi, context: { id: w.sent } }] } }] }] }),
      ),
      `status status:${w.sent}:read:1: campaigns: busy`,
    );
    db.prepare("INSERT INTO audit_log (at, actor, action, detail) VALUES (1, 'webhook', 'consent.opted_out', ?)").run(
      JSON.stringify({ evidence: `status failed 131050 for ${w.sent}` }),
    );
    return { c, db, w };
  }

  it('finds every id of hers (by link and by prefix) and replaces each by its keyed form everywhere; Yossi keeps his', () => {
    const { db, w } = seeded();
    const hash = recordErasure(db, DANA, 1);
    const subject = subjectOf(db, 0, DANA, hash);
    expect([...subject.wamids].sort()).toEqual([w.sent, w.pending, w.inbound, w.keyOnly, w.bsuid].sort());
    const before = dumpStore(db);
    expect(fragments(waId).some((f) => before.includes(f))).toBe(true); // the grep below can fail

    db.transaction(() => {
      eraseTraces(db, subject);
      eraseWamids(db, subject);
    })();
    const after = dumpStore(db);
    for (const f of [
      ...fragments(waId),
      ...Object.entries(w)
        .filter(([k]) => k !== 'yossi')
        .map(([, v]) => v.slice(6)),
      `:${waId}:`,
    ])
      expect(after).not.toContain(f);
    // Same erased value in every table: the merged status, the key, the click and the quote agree.
    const e = erasedWamid(db, w.sent);
    expect(e).toMatch(/^erased\.[A-Za-z0-9_-]{43}$/);
    expect(db.prepare('SELECT status FROM webhook_message_status WHERE wamid = ?').pluck().get(e)).toBe('read');
    expect(db.prepare('SELECT wamid FROM click_events').pluck().get()).toBe(e);
    expect(db.prepare('SELECT 1 FROM webhook_event_keys WHERE key = ?').get(`status:${e}:read:1`)).toBeDefined();
    expect(db.prepare('SELECT body FROM webhook_inbox').pluck().get()!.toString()).toContain(e);
    expect(db.prepare('SELECT wamid FROM webhook_pending_status').pluck().get()).toBe(erasedWamid(db, w.pending));
    expect(db.prepare('SELECT 1 FROM webhook_event_keys WHERE key = ?').get(`user_preferences:${hash}:marketing:stop:1`)).toBeDefined();
    // Yossi: untouched.
    expect(after).toContain(w.yossi);
    expect(after).toContain(`user_preferences:${YOSSI}:`);
    expect(db.prepare('SELECT recipient_id FROM webhook_message_status WHERE wamid = ?').pluck().get(w.yossi)).toBe(YOSSI);
  });

  it('a late event for an erased id is forgotten (recorded under its erased key), an ordinary one is not', () => {
    const { db, w } = seeded();
    const statusOf = (wamid: string, recipientId: string | null) =>
      ({ type: 'status', key: `status:${wamid}:read:9`, wamid, recipientId }) as unknown as WebhookEvent;
    expect(forgottenEvent(db, statusOf(w.sent, waId))).toBeNull(); // nothing erased yet: no cost, no match
    const subject = subjectOf(db, 0, DANA, recordErasure(db, DANA, 1));
    db.transaction(() => {
      eraseTraces(db, subject);
      eraseWamids(db, subject);
    })();
    expect(isErasedWamid(db, w.sent)).toBe(true);
    expect(isErasedWamid(db, w.inbound)).toBe(true);
    expect(isErasedWamid(db, w.yossi)).toBe(false);
    expect(isErasedWamid(db, erasedWamid(db, w.sent))).toBe(false); // the erased form is an ordinary id
    expect(forgottenEvent(db, statusOf(w.sent, null))).toEqual({
      key: `status:${erasedWamid(db, w.sent)}:read:9`,
      wamid: w.sent,
      waId: null,
    });
    // A status to her number for an id Pacer never stored: forgotten too (the suppression record).
    const unseen = metaWamid(waId);
    expect(forgottenEvent(db, statusOf(unseen, waId))?.waId).toBe(waId);
    expect(forgottenEvent(db, statusOf(w.yossi, YOSSI))).toBeNull();
    expect(forgottenEvent(db, { type: 'message', key: `message:${w.inbound}`, id: w.inbound } as unknown as WebhookEvent)).not.toBeNull();
    // A preference of her number (a retry of a STOP): recorded under the suppression hash; Yossi's is his.
    const pref = (n: string) =>
      ({ type: 'user_preferences', key: `user_preferences:${n}:marketing:stop:9`, waId: n }) as unknown as WebhookEvent;
    expect(forgottenEvent(db, pref(waId))).toEqual({
      key: `user_preferences:${subject.hash}:marketing:stop:9`,
      wamid: null,
      waId,
    });
    expect(forgottenEvent(db, pref(YOSSI))).toBeNull();

    // Its raw body loses her status's number and id; Yossi's status stays whole.
    const id = Number(
      db.prepare("INSERT INTO webhook_inbox (received_at, source, body, state) VALUES (2, 'direct', ?, 'processed')").run(
        Buffer.from(
          JSON.stringify({
            entry: [
              {
                changes: [
                  {
                    value: {
                      statuses: [
                        { id: unseen, status: 'read', recipient_id: waId },
                        { id: w.yossi, status: 'read', recipient_id: YOSSI },
                      ],
                    },
                  },
                ],
              },
            ],
          }),
        ),
      ).lastInsertRowid,
    );
    scrubForgotten(db, id, [{ wamid: unseen, waId }]);
    const body = (db.prepare('SELECT body FROM webhook_inbox WHERE id = ?').pluck().get(id) as Buffer).toString();
    for (const f of fragments(waId)) expect(body).not.toContain(f);
    expect(body).not.toContain(waId);
    expect(body).toContain(w.yossi);
    expect(body).toContain(YOSSI);
  });
});

describe('maskPhones and message ids', () => {
  it('a wamid in a log line keeps only its random tail; a preference key loses the number', () => {
    const w = metaWamid('972502345678');
    const out = maskPhones(
      JSON.stringify({
        msg: 'webhook handler failed',
        errors: [`status status:${w}:read:1: x`, 'user_preferences:972502345678:marketing'],
      }),
    );
    for (const f of fragments('972502345678')) expect(out).not.toContain(f);
    expect(out).not.toContain('502345678');
    expect(out).toContain(`wamid.…${w.slice(-6)}`);
    expect(out).toContain('user_preferences:…78');
  });
});
