/**
 * Erasure of a person named by WhatsApp's 2026 identifiers (issue #14 item 2): a business-scoped
 * user id, a parent user id, a username and a profile name — for a person known only by them
 * (migration 0017) and for a phone contact that carries them too. On a real store (a test core,
 * every migration): rows naming them in every table the webhooks, the import and the audit trail
 * write, then `contacts:delete`, then a dump of every table must hold none of them, while another
 * person's rows stay whole. Pending statuses keep their status with every person field null.
 * Late events from an erased user id are forgotten. Seeded properties for the body redaction.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { redactBody, scrubForgotten } from '../../../electron/core/privacy/store/erase-traces';
import { cutPerson, personIds } from '../../../electron/core/privacy/store/erase-person';
import { forgottenEvent } from '../../../electron/core/privacy/store/erase-wamids';
import { erasureHash } from '../../../electron/core/privacy/store/erasures';
import { maskPhones } from '../../../electron/core/privacy/log-mask';
import { testCore } from '../../support/core';
import { dumpStore } from '../../support/store-dump';

interface Person {
  /** Names their message ids in these fixtures (real wamids are base64 and never hold a username). */
  tag: string;
  phone: string | null;
  userId: string;
  parent: string | null;
  username: string;
  profile: string;
  secret: string;
}

const ORLI: Person = {
  tag: 'A1',
  phone: null,
  userId: 'IL.1502576394655843',
  parent: 'US.ENT.9988776655443322',
  username: 'orli.bam77',
  profile: 'Orlitzka Bamberg',
  secret: 'Persimmon crate to Dizengoff 99',
};
const RON: Person = {
  tag: 'B2',
  phone: '+972504445566',
  userId: 'IL.2000000000000042',
  parent: null,
  username: 'ronny_k',
  profile: 'Ronaldo Katzenberg',
  secret: 'Guava order for Allenby 5',
};
const YOSSI: Person = {
  tag: 'C3',
  phone: '+972529876543',
  userId: 'IL.3000000000000077',
  parent: null,
  username: 'yossi.c',
  profile: 'Yossi Cohen',
  secret: 'keep this text of mine',
};

const needlesOf = (p: Person) => [p.userId, p.userId.slice(3), ...(p.parent ? [p.parent] : []), p.username, p.profile, p.secret];
const waIdOf = (p: Person) => p.phone?.slice(1);

/** A `messages` webhook body: each person writes (their contacts entry with profile name and username). */
function messageBody(people: Person[], wamid: (p: Person) => string) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'W',
        changes: [
          {
            field: 'messages',
            value: {
              contacts: people.map((p) => ({
                ...(p.phone ? { wa_id: waIdOf(p) } : {}),
                user_id: p.userId,
                ...(p.parent ? { parent_user_id: p.parent } : {}),
                profile: { name: p.profile, username: p.username },
              })),
              messages: people.map((p) => ({
                ...(p.phone ? { from: waIdOf(p) } : {}),
                from_user_id: p.userId,
                ...(p.parent ? { from_parent_user_id: p.parent } : {}),
                id: wamid(p),
                type: 'text',
                text: { body: `${p.secret} (I am @${p.username})` },
              })),
              statuses: people.map((p) => ({
                id: `wamid.status-${p.tag}`,
                status: 'read',
                timestamp: '1',
                ...(p.phone ? { recipient_id: waIdOf(p) } : {}),
                recipient_user_id: p.userId,
                ...(p.parent ? { recipient_parent_user_id: p.parent } : {}),
              })),
            },
          },
        ],
      },
    ],
  };
}

describe('erasing a person named by user id, parent id, username and profile name (real store)', () => {
  type C = ReturnType<typeof testCore>;
  const cores: C[] = [];
  afterEach(async () => {
    for (const c of cores.splice(0)) await c.close();
  });

  function seeded() {
    const c = testCore();
    cores.push(c);
    const db = c.db;
    const contact = db.prepare(
      'INSERT INTO contacts (phone, name, user_id, parent_user_id, username, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 1)',
    );
    for (const p of [ORLI, RON, YOSSI]) contact.run(p.phone, p.profile, p.userId, p.parent, p.username);
    const inbox = db.prepare('INSERT INTO webhook_inbox (received_at, source, body, state, last_error) VALUES (1, ?, ?, ?, ?)');
    const pending = db.prepare('INSERT INTO webhook_pending_status (event_key, wamid, event, received_at) VALUES (?, ?, ?, 1)');
    const key = db.prepare('INSERT OR IGNORE INTO webhook_event_keys (key, inbox_id, processed_at) VALUES (?, 1, 1)');
    db.prepare(
      "INSERT INTO imports (id, file_name, format, encoding, actor, counts, started_at, finished_at) VALUES ('i1', 'list.csv', 'csv', 'utf-8', 'user', '{}', 1, 1)",
    ).run();
    const rejection = db.prepare(
      "INSERT INTO import_rejections (import_id, seq, row, code, reason, params) VALUES ('i1', ?, ?, 'duplicate', ?, ?)",
    );
    const waiting = db.prepare(
      "INSERT INTO user_id_consent_pending (user_id, parent_user_id, username, profile_name, category, state, source, source_detail, at, event_key) VALUES (?, ?, ?, ?, 'marketing', 'opted_out', 'meta_preference', 'stop', 1, ?)",
    );
    const audit = db.prepare("INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (1, 'webhook', 'consent.opted_out', ?, ?)");
    [ORLI, RON, YOSSI].forEach((p, i) => {
      const own = (x: Person) => `wamid.in-${x.tag}`;
      // Their own message, applied; a batch with Yossi's, still pending; Yossi's batch whose error quotes them.
      inbox.run('direct', Buffer.from(JSON.stringify(messageBody([p], own))), 'processed', null);
      if (p !== YOSSI) {
        inbox.run('direct', Buffer.from(JSON.stringify(messageBody([p, YOSSI], own))), 'pending', null);
        inbox.run(
          'relay',
          Buffer.from(JSON.stringify(messageBody([YOSSI], own))),
          'processed',
          `handler: no contact for ${p.userId} (@${p.username})`,
        );
      }
      // A status kept before its send was known: names them by number (if any), user id, parent id and username.
      const k = `status:wamid.pend-${p.tag}:delivered:1`;
      pending.run(
        k,
        `wamid.pend-${p.tag}`,
        JSON.stringify({
          type: 'status',
          key: k,
          wamid: `wamid.pend-${p.tag}`,
          status: 'delivered',
          recipientId: waIdOf(p) ?? null,
          recipientUserId: p.userId,
          recipientParentUserId: p.parent,
          username: p.username,
          errors: [{ code: 131026, title: `undeliverable to ${p.userId}`, message: null, details: null, href: null }],
        }),
      );
      key.run(`user_preferences:${p.userId}:marketing:stop:1`);
      key.run(`message:${own(p)}`);
      rejection.run(i, i + 2, `duplicate of row 1 (${p.userId})`, JSON.stringify({ user_id: p.userId, username: p.username }));
      waiting.run(p.userId, p.parent, p.username, p.profile, `user_preferences:${p.userId}:x`);
      audit.run(p.userId, JSON.stringify({ note: `STOP from @${p.username} (${p.profile}), id ${p.userId}` }));
    });
    return { c, db };
  }

  for (const who of [ORLI, RON]) {
    it(`${who.phone ? 'a phone contact with a user id' : 'a contact known only by user id'}: nothing of theirs in any table; Yossi whole`, async () => {
      const { c, db } = seeded();
      for (const n of needlesOf(who)) expect(dumpStore(db), n).toContain(n); // the test can fail
      const deleted = await c.call('contacts:delete', { userId: who.userId });
      expect(deleted).toMatchObject({ ok: true, value: { deleted: true } });
      const after = dumpStore(db);
      for (const n of [...needlesOf(who), `wamid.in-${who.tag}`, `wamid.pend-${who.tag}`, ...(who.phone ? [who.phone.slice(1)] : [])])
        expect(after, n).not.toContain(n);
      for (const n of needlesOf(YOSSI)) expect(after, n).toContain(n);
      // Their pending status stays (counts), every field naming them null — never "".
      const ev = (db.prepare('SELECT event FROM webhook_pending_status').pluck().all() as string[])
        .map((e) => JSON.parse(e) as Record<string, unknown>)
        .filter((e) => String(e.wamid).startsWith('erased.'));
      expect(ev).toHaveLength(1);
      expect(ev[0]).toMatchObject({
        status: 'delivered',
        recipientId: null,
        recipientUserId: null,
        recipientParentUserId: null,
        username: null,
      });
      // The pending batch still carries Yossi's message for its processing, without theirs.
      const kept = (db.prepare("SELECT body FROM webhook_inbox WHERE state = 'pending'").pluck().all() as Buffer[]).map((b) =>
        b.toString(),
      );
      expect(kept.some((b) => b.includes(YOSSI.secret))).toBe(true);
      // The keys stay (a retry is still a duplicate), under the suppression record's hash.
      const hash = erasureHash(db, who.phone ?? `bsuid:${who.userId}`);
      expect(db.prepare('SELECT 1 FROM webhook_event_keys WHERE key = ?').get(`user_preferences:${hash}:marketing:stop:1`)).toBeDefined();
      expect(db.prepare('SELECT count(*) FROM audit_log WHERE subject = ?').pluck().get(hash)).toBeGreaterThanOrEqual(1);
    });
  }

  it('late events from an erased user id are forgotten (recorded under erased keys); a phone erasure keeps "writes again" as new data', async () => {
    const { c, db } = seeded();
    const status = (p: Person, wamid: string) => ({
      type: 'status',
      key: `status:${wamid}:read:9`,
      wamid,
      recipientId: waIdOf(p) ?? null,
      recipientUserId: p.userId,
    });
    const message = (p: Person, id: string) => ({ type: 'message', key: `message:${id}`, id, from: waIdOf(p) ?? null, userId: p.userId });
    const pref = (p: Person) => ({
      type: 'user_preferences',
      key: `user_preferences:${p.userId}:marketing:stop:9`,
      waId: null,
      userId: p.userId,
    });
    const click = (p: Person) => ({ type: 'click', key: 'click:PN:c1', wamid: null, recipientId: p.userId });
    expect(forgottenEvent(db, message(ORLI, 'wamid.late'))).toBeNull(); // nothing erased yet
    await c.call('contacts:delete', { userId: ORLI.userId });
    await c.call('contacts:delete', { userId: RON.userId });
    const orliHash = erasureHash(db, `bsuid:${ORLI.userId}`);
    expect(forgottenEvent(db, status(ORLI, 'wamid.late-status'))).toMatchObject({ userId: ORLI.userId, wamid: 'wamid.late-status' });
    const m = forgottenEvent(db, message(ORLI, 'wamid.late'))!;
    expect(m.userId).toBe(ORLI.userId);
    expect(m.key).toMatch(/^message:erased\./);
    expect(forgottenEvent(db, pref(ORLI))?.key).toBe(`user_preferences:${orliHash}:marketing:stop:9`);
    expect(forgottenEvent(db, click(ORLI))).toMatchObject({ userId: ORLI.userId });
    // Yossi is not erased; Ron was erased by number: his status to that number is forgotten, a new
    // message from him is new data he sent (as for any number).
    for (const ev of [status(YOSSI, 'wamid.y'), message(YOSSI, 'wamid.y2'), pref(YOSSI), click(YOSSI), message(RON, 'wamid.r')])
      expect(forgottenEvent(db, ev)).toBeNull();
    expect(forgottenEvent(db, status(RON, 'wamid.r2'))).not.toBeNull();

    // The late body loses her message, her profile and her status's ids; Yossi's stays.
    const id = Number(
      db
        .prepare("INSERT INTO webhook_inbox (received_at, source, body, state) VALUES (2, 'direct', ?, 'processed')")
        .run(Buffer.from(JSON.stringify(messageBody([ORLI, YOSSI], (p) => `wamid.late-${p.tag}`)))).lastInsertRowid,
    );
    scrubForgotten(db, id, [m, { ...m, wamid: 'wamid.late-A1' }, { wamid: 'wamid.status-A1', waId: null, userId: ORLI.userId }]);
    const body = (db.prepare('SELECT body FROM webhook_inbox WHERE id = ?').pluck().get(id) as Buffer).toString();
    for (const n of [ORLI.userId, ORLI.parent!, ORLI.profile, ORLI.secret, 'wamid.late-A1']) expect(body, n).not.toContain(n);
    expect(body).toContain(YOSSI.secret);
    expect(body).toContain(YOSSI.userId);
  });
});

describe('redactBody and cutPerson for user ids, usernames and profile names', () => {
  const uid = fc.tuple(fc.constantFrom('IL', 'US', 'TW', 'BR'), fc.stringMatching(/^[1-9]\d{15}$/)).map(([c, d]) => `${c}.${d}`);
  const username = fc.stringMatching(/^[a-z][a-z0-9._]{2,20}[a-z0-9]$/).map((u) => `u_${u}`);
  const profile = fc.stringMatching(/^[A-Z][a-z]{3,10} [A-Z][a-z]{3,12}$/).map((n) => `Zz${n}`);

  it('property: a phone-less person leaves a body (messages, contacts, statuses, preferences, quotes); another stays (seeded)', () => {
    fc.assert(
      fc.property(uid, uid, username, profile, fc.string({ minLength: 1, maxLength: 40 }), (userId, parent, name, prof, text) => {
        fc.pre(userId !== YOSSI.userId && !YOSSI.userId.includes(userId));
        const p: Person = {
          tag: 'P0',
          phone: null,
          userId,
          parent: `US.ENT.${parent.slice(3)}`,
          username: name,
          profile: prof,
          secret: `${text} reach me at ${userId}`,
        };
        const doc = messageBody([p, YOSSI], (x) => `wamid.x-${x.tag}`);
        (doc.entry[0]!.changes[0]!.value as Record<string, unknown>).user_preferences = [
          { user_id: userId, value: 'stop', timestamp: '1' },
        ];
        const out = redactBody(JSON.stringify(doc), personIds({ phone: null, userId, parentUserId: p.parent, username: name }));
        for (const n of [userId, p.parent!, name, prof, 'wamid.x-P0']) expect(out).not.toContain(n);
        expect(out).toContain(YOSSI.secret);
        expect(out).toContain(YOSSI.userId);
        expect(out).toContain(YOSSI.profile);
        const v = JSON.parse(out).entry[0].changes[0].value;
        expect(v.messages).toHaveLength(1);
        expect(v.statuses).toHaveLength(2); // her status still counts, without her
        expect(v.user_preferences).toEqual([]);
      }),
      { seed: 1414, numRuns: 200 },
    );
  });

  it('a username or name is cut as a whole word only ("ana" stays in "banana")', () => {
    const p = personIds({ phone: null, userId: 'IL.1234567890123456', username: 'ana', profileName: 'Dana Levi' });
    expect(cutPerson(p, 'banana bread for @ana and ana. Dana Levi, Dana Levinski', '#')).toBe('banana bread for # and #. #, Dana Levinski');
  });
});

describe('maskPhones and user ids', () => {
  it('a user id or parent id keeps its country and last two digits; usernames and profile names are dropped', () => {
    const out = maskPhones(
      JSON.stringify({
        msg: 'webhook handler failed',
        errors: [`consent event user_preferences:${ORLI.userId}:marketing:stop:1 has no phone`],
        parent: ORLI.parent,
        username: ORLI.username,
        contacts: [{ profile: { name: ORLI.profile, username: ORLI.username } }],
        phoneNumberId: '4000000000000001',
      }),
    );
    for (const n of [ORLI.userId, ORLI.parent!, ORLI.username, ORLI.profile]) expect(out).not.toContain(n);
    expect(out).toContain('IL.…43');
    expect(out).toContain('US.ENT.…22');
    expect(out).toContain('4000000000000001');
  });
});
