/**
 * The campaign reports' contract calls (timeline, overview, export, button taps): reports.ts reads
 * the figures, report-file.ts writes the export; this file wires both to the contract (they were
 * in reports.ts, which then had to load report-file.ts lazily: each imported the other).
 */
import type { HandlerGroup } from '../api/handlers';
import type { CoreContext } from '../context';
import type { campaignReportsMethods } from '../../../shared/contract/campaign-reports';
import { exportReport } from './report-file';
import { buttonTallies, campaignsOverview, campaignTimeline } from './reports';

type ReportsMethod = keyof typeof campaignReportsMethods;

export function campaignReportsHandlers(ctx: CoreContext): HandlerGroup<ReportsMethod> {
  return {
    'campaigns:timeline': ({ id, buckets }) => campaignTimeline(ctx.db, id, buckets, ctx.clock.now()),
    // The contract refuses an unknown zone (bad_input).
    'campaigns:overview': ({ days, tz }) => campaignsOverview(ctx.db, days, ctx.clock.now(), tz),
    // The report file with names, variables and a summary sheet.
    'campaigns:export': (input) => exportReport(ctx.db, input, ctx.clock.now()),
    'campaigns:buttons': ({ id }) => buttonTallies(ctx.db, id),
  };
}
