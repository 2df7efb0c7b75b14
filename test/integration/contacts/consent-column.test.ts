/**
 * A file's own consent column wins over the options' blanket "these people agreed" box: its no is
 * an opt-out, its yes an opt-in, the box only fills in where it says nothing, and a value it does
 * not understand is left unknown and noted. Real files (UTF-8, Windows-1255, Big5), real SQLite.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/index';
import { runCli } from '../../../electron/core/cli/index';
import type { CliIo } from '../../../electron/core/cli/io';
import type { ImportConsentCounts, ImportOptions, ImportReport } from '../../../shared/contract/contacts';
import { tempDataDir } from '../../support/harness';
import { closedAfterEach, importFile, preview, tempFile } from './helpers';

const core = closedAfterEach();

/** The test clock's time (FakeClock), as evidence shows it. */
const AT = '2026-01-05T09:00:00.000Z';

interface Lang {
  lang: string;
  country: string;
  header: [name: string, phone: string, consent: string];
  /** Five people: yes, no, nothing said, not understood ("maybe"), another way to say no. */
  rows: [name: string, phone: string, consent: string][];
  e164: string[];
  encodings: ('utf-8' | 'windows-1255' | 'big5')[];
}

const LANGS: Lang[] = [
  {
    lang: 'he',
    country: 'IL',
    header: ['שם', 'טלפון', 'הסכמה לדיוור'],
    rows: [
      ['דנה כהן', '050-234-5678', 'כן'],
      ['יוסי לוי', '052-987-6543', 'לא'],
      ['נועה פרץ', '054-987-6543', ''],
      ['רון אבן', '050-765-4321', 'אולי'],
      ['מאיה גל', '054-765-4321', 'לא מאשר'],
    ],
    e164: ['+972502345678', '+972529876543', '+972549876543', '+972507654321', '+972547654321'],
    encodings: ['utf-8', 'windows-1255'],
  },
  {
    lang: 'zh-TW',
    country: 'TW',
    header: ['姓名', '手機', '同意接收'],
    rows: [
      ['陳美玲', '0912-345-671', '是'],
      ['王小明', '0912-345-672', '否'],
      ['林志豪', '0912-345-673', ''],
      ['張家豪', '0912-345-674', '也許'],
      ['李淑芬', '0912-345-678', '不同意'],
    ],
    e164: ['+886912345671', '+886912345672', '+886912345673', '+886912345674', '+886912345678'],
    encodings: ['utf-8', 'big5'],
  },
  {
    lang: 'en',
    country: 'IL',
    header: ['name', 'phone', 'opt-in'],
    rows: [
      ['Dana Cohen', '050-234-5678', 'yes'],
      ['Yossi Levi', '052-987-6543', 'no'],
      ['Noa Peretz', '054-987-6543', ''],
      ['Ron Even', '050-765-4321', 'maybe'],
      ['Maya Gal', '054-765-4321', 'opted out'],
    ],
    e164: ['+972502345678', '+972529876543', '+972549876543', '+972507654321', '+972547654321'],
    encodings: ['utf-8'],
  },
];

function writeFile(l: Lang, encoding: Lang['encodings'][number]): { file: string; name: string } {
  const text = [l.header, ...l.rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
  const name = `${l.lang}-${encoding}.csv`;
  return { file: tempFile(name, encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding)), name };
}

const stateOf = (c: Core, phone: string, category = 'marketing') =>
  (c.db
    .prepare('SELECT cs.state FROM consent_state cs JOIN contacts k ON k.id = cs.contact_id WHERE k.phone = ? AND cs.category = ?')
    .pluck()
    .get(phone, category) as string | undefined) ?? 'unknown';

const eventsOf = (c: Core, phone: string, category = 'marketing') =>
  c.db
    .prepare(
      'SELECT e.state, e.source, e.source_detail AS detail, e.evidence FROM consent_events e JOIN contacts k ON k.id = e.contact_id WHERE k.phone = ? AND e.category = ? ORDER BY e.id',
    )
    .all(phone, category) as { state: string; source: string; detail: string; evidence: string | null }[];

const count = (c: Core, table: string) => c.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

async function run(c: Core, file: string, opts: Partial<Omit<ImportOptions, 'fileId'>>): Promise<ImportReport> {
  const job = await importFile(c, file, opts);
  expect(job.error).toBeNull();
  return job.report!;
}

const consentCounts = (partial: Partial<ImportConsentCounts>): ImportConsentCounts => ({
  category: 'marketing',
  column: null,
  box: false,
  optedInByFile: 0,
  optedInByBox: 0,
  optedOutByFile: 0,
  keptOptedOut: 0,
  notRecorded: 0,
  unrecognised: 0,
  ...partial,
});

describe.each(LANGS.flatMap((l) => l.encodings.map((encoding) => [`${l.lang} (${encoding})`, l, encoding] as const)))(
  'a consent column in %s',
  (_label, l, encoding) => {
    it('is recognised; with the box ticked its no is an opt-out, its yes an opt-in, the box fills in only where it says nothing', async () => {
      const c = core();
      const { file, name } = writeFile(l, encoding);
      const p = await preview(c, file);
      expect(p.encoding).toBe(encoding);
      expect(p.mapping).toContainEqual({ column: l.header[2], field: 'consent' });

      const options = { defaultCountry: l.country, consent: 'marketing' as const, consentSource: 'sign-up form 2025' };
      const expected = consentCounts({
        column: l.header[2],
        box: true,
        optedInByFile: 1,
        optedInByBox: 1,
        optedOutByFile: 2,
        unrecognised: 1,
      });
      const unrecognised = {
        row: 5,
        code: 'consent_unrecognised',
        reason: `consent value "${l.rows[3]![2]}" is not understood: nothing recorded (left as it was)`,
        params: { value: l.rows[3]![2] },
      };

      // The dry run says it all and writes nothing.
      const dry = await run(c, file, { ...options, dryRun: true });
      expect(dry).toMatchObject({ rows: 5, imported: 5, invalid: 0, errorsTotal: 1, errors: [unrecognised], consent: expected });
      expect([count(c, 'contacts'), count(c, 'consent_events'), count(c, 'consent_state')]).toEqual([0, 0, 0]);

      const report = await run(c, file, options);
      expect(report).toMatchObject({ rows: 5, imported: 5, errorsTotal: 1, errors: [unrecognised], consent: expected });
      const [yes, no, blank, maybe, no2] = l.e164 as [string, string, string, string, string];
      expect([yes, no, blank, maybe, no2].map((phone) => stateOf(c, phone))).toEqual([
        'opted_in',
        'opted_out',
        'opted_in',
        'unknown',
        'opted_out',
      ]);
      // Only the import's category is touched.
      expect([yes, no, blank].map((phone) => stateOf(c, phone, 'utility'))).toEqual(['unknown', 'unknown', 'unknown']);

      // Evidence: the file's rows name the column; the box's rows keep the box's own evidence.
      const fromFile = `consent column "${l.header[2]}" of file ${name}, imported ${AT} by cli`;
      expect(eventsOf(c, yes)).toEqual([{ state: 'opted_in', source: 'import', detail: `import ${name}:2`, evidence: fromFile }]);
      expect(eventsOf(c, no)).toEqual([{ state: 'opted_out', source: 'import', detail: `import ${name}:3`, evidence: fromFile }]);
      expect(eventsOf(c, blank)).toEqual([
        {
          state: 'opted_in',
          source: 'import',
          detail: `import ${name}:4`,
          evidence: `sign-up form 2025 — file ${name}, imported ${AT} by cli`,
        },
      ]);
      expect(eventsOf(c, maybe)).toEqual([]);
      expect(eventsOf(c, no2)).toEqual([{ state: 'opted_out', source: 'import', detail: `import ${name}:6`, evidence: fromFile }]);
    });

    it('without the box: the file decides, and a row that says nothing is left unknown', async () => {
      const c = core();
      const { file } = writeFile(l, encoding);
      const report = await run(c, file, { defaultCountry: l.country });
      expect(report.consent).toEqual(
        consentCounts({ column: l.header[2], optedInByFile: 1, optedOutByFile: 2, notRecorded: 1, unrecognised: 1 }),
      );
      expect(l.e164.map((phone) => stateOf(c, phone))).toEqual(['opted_in', 'opted_out', 'unknown', 'unknown', 'opted_out']);
    });
  },
);

describe('re-importing a consent column (onDuplicate)', () => {
  const [DANA, YOSSI, NOA, RON, MAYA] = LANGS[2]!.e164 as [string, string, string, string, string];
  const csv = (rows: [string, string][]) => `name,phone,opt-in\n${rows.map(([phone, v]) => `X,${phone},${v}`).join('\n')}\n`;

  it("'update' records the file's no over an opt-in (with history), and never turns an opt-out back into an opt-in", async () => {
    const c = core();
    const service = c.services.contacts;
    await run(
      c,
      tempFile(
        'first.csv',
        csv([
          [DANA, 'yes'],
          [YOSSI, 'yes'],
          [NOA, 'yes'],
          [RON, ''],
        ]),
      ),
      {},
    );
    expect([DANA, YOSSI, NOA, RON].map((p) => stateOf(c, p))).toEqual(['opted_in', 'opted_in', 'opted_in', 'unknown']);

    // Yossi texts STOP.
    c.clock.advance(86_400_000);
    service.recordConsentByPhone({ phone: YOSSI, category: 'all', state: 'opted_out', source: 'keyword', sourceDetail: 'keyword STOP' });

    // The CRM's export comes back: Dana now says no, Yossi yes, Noa nothing, Ron no; box ticked.
    const second = tempFile(
      'crm.csv',
      csv([
        [DANA, 'no'],
        [YOSSI, 'yes'],
        [NOA, ''],
        [RON, 'no'],
      ]),
    );
    const options = { consent: 'marketing' as const, onDuplicate: 'update' as const };
    const expected = consentCounts({ column: 'opt-in', box: true, optedOutByFile: 2, keptOptedOut: 1, optedInByBox: 1 });
    const kept = {
      row: 3,
      code: 'opted_out_kept',
      reason: 'opted out on 2026-01-06 (keyword STOP): kept opted out — only the person can opt back in',
      params: { date: '2026-01-06' },
    };
    const dry = await run(c, second, { ...options, dryRun: true });
    expect(dry).toMatchObject({ rows: 4, updated: 4, consent: expected, errors: [kept] });
    expect(stateOf(c, DANA)).toBe('opted_in');

    const report = await run(c, second, options);
    expect(report).toMatchObject({ rows: 4, updated: 4, consent: expected, errors: [kept] });
    expect([DANA, YOSSI, NOA, RON].map((p) => stateOf(c, p))).toEqual(['opted_out', 'opted_out', 'opted_in', 'opted_out']);
    expect(eventsOf(c, DANA).map((e) => [e.state, e.source, e.detail])).toEqual([
      ['opted_in', 'import', 'import first.csv:2'],
      ['opted_out', 'import', 'import crm.csv:2'],
    ]);
    expect(eventsOf(c, DANA)[1]!.evidence).toBe('consent column "opt-in" of file crm.csv, imported 2026-01-06T09:00:00.000Z by cli');
    // Yossi's opt-out stands: no import event after it.
    expect(eventsOf(c, YOSSI).map((e) => [e.state, e.source])).toEqual([
      ['opted_in', 'import'],
      ['opted_out', 'keyword'],
    ]);
    // Noa was already opted in: nothing new to record.
    expect(eventsOf(c, NOA)).toHaveLength(1);

    // A second run of the same file changes nothing more.
    const events = count(c, 'consent_events');
    const again = await run(c, second, options);
    expect(again.consent).toEqual(expected);
    expect(count(c, 'consent_events')).toBe(events);
  });

  it("'skip' leaves stored contacts alone, except that the file's no is still recorded", async () => {
    const c = core();
    await run(
      c,
      tempFile(
        'first.csv',
        csv([
          [DANA, 'yes'],
          [YOSSI, 'no'],
          [NOA, ''],
        ]),
      ),
      {},
    );
    expect([DANA, YOSSI, NOA].map((p) => stateOf(c, p))).toEqual(['opted_in', 'opted_out', 'unknown']);

    const second = tempFile(
      'again.csv',
      csv([
        [DANA, 'no'],
        [YOSSI, 'yes'],
        [NOA, ''],
        [MAYA, 'yes'],
      ]),
    );
    const report = await run(c, second, { consent: 'marketing', onDuplicate: 'skip' });
    // Yossi is skipped (not "kept opted out": the import would not have written him anyway); Noa
    // is skipped, so the box does not reach her.
    expect(report).toMatchObject({ rows: 4, imported: 1, skipped: 3, errors: [] });
    expect(report.consent).toEqual(consentCounts({ column: 'opt-in', box: true, optedOutByFile: 1, optedInByFile: 1, notRecorded: 2 }));
    expect([DANA, YOSSI, NOA, MAYA].map((p) => stateOf(c, p))).toEqual(['opted_out', 'opted_out', 'unknown', 'opted_in']);
    expect(eventsOf(c, DANA).map((e) => [e.state, e.detail])).toEqual([
      ['opted_in', 'import first.csv:2'],
      ['opted_out', 'import again.csv:2'],
    ]);
  });

  it('the box without a consent column still never opts an opted-out contact back in, and says so', async () => {
    const c = core();
    await run(
      c,
      tempFile(
        'first.csv',
        csv([
          [DANA, 'no'],
          [NOA, ''],
        ]),
      ),
      {},
    );
    const report = await run(c, tempFile('plain.csv', `name,phone\nA,${DANA}\nB,${NOA}\nC,${RON}\n`), {
      consent: 'marketing',
      onDuplicate: 'update',
    });
    expect(report.consent).toEqual(consentCounts({ box: true, optedInByBox: 2, keptOptedOut: 1 }));
    expect(report.errors).toEqual([expect.objectContaining({ row: 2, code: 'opted_out_kept' })]);
    expect([DANA, NOA, RON].map((p) => stateOf(c, p))).toEqual(['opted_out', 'opted_in', 'opted_in']);
  });
});

describe('pacer import prints the consent counts', () => {
  it('names the column and the sources in its human output', async () => {
    const he = LANGS[0]!;
    const { file } = writeFile(he, 'windows-1255');
    const out: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: () => {}, env: {}, untilSignal: () => new Promise(() => {}) };
    const code = await runCli(['--data-dir', tempDataDir(), 'import', file, '--default-country', 'IL', '--consent', 'marketing'], io);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toContain(
      '  consent (marketing): opted in 2 (1 by the file\'s "הסכמה לדיוור" column, 1 by --consent); opted out 2 by the file; nothing recorded for 1 (1 value not understood)\n',
    );
    expect(text).toContain('row 5: consent value "אולי" is not understood');
  });
});
