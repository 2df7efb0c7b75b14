/**
 * Campaign definitions: creating, editing (a draft, a scheduled campaign's name/schedule/options,
 * a started series' future occurrences), duplicating and deleting. Validation against the synced
 * templates happens here, before anything is stored.
 */
import crypto from 'node:crypto';
import { PacerError, badInput } from '../errors';
import type { CampaignDraft, CampaignSummary } from '../../../shared/contract/campaigns';
import { nextOccurrence } from '../../../shared/campaigns/recurrence';
import { campaignDraftSchema } from '../../../shared/contract/campaigns';
import { compileMapping, headerMediaFormat, MappingError } from './params';
import { audienceSql } from '../contacts/rules';
import type { CampaignRow } from './runtime';
import { isSeriesRow } from './scheduler';
import { isValidTimeZone, parseLocalDateTime, parseWindow } from './send-window';
import { event } from './events';
import { get, row } from './reads';
import { finishSeries, nextRunOf } from './series-runs';
import type { CampaignsScope } from './scope';
import type { DefinitionColumns } from './store';

export type Draft = ReturnType<typeof campaignDraftSchema.parse>;

/** The stored columns of a parsed draft (the template's category as validated). */
export function columnsOf(d: Draft, category: string | null): DefinitionColumns {
  return {
    name: d.name,
    template_name: d.template.name,
    template_language: d.template.language.replace('-', '_'),
    template_category: category,
    audience: d.audience,
    params: JSON.stringify(d.params),
    header_media: d.header_media ? JSON.stringify(d.header_media) : null,
    phone_number_id: d.phone_number_id ?? null,
    schedule: JSON.stringify(d.schedule),
    options: JSON.stringify(d.options),
  };
}

/** Checks a draft against the stored templates and returns what the row needs. */
export function validate(s: CampaignsScope, d: Draft): { category: string | null } {
  try {
    audienceSql(s.ctx.db, d.audience, s.ctx.clock.now());
  } catch (e) {
    throw e instanceof PacerError ? e : badInput(String(e));
  }
  const sc = d.schedule;
  if (sc.tz && !isValidTimeZone(sc.tz))
    throw badInput(`Unknown time zone ${JSON.stringify(sc.tz)} (use an IANA name such as Asia/Jerusalem)`);
  if (sc.at) {
    try {
      parseLocalDateTime(sc.at, sc.tz ?? 'UTC');
    } catch (e) {
      throw badInput((e as Error).message);
    }
  }
  if (sc.mode === 'at' && !sc.at) throw badInput('Schedule mode "at" needs a date-time');
  if (sc.mode === 'local_window' && !sc.window) throw badInput('Schedule mode "local_window" needs a window (HH:MM-HH:MM)');
  for (const w of [sc.window, sc.quiet])
    if (w) {
      try {
        parseWindow(w);
      } catch (e) {
        throw badInput((e as Error).message);
      }
    }
  if (sc.repeat) {
    if (sc.mode === 'at' || sc.at)
      throw badInput('A repeating campaign runs at its repeat time: give no start date-time ("at"); use mode "now" or "local_window"');
    if (sc.repeat.frequency === 'weekly' && !sc.repeat.days?.length)
      throw badInput('A weekly repeat needs at least one weekday (sun, mon, tue, wed, thu, fri, sat)');
    try {
      nextOccurrence(sc.repeat, sc.tz ?? 'UTC', s.ctx.clock.now());
    } catch (e) {
      throw badInput((e as Error).message);
    }
  }
  const t = s.ports.templates.get(d.template.name, d.template.language);
  if (!t)
    throw badInput(`Template ${d.template.name} (${d.template.language}) is not among the synced templates: run a template sync first`);
  try {
    compileMapping(t, d.params);
  } catch (e) {
    if (e instanceof MappingError) throw badInput(e.message);
    throw e;
  }
  const media = headerMediaFormat(t);
  if (media && !d.header_media)
    throw badInput(`Template ${t.name} has a ${media} header: give header media (a URL or an uploaded media id)`);
  return { category: t.category };
}

export function create(s: CampaignsScope, input: CampaignDraft): CampaignSummary {
  const d = campaignDraftSchema.parse(input);
  const { category } = validate(s, d);
  const id = `cmp_${crypto.randomBytes(6).toString('hex')}`;
  const now = s.ctx.clock.now();
  s.campaigns.insertDraft(id, columnsOf(d, category), now);
  event(s, id, 'created', {});
  s.ctx.emit('campaigns:changed', { id });
  return get(s, id);
}

export function draftOf(r: CampaignRow): Draft {
  return campaignDraftSchema.parse({
    name: r.name,
    template: { name: r.template_name, language: r.template_language },
    audience: r.audience,
    params: JSON.parse(r.params),
    header_media: r.header_media ? JSON.parse(r.header_media) : null,
    phone_number_id: r.phone_number_id,
    schedule: JSON.parse(r.schedule),
    options: JSON.parse(r.options),
  });
}

export function update(s: CampaignsScope, id: string, patch: Partial<CampaignDraft>): CampaignSummary {
  const r = row(s, id);
  const series = isSeriesRow(r);
  if (series && r.state !== 'draft') return updateSeries(s, r, patch);
  if (r.state !== 'draft' && r.state !== 'scheduled')
    throw new PacerError(
      'conflict',
      `Campaign ${id} is ${r.state}: only draft or scheduled campaigns can be edited (duplicate it instead)`,
    );
  if (r.state === 'scheduled' && patch.schedule?.repeat)
    throw new PacerError('conflict', 'A started campaign cannot become a repeating one: duplicate it and set the repeat on the copy');
  if (r.state === 'scheduled' && (patch.audience !== undefined || patch.template !== undefined || patch.params !== undefined)) {
    throw new PacerError(
      'conflict',
      'A scheduled campaign has its recipients fixed already: only its name, schedule and options can change (or cancel and duplicate it)',
    );
  }
  const d = campaignDraftSchema.parse({ ...draftOf(r), ...patch });
  const { category } = validate(s, d);
  s.campaigns.updateDefinition(id, columnsOf(d, category), s.ctx.clock.now());
  event(s, id, 'edited', { fields: Object.keys(patch) });
  s.ctx.emit('campaigns:changed', { id });
  return get(s, id);
}

/**
 * A started series has no ledger: everything can change, for the occurrences still to come (the
 * running one keeps its own snapshot). It stays a series; the next occurrence is recomputed.
 */
function updateSeries(s: CampaignsScope, r: CampaignRow, patch: Partial<CampaignDraft>): CampaignSummary {
  if (r.state !== 'scheduled' && r.state !== 'paused')
    throw new PacerError('conflict', `Series ${r.id} is ${r.state}: duplicate it instead`);
  const d = campaignDraftSchema.parse({ ...draftOf(r), ...patch });
  if (!d.schedule.repeat) throw new PacerError('conflict', 'A started series cannot stop repeating: cancel it (past occurrences stay)');
  const { category } = validate(s, d);
  const now = s.ctx.clock.now();
  const next = r.state === 'scheduled' ? nextRunOf(s, r.id, d.schedule, now) : null;
  s.campaigns.updateSeriesDefinition(r.id, columnsOf(d, category), next, now);
  event(s, r.id, 'edited', { fields: Object.keys(patch), next_run_at: next });
  if (r.state === 'scheduled' && next === null) finishSeries(s, r.id, now);
  s.ctx.emit('campaigns:changed', { id: r.id });
  return get(s, r.id);
}

export function duplicate(s: CampaignsScope, id: string): CampaignSummary {
  const r = row(s, id);
  const copy = create(s, { ...draftOf(r), name: `Copy of ${r.name}`.slice(0, 200) });
  s.campaigns.setDuplicatedFrom(copy.id, id);
  return get(s, copy.id);
}

export function remove(s: CampaignsScope, id: string): null {
  const r = row(s, id);
  if (r.state === 'running' || r.state === 'scheduled') throw new PacerError('conflict', `Campaign ${id} is ${r.state}: cancel it first`);
  s.campaigns.deleteCampaign(id);
  s.ctx.emit('campaigns:changed', { id });
  return null;
}
