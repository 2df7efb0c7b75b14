/** Contract handlers of shared/contract/privacy.ts: the audit trail and webhook-body retention. */
import type { HandlerGroup } from '../api/handlers';
import type { CoreContext } from '../context';
import type { AuditEntry, privacyMethods } from '../../../shared/contract/privacy';
import { neutraliseCell } from '../../../shared/spreadsheet-cell';
import { retentionStatus, runRetention, type PrunedNote } from '../privacy/retention';
import { iterateAudit, listAudit } from './store';
import { recordAudit } from './record';

/** A retention run that deleted raw webhook bodies, as an audit entry. */
export const auditPruned =
  (ctx: CoreContext): PrunedNote =>
  (detail) =>
    recordAudit(ctx, { action: 'retention.pruned', actor: 'system', detail });

const csvCell = (v: string) => {
  const s = neutraliseCell(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
export const AUDIT_CSV_COLUMNS = ['at', 'actor', 'action', 'subject', 'detail'] as const;
export const auditCsvLine = (e: AuditEntry) =>
  [new Date(e.at).toISOString(), e.actor, e.action, e.subject ?? '', JSON.stringify(e.detail)].map(csvCell).join(',');

export function auditHandlers(ctx: CoreContext): HandlerGroup<keyof typeof privacyMethods> {
  return {
    'audit:list': ({ limit, offset, ...filter }) => listAudit(ctx.db, filter, limit, offset),
    'audit:export': ({ format, ...filter }) => {
      const day = new Date(ctx.clock.now()).toISOString().slice(0, 10);
      let rows = 0;
      if (format === 'json') {
        const all: AuditEntry[] = [];
        for (const e of iterateAudit(ctx.db, filter)) {
          all.push(e);
          rows++;
        }
        return {
          fileName: `pacer-audit-${day}.json`,
          mime: 'application/json',
          encoding: 'utf8',
          content: `${JSON.stringify(all, null, 2)}\n`,
          rows,
        };
      }
      const lines = [`\uFEFF${AUDIT_CSV_COLUMNS.join(',')}`];
      for (const e of iterateAudit(ctx.db, filter)) {
        lines.push(auditCsvLine(e));
        rows++;
      }
      return { fileName: `pacer-audit-${day}.csv`, mime: 'text/csv', encoding: 'utf8', content: `${lines.join('\r\n')}\r\n`, rows };
    },
    'retention:status': () => retentionStatus(ctx.db, ctx.settings.get().webhookRetentionDays),
    'retention:prune': () => runRetention(ctx, auditPruned(ctx)),
  };
}
