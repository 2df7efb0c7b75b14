import fs from 'node:fs';
import path from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { fromSummary, initialState, problemsOf, toDraft } from '../../../renderer/features/campaigns/builder/draft';
import { describeRepeat, previewRuns, weekOrder } from '../../../renderer/features/campaigns/repeat';
import { campaignDraftSchema, OCCURRENCE_REASONS, type CampaignSummary } from '../../../shared/contract/campaigns';
import type { TemplateSummary } from '../../../shared/contract/whatsapp';
import { REPO } from '../../support/harness';

const template: TemplateSummary = {
  id: 't1',
  wabaId: 'w',
  name: 'news',
  language: 'en_US',
  status: 'APPROVED',
  category: 'MARKETING',
  previousCategory: null,
  quality: 'GREEN',
  rejectedReason: null,
  parameterFormat: 'POSITIONAL',
  variables: [],
  headerFormat: null,
  sendable: true,
  lastChangedAt: 0,
  syncedAt: 0,
  components: [{ type: 'BODY', text: 'Hello' }],
};

const locale = (lang: string) =>
  JSON.parse(fs.readFileSync(path.join(REPO, 'renderer', 'i18n', 'locales', lang, 'campaigns.json'), 'utf8')) as Record<string, unknown>;

describe('builder repeat (recurring series)', () => {
  it('weekly choices become the contract repeat: no start date-time, "at" becomes "now", the core schema accepts it', () => {
    const s = initialState();
    s.name = 'Weekly news';
    s.schedule = {
      ...s.schedule,
      mode: 'at',
      at: '2026-12-01T10:00',
      tz: 'Asia/Jerusalem',
      repeat: { kind: 'weekly', days: ['thu', 'mon'], time: '09:00', end: 'until', until: '2027-03-31', count: 4 },
    };
    expect(problemsOf(s, template)).toEqual([]);
    const draft = toDraft(s, template)!;
    expect(draft.schedule).toEqual({
      mode: 'now',
      at: null,
      tz: 'Asia/Jerusalem',
      window: null,
      quiet: null,
      repeat: { frequency: 'weekly', days: ['mon', 'thu'], time: '09:00', until: '2027-03-31', count: null },
    });
    expect(campaignDraftSchema.safeParse(draft).success).toBe(true);
    // Back into the editor from the saved campaign.
    const back = fromSummary(
      {
        ...draft,
        id: 'c1',
        state: 'draft',
        template: { ...draft.template, category: 'MARKETING' },
        params: {},
        header_media: null,
        options: {},
      } as unknown as CampaignSummary,
      [template],
    );
    expect(back.schedule.repeat).toEqual({
      kind: 'weekly',
      days: ['mon', 'thu'],
      time: '09:00',
      end: 'until',
      until: '2027-03-31',
      count: 4,
    });
  });

  it('a one-off campaign has no repeat; daily with a count; incomplete choices are problems', () => {
    const s = initialState();
    s.name = 'x';
    expect(toDraft(s, template)!.schedule).not.toHaveProperty('repeat');
    s.schedule = { ...s.schedule, repeat: { ...s.schedule.repeat, kind: 'daily', end: 'count', count: 3, time: '07:30' } };
    expect(toDraft(s, template)!.schedule).toMatchObject({
      mode: 'now',
      repeat: { frequency: 'daily', time: '07:30', until: null, count: 3 },
    });
    s.schedule.repeat = { ...s.schedule.repeat, kind: 'weekly', days: [], time: '', end: 'until', until: '' };
    expect(problemsOf(s, template)).toEqual(['repeatTime', 'repeatDays', 'repeatUntil']);
    expect(previewRuns(s.schedule.repeat, 'Asia/Jerusalem', Date.now())).toEqual([]);
  });

  it('previews the next occurrences in the chosen zone; the week starts on Sunday in Hebrew', () => {
    const runs = previewRuns(
      { kind: 'weekly', days: ['mon', 'thu'], time: '09:00', end: 'never', until: '', count: 1 },
      'Asia/Jerusalem',
      Date.UTC(2026, 10, 22, 12),
      3,
    );
    expect(runs.map((t) => new Date(t).toISOString())).toEqual([
      '2026-11-23T07:00:00.000Z',
      '2026-11-26T07:00:00.000Z',
      '2026-11-30T07:00:00.000Z',
    ]);
    expect(weekOrder('he')[0]).toBe('sun');
    expect(weekOrder('en')[0]).toBe('mon');
  });

  it('describes a series in en, he and zh-TW with every text present', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      lng: 'en',
      ns: ['campaigns'],
      defaultNS: 'campaigns',
      resources: Object.fromEntries(['en', 'he', 'zh-TW'].map((l) => [l, { campaigns: locale(l) }])),
    });
    const schedule = {
      mode: 'now' as const,
      tz: 'Asia/Jerusalem',
      repeat: { frequency: 'weekly' as const, days: ['mon', 'thu'] as ('mon' | 'thu')[], time: '09:00', until: '2027-03-31', count: 4 },
    };
    await i18n.changeLanguage('en');
    expect(describeRepeat(i18n.getFixedT('en', 'campaigns'), 'en', schedule)).toBe(
      'Weekly on Mon and Thu at 09:00 (Asia/Jerusalem) · until Mar 31, 2027 · 4 runs',
    );
    expect(describeRepeat(i18n.getFixedT('he', 'campaigns'), 'he', schedule)).toBe(
      'כל שבוע בימים ב׳ וה׳ ב-09:00 (Asia/Jerusalem) · עד 31 במרץ 2027 · 4 הרצות',
    );
    expect(
      describeRepeat(i18n.getFixedT('zh-TW', 'campaigns'), 'zh-TW', { ...schedule, repeat: { frequency: 'daily', time: '09:00' } }),
    ).toBe('每天 09:00 (Asia/Jerusalem)');
    for (const lang of ['en', 'he', 'zh-TW']) {
      const d = locale(lang);
      const get = (k: string) => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], d);
      for (const r of OCCURRENCE_REASONS) expect(get(`series.reason.${r}`), `${lang} ${r}`).toBeTypeOf('string');
      for (const k of ['repeatTime', 'repeatDays', 'repeatUntil']) expect(get(`builder.invalid.${k}`), `${lang} ${k}`).toBeTypeOf('string');
    }
  });
});
