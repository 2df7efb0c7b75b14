import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { CliError, EXIT_USAGE } from '../io';
import type { AuditFilter } from '../../../../shared/contract/privacy';

const collect = (v: string, prev: string[]) => [...prev, v];

/** "2026-11-01" (start of that UTC day) or an ISO time; `end` takes the end of a bare day. */
function time(v: string | undefined, end: boolean, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const t = Date.parse(day ? `${v}T00:00:00Z` : v);
  if (!Number.isFinite(t)) throw new CliError(`${flag}: use a date like 2026-11-01 or an ISO time.`, EXIT_USAGE);
  return day && end ? t + 86_400_000 - 1 : t;
}

interface FilterOpts {
  action: string[];
  from?: string;
  to?: string;
  text?: string;
}
const filterOf = (o: FilterOpts): AuditFilter => ({
  ...(o.action.length ? { actions: o.action } : {}),
  ...(o.from !== undefined ? { from: time(o.from, false, '--from') } : {}),
  ...(o.to !== undefined ? { to: time(o.to, true, '--to') } : {}),
  ...(o.text ? { text: o.text } : {}),
});

const withFilters = (c: Command) =>
  c
    .option('--action <action>', 'only this action (repeatable), e.g. consent.opted_out, contact.erased, campaign.started', collect, [])
    .option('--from <date>', 'from this day (YYYY-MM-DD, UTC) or ISO time')
    .option('--to <date>', 'until this day (inclusive) or ISO time')
    .option('--text <text>', 'entries whose subject, actor or detail contains this text');

export function registerAuditCommands(program: Command, cli: CliContext): void {
  const audit = program
    .command('audit')
    .description('The audit trail: imports, consent changes, opt-outs, erasures, exports, campaign and account actions');

  withFilters(audit.command('list').description('Newest entries first'))
    .option('--limit <n>', 'at most this many (1-500)', '50')
    .option('--json', 'print JSON')
    .action(async (o: FilterOpts & { limit: string }, cmd: Command) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new CliError('--limit: 1-500.', EXIT_USAGE);
      await cli.withCore(cmd, async (core) => {
        const r = await cli.call(core, 'audit:list', { ...filterOf(o), limit, offset: 0 });
        cli.print(cmd, r, () =>
          [
            ...r.rows.map(
              (e) =>
                `${new Date(e.at).toISOString()}  ${e.actor.padEnd(7)} ${e.action.padEnd(26)} ${e.subject ?? ''}  ${JSON.stringify(e.detail)}`,
            ),
            `${r.rows.length} of ${r.total} entr${r.total === 1 ? 'y' : 'ies'}`,
          ].join('\n'),
        );
      });
    });

  withFilters(audit.command('export').description('The filtered trail as CSV (formula-like cells neutralised) or JSON (audited)'))
    .option('--format <format>', 'csv or json', 'csv')
    .option('--out <file>', 'write to this file (default: standard output)')
    .action(async (o: FilterOpts & { format: string; out?: string }, cmd: Command) => {
      if (o.format !== 'csv' && o.format !== 'json') throw new CliError('--format: use csv or json.', EXIT_USAGE);
      await cli.withCore(cmd, async (core) => {
        const r = await cli.call(core, 'audit:export', { ...filterOf(o), format: o.format as 'csv' | 'json' });
        if (!o.out) return cli.io.out(r.content.replace(/^\ufeff/, '').trimEnd());
        fs.writeFileSync(path.resolve(o.out), r.content, { mode: 0o600 });
        cli.io.err(`Exported ${r.rows} audit entr${r.rows === 1 ? 'y' : 'ies'} to ${o.out}`);
      });
    });
}
