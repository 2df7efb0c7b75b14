import fs from 'node:fs';
import type { HandlerGroup } from '../api/handlers';
import type { CoreContext } from '../context';
import type { campaignsMethods, RecipientRow } from '../../../shared/contract/campaigns';
import { refreshHeaderMedia, uploadHeaderMedia, type MediaAccount } from './media';
import { csvField, EXPORT_COLUMNS, xlsxCell } from './reports';
import type { CampaignsService } from './service';
import { pricingHandlers } from '../pricing/handlers';
import { campaignCost } from './costs';
import { campaignClicks } from './clicks';
import { markUserCard } from '../pricing/store';

type CampaignsMethod = keyof typeof campaignsMethods;

export function campaignsHandlers(
  ctx: CoreContext,
  services: { campaigns: CampaignsService; account: MediaAccount },
): HandlerGroup<CampaignsMethod> {
  const svc = services.campaigns;
  return {
    ...pricingHandlers(ctx),
    'campaigns:list': ({ state }) => svc.list(state),
    'campaigns:get': ({ id }) => svc.get(id),
    'campaigns:create': (draft) => svc.create(draft),
    'campaigns:update': ({ id, patch }) => svc.update(id, patch),
    'campaigns:plan': (input) => svc.plan(input),
    // A media id uploaded 23+ days ago is uploaded again first (Meta keeps media 30 days; media.ts).
    'campaigns:start': async ({ id }) => {
      await refreshHeaderMedia(ctx, services.account, id);
      return svc.start(id);
    },
    'campaigns:pause': ({ id }) => svc.pause(id),
    'campaigns:resume': ({ id }) => svc.resume(id),
    'campaigns:cancel': ({ id }) => svc.cancel(id),
    'campaigns:duplicate': ({ id }) => svc.duplicate(id),
    'campaigns:resend': ({ id, which }) => svc.resend(id, which),
    'campaigns:status': ({ id }) => svc.status(id),
    'campaigns:recipients': (input) => svc.recipients(input),
    'campaigns:exclusions': ({ id, reason, offset, limit }) => svc.listExclusions(id, reason, offset, limit),
    'campaigns:test-send': ({ id, to, contact_id, i_have_consent }) =>
      svc.testSend(id, to, contact_id, { iHaveConsent: i_have_consent ?? false, actor: ctx.host === 'cli' ? 'cli' : 'user' }),
    'campaigns:preview': (input) => svc.preview(input),
    // No file is written here: a path from the renderer or the harness is never trusted (issue #14).
    // The CLI writes --out itself (writeReport); the app saves campaigns:export's content where the user chose.
    'campaigns:report': ({ id }) => {
      const summary = svc.reportSummary(id);
      return { ...summary, cost: campaignCost(ctx.db, id), clicks: campaignClicks(ctx.db, id), file: null, rows: summary.campaign.total };
    },
    'campaigns:occurrences': ({ id, limit }) => svc.occurrences(id, limit),
    'campaigns:events': ({ id, limit }) => svc.events(id, limit),
    'campaigns:delete': ({ id }) => svc.delete(id),
    'campaigns:upload-media': (input) => uploadHeaderMedia(ctx, services.account, input),
    'rate-card:get': () => svc.rateCard(),
    'rate-card:set': ({ entries }) => {
      const out = svc.setRateCard(entries);
      markUserCard(ctx.db, ctx.clock.now());
      return out;
    },
  };
}

/** The report's columns: the same as the app's export (reports.ts). */
export const REPORT_COLUMNS = EXPORT_COLUMNS;
const TIME_COLUMNS = new Set(['claimed_at', 'accepted_at', 'sent_at', 'delivered_at', 'read_at', 'failed_at', 'clicked_at']);

const cell = (k: keyof RecipientRow, v: unknown) =>
  v === null || v === undefined ? '' : TIME_COLUMNS.has(k) ? new Date(v as number).toISOString() : v;

/** Writes one row per recipient (CSV with a BOM for spreadsheet apps, JSON array, or XLSX). */
export async function writeReport(rows: Iterable<RecipientRow>, format: 'csv' | 'json' | 'xlsx', out: string): Promise<number> {
  let n = 0;
  if (format === 'xlsx') {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out });
    const ws = wb.addWorksheet('Recipients');
    ws.addRow(REPORT_COLUMNS).commit();
    for (const r of rows) {
      ws.addRow(REPORT_COLUMNS.map((k) => xlsxCell(cell(k, r[k]) as string | number))).commit();
      n++;
    }
    ws.commit();
    await wb.commit();
    return n;
  }
  const fd = fs.openSync(out, 'w', 0o600);
  try {
    if (format === 'json') {
      fs.writeSync(fd, '[');
      for (const r of rows) {
        fs.writeSync(fd, `${n ? ',' : ''}\n${JSON.stringify(r)}`);
        n++;
      }
      fs.writeSync(fd, '\n]\n');
    } else {
      const esc = (v: unknown) => csvField(typeof v === 'number' ? v : String(v)); // shared formula-injection rule
      fs.writeSync(fd, `\uFEFF${REPORT_COLUMNS.join(',')}\n`);
      for (const r of rows) {
        fs.writeSync(fd, `${REPORT_COLUMNS.map((k) => esc(cell(k, r[k]))).join(',')}\n`);
        n++;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return n;
}
