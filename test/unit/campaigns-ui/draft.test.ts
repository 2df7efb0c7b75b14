import fs from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import {
  audienceExpression,
  fromSummary,
  initialState,
  placeholdersOf,
  problemsOf,
  sourceFromString,
  sourceToString,
  term,
  toDraft,
  type ParamSource,
} from '../../../renderer/features/campaigns/builder/draft';
import { blockerText } from '../../../renderer/features/campaigns/builder/PlanPanel';
import { ERROR_CLASSES, EXPLAINED_CODES, errorHelpKeys } from '../../../renderer/features/campaigns/errorHelp';
import { funnelOf, processedOf } from '../../../renderer/features/campaigns/format';
import {
  campaignDraftSchema,
  PAUSE_REASONS,
  PLAN_BLOCKERS,
  type CampaignSummary,
  type PlanBlocker,
  type RecipientCounts,
} from '../../../shared/contract/campaigns';
import type { TemplateSummary } from '../../../shared/contract/whatsapp';
import { REPO } from '../../support/harness';

const template = (patch: Partial<TemplateSummary> = {}): TemplateSummary => ({
  id: 't1',
  wabaId: 'w',
  name: 'spring_sale',
  language: 'en_US',
  status: 'APPROVED',
  category: 'MARKETING',
  previousCategory: null,
  quality: 'GREEN',
  rejectedReason: null,
  parameterFormat: 'NAMED',
  variables: [],
  headerFormat: 'TEXT',
  sendable: true,
  lastChangedAt: 0,
  syncedAt: 0,
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Hello {{1}}', example: { header_text: ['Dana'] } },
    {
      type: 'BODY',
      text: 'Hi {{first_name}}, {{discount}} off until {{end_date}}.',
      example: {
        body_text_named_params: [
          { param_name: 'first_name', example: 'Dana' },
          { param_name: 'discount', example: '20%' },
        ],
      },
    },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Stop' },
        { type: 'URL', text: 'Shop', url: 'https://x.test/{{1}}' },
      ],
    },
  ],
  ...patch,
});

describe('builder draft', () => {
  it('lists every parameter the core maps: header, body (named or numbered), URL buttons', () => {
    expect(placeholdersOf(template()).map((p) => [p.key, p.example])).toEqual([
      ['header', 'Dana'],
      ['first_name', 'Dana'],
      ['discount', '20%'],
      ['end_date', null],
      ['button.1', 'https://x.test/{{1}}'],
    ]);
    const positional = template({ components: [{ type: 'BODY', text: '{{2}} and {{1}} and {{2}}' }] });
    expect(placeholdersOf(positional).map((p) => p.key)).toEqual(['1', '2']);
  });

  it('never produces an empty parameter: fields need a fallback, literals need text', () => {
    expect(sourceToString({ kind: 'field', field: 'first_name', fallback: '' })).toBeNull();
    expect(sourceToString({ kind: 'field', field: 'first_name', fallback: '  ' })).toBeNull();
    expect(sourceToString({ kind: 'literal', text: ' ' })).toBeNull();
    expect(sourceToString({ kind: 'attr', name: '', fallback: 'x' })).toBeNull();
    expect(sourceToString({ kind: 'field', field: 'first_name', fallback: 'there' })).toBe('first_name|"there"');
    expect(sourceToString({ kind: 'attr', name: 'city', fallback: 'your city' })).toBe('attr.city|"your city"');
  });

  it('quotes literals the way the core parses them, and reads them back', () => {
    const tricky: ParamSource[] = [
      { kind: 'literal', text: 'a "quoted" | piped \\ text' },
      { kind: 'field', field: 'name', fallback: 'friend | pal' },
      { kind: 'attr', name: 'plan', fallback: '"gold"' },
    ];
    for (const s of tricky) expect(sourceFromString(sourceToString(s)!)).toEqual(s);
    expect(sourceToString(tricky[0]!)).toBe('"a \\"quoted\\" \\| piped \\\\ text"');
  });

  it('builds audience expressions with and/or/not and quotes names with spaces', () => {
    const base = initialState().audience;
    expect(audienceExpression(base)).toBe('all');
    expect(audienceExpression({ ...base, mode: 'build' })).toBe('all');
    expect(audienceExpression({ ...base, mode: 'build', include: [term('tag', 'vip'), term('segment', 'Tel Aviv buyers')] })).toBe(
      '(tag:vip or segment:"Tel Aviv buyers")',
    );
    expect(
      audienceExpression({
        ...base,
        mode: 'build',
        match: 'all',
        include: [term('tag', 'vip'), term('tag', 'he')],
        exclude: [term('tag', 'staff')],
      }),
    ).toBe('(tag:vip and tag:he) and not tag:staff');
    expect(audienceExpression({ ...base, mode: 'build', exclude: [term('tag', 'a'), term('tag', 'b')] })).toBe(
      'all and not (tag:a or tag:b)',
    );
    expect(audienceExpression({ ...base, mode: 'expression', expression: '  tag:x  ' })).toBe('tag:x');
  });

  it('reports what is missing, and only a complete draft validates against the contract', () => {
    const t = template();
    const s = { ...initialState(), name: 'Spring', templateId: 't1' };
    expect(problemsOf(s, t)).toEqual(['params']);
    expect(problemsOf({ ...s, name: '' }, null)).toEqual(['name', 'template']);
    expect(problemsOf(s, template({ sendable: false, status: 'PAUSED' }))).toContain('templateNotApproved');
    expect(
      problemsOf(
        s,
        template({
          headerFormat: 'IMAGE',
          components: [
            { type: 'HEADER', format: 'IMAGE' },
            { type: 'BODY', text: 'x' },
          ],
        }),
      ),
    ).toEqual(['headerMedia']);
    const full = {
      ...s,
      params: {
        header: { kind: 'literal', text: 'Dana' },
        first_name: { kind: 'field', field: 'first_name', fallback: 'there' },
        discount: { kind: 'literal', text: '20%' },
        end_date: { kind: 'literal', text: 'April 30' },
        'button.1': { kind: 'literal', text: 'spring' },
      } as Record<string, ParamSource>,
      schedule: { ...initialState().schedule, mode: 'at' as const, at: '2026-12-01T09:30', tz: 'Asia/Jerusalem', quietOn: true },
      marginPct: 15,
    };
    expect(problemsOf(full, t)).toEqual([]);
    const draft = toDraft(full, t)!;
    expect(campaignDraftSchema.safeParse(draft).success).toBe(true);
    expect(draft).toMatchObject({
      template: { name: 'spring_sale', language: 'en_US' },
      schedule: { mode: 'at', at: '2026-12-01T09:30:00', tz: 'Asia/Jerusalem', quiet: '21:00-08:00', window: null },
      options: { margin: 0.15, rate: 80, frequency_cap: null },
    });
    expect(Object.keys(draft.params!)).toEqual(['header', 'first_name', 'discount', 'end_date', 'button.1']);
  });

  it('reads a saved campaign back into the editor', () => {
    const t = template();
    const saved = {
      id: 'c1',
      name: 'Spring',
      state: 'scheduled',
      template: { name: 'spring_sale', language: 'en_US', category: 'MARKETING' },
      audience: 'tag:vip and not tag:staff',
      params: { first_name: 'first_name|"there"', discount: '"20%"' },
      header_media: null,
      phone_number_id: null,
      schedule: { mode: 'local_window', at: '2026-12-01T09:00:00', tz: 'UTC', window: '10:00-18:00', quiet: null },
      options: { margin: 0.2, frequency_cap: { max: 1, days: 7 } },
    } as unknown as CampaignSummary;
    const s = fromSummary(saved, [t]);
    expect(s).toMatchObject({
      templateId: 't1',
      marginPct: 20,
      capOn: true,
      capDays: 7,
      audience: { mode: 'expression', expression: 'tag:vip and not tag:staff' },
    });
    expect(s.schedule).toMatchObject({
      mode: 'local_window',
      at: '2026-12-01T09:00',
      windowFrom: '10:00',
      windowTo: '18:00',
      quietOn: false,
    });
    expect(s.params.first_name).toEqual({ kind: 'field', field: 'first_name', fallback: 'there' });
  });
});

describe('header media from a file', () => {
  const imageTemplate = () =>
    template({
      headerFormat: 'IMAGE',
      components: [
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'x' },
      ],
    });
  const uploaded = {
    id: '7257009000000001',
    file_name: 'tent.jpg',
    mime_type: 'image/jpeg',
    size: 2048,
    sha256: 'a'.repeat(64),
    uploaded_at: 1,
  };

  it('an uploaded file satisfies the media header and goes into the draft as its media id (not the link)', () => {
    const s = { ...initialState(), name: 'Spring', templateId: 't1', headerUrl: 'not a url', headerFile: uploaded };
    expect(problemsOf(s, imageTemplate())).not.toContain('headerMedia');
    const draft = toDraft(s, imageTemplate())!;
    expect(draft.header_media).toEqual(uploaded);
    expect(campaignDraftSchema.shape.header_media.safeParse(draft.header_media).success).toBe(true);
    // A template without a media header sends none, whatever was attached before.
    expect(toDraft(s, template())!.header_media).toBeNull();
  });

  it('a saved campaign with a media id reads back as an attached file', () => {
    const saved = {
      id: 'c1',
      name: 'Spring',
      state: 'draft',
      template: { name: 'spring_sale', language: 'en_US', category: 'MARKETING' },
      audience: 'all',
      params: {},
      header_media: uploaded,
      phone_number_id: null,
      schedule: { mode: 'now' },
      options: {},
    } as unknown as CampaignSummary;
    const s = fromSummary(saved, [imageTemplate()]);
    expect(s).toMatchObject({ headerFile: uploaded, headerUrl: '' });
    expect(fromSummary({ ...saved, header_media: { link: 'https://x.test/a.jpg' } } as CampaignSummary, [imageTemplate()])).toMatchObject({
      headerFile: null,
      headerUrl: 'https://x.test/a.jpg',
    });
  });
});

describe('campaign page helpers', () => {
  it('the funnel is cumulative: a read message was also delivered, sent and accepted', () => {
    const c: RecipientCounts = { pending: 1, sending: 1, accepted: 2, sent: 3, delivered: 4, read: 5, failed: 6, skipped: 7, uncertain: 8 };
    expect(funnelOf(c)).toEqual({ accepted: 14, sent: 12, delivered: 9, read: 5, failed: 6, skipped: 7, uncertain: 8, pending: 2 });
    expect(processedOf(c)).toBe(35);
  });

  /** One blocker of each code, as the core sends them (message in English for the CLI). */
  const BLOCKERS: PlanBlocker[] = [
    {
      code: 'template_missing',
      params: { template: 'spring_sale', language: 'en_US' },
      message: 'template spring_sale (en_US): not among the synced templates',
    },
    {
      code: 'template_not_approved',
      params: { template: 'spring_sale', language: 'en_US', status: 'PAUSED' },
      message: 'template spring_sale (en_US): status PAUSED (only APPROVED templates can be sent)',
    },
    {
      code: 'param_unknown',
      params: { template: 'spring_sale', parameter: 'nickname', known: 'first_name, discount' },
      message: 'template spring_sale has no parameter "nickname" (it has: first_name, discount)',
    },
    {
      code: 'param_unmapped',
      params: { template: 'spring_sale', parameter: 'discount' },
      message: 'parameter "discount" of template spring_sale is not mapped',
    },
    {
      code: 'param_source_invalid',
      params: { parameter: 'discount', source: '"20%' },
      message: 'parameter "discount": unterminated literal in "\\"20%"',
    },
    { code: 'header_media_required', params: { format: 'image' }, message: 'template has a image header: header media is required' },
    {
      code: 'header_media_kind',
      params: { file: 'tent.jpg', kind: 'image', format: 'document' },
      message: "header media tent.jpg is an image; the template's header needs a document",
    },
    {
      code: 'header_media_expired',
      params: { uploaded_on: '2026-01-01', days: 30 },
      message: 'header media was uploaded on 2026-01-01 and WhatsApp keeps uploaded media 30 days: upload the file again',
    },
    { code: 'account_blocked', params: { blocker: 'token_expired' }, message: 'account: token_expired' },
    { code: 'nobody_eligible', params: {}, message: 'nobody in the audience is eligible' },
  ];

  it.each(['en', 'he', 'zh-TW'])('translates every plan blocker from its code and params, never its message (%s)', async (lang) => {
    expect(BLOCKERS.map((b) => b.code).sort()).toEqual([...PLAN_BLOCKERS].sort());
    const ns = (name: string) =>
      JSON.parse(fs.readFileSync(path.join(REPO, 'renderer', 'i18n', 'locales', lang, `${name}.json`), 'utf8')) as Record<string, unknown>;
    const i18n = i18next.createInstance();
    await i18n.init({
      lng: lang,
      resources: { [lang]: { campaigns: ns('campaigns'), account: ns('account') } },
      interpolation: { escapeValue: false },
    });
    const t = i18n.getFixedT(lang, 'campaigns') as TFunction<'campaigns'>;
    const strip = (s: string) => s.replace(/[\u2068\u2069]/g, '');
    for (const b of BLOCKERS) {
      const text = strip(blockerText(t, b));
      expect(text, b.code).not.toMatch(/plan\.blocker|builder\.whyNot|account:|blockers\./);
      expect(text, b.code).not.toBe(b.message);
      // A message rewritten by the core changes nothing in the UI.
      expect(strip(blockerText(t, { ...b, message: 'reworded' } as PlanBlocker))).toBe(text);
    }
    const byCode = Object.fromEntries(BLOCKERS.map((b) => [b.code, strip(blockerText(t, b))]));
    expect(byCode.template_missing).toContain('spring_sale');
    expect(byCode.param_unmapped).toContain('discount');
    expect(byCode.header_media_expired).toContain('30');
    expect(byCode.account_blocked).toContain(strip(t('account:blockers.token_expired')));
    if (lang === 'en') {
      expect(byCode.nobody_eligible).toBe('Nobody in the audience can receive it yet.');
      expect(byCode.template_not_approved).toBe('The template spring_sale cannot be sent: paused by Meta for low quality.');
    }
  });

  it('every error class, explained code, pause reason and exclusion has text in en, he and zh-TW', () => {
    for (const lang of ['en', 'he', 'zh-TW']) {
      const d = JSON.parse(fs.readFileSync(path.join(REPO, 'renderer', 'i18n', 'locales', lang, 'campaigns.json'), 'utf8')) as Record<
        string,
        Record<string, unknown>
      >;
      const get = (k: string) => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], d);
      for (const cls of [...ERROR_CLASSES, 'unknown'])
        for (const part of ['name', 'what', 'action'])
          expect(get(`errors.class.${cls}.${part}`), `${lang} ${cls}.${part}`).toBeTypeOf('string');
      for (const code of EXPLAINED_CODES)
        expect(get(errorHelpKeys(code, 'terminal_recipient').what), `${lang} ${code}`).toBeTypeOf('string');
      for (const r of PAUSE_REASONS) {
        expect(get(`pauseReason.${r}`)).toBeTypeOf('string');
        expect(get(`pauseAdvice.${r}`)).toBeTypeOf('string');
      }
    }
    expect(errorHelpKeys(131026, 'terminal_recipient')).toEqual({
      cls: 'terminal_recipient',
      what: 'errors.code.131026',
      action: 'errors.class.terminal_recipient.action',
    });
    expect(errorHelpKeys(999999, 'weird')).toEqual({
      cls: 'unknown',
      what: 'errors.class.unknown.what',
      action: 'errors.class.unknown.action',
    });
  });
});
