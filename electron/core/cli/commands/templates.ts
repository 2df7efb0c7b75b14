import type { Command } from 'commander';
import type { CliContext } from '../context';
import type { TemplateSummary } from '../../../../shared/contract/whatsapp';

/** One item of `pacer templates list|sync --json`: EXACTLY the keys of the CLI contract. */
export function templateJson(t: TemplateSummary) {
  return {
    id: t.id,
    name: t.name,
    language: t.language,
    status: t.status,
    category: t.category,
    quality: t.quality,
    rejected_reason: t.rejectedReason,
    parameter_format: t.parameterFormat,
    components: t.components,
  };
}

function table(list: TemplateSummary[]): string {
  if (!list.length) return 'No templates. Run `pacer templates sync` after connecting an account.';
  return list
    .map((t) => `${t.name.padEnd(32)} ${t.language.padEnd(6)} ${t.status.padEnd(10)} ${t.category.padEnd(14)} quality ${t.quality.padEnd(7)}${t.rejectedReason ? ` rejected: ${t.rejectedReason}` : ''}`)
    .join('\n');
}

export function registerTemplatesCommands(program: Command, cli: CliContext): void {
  const templates = program.command('templates').description('Message templates of the connected account');

  templates
    .command('sync')
    .description('Pull every template from the API now (within Meta\'s hourly limit for management calls)')
    .option('--json', 'print JSON')
    .action(async (_o, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const r = await cli.call(core, 'templates:sync', {});
        cli.print(cmd, r.templates.map(templateJson), () => `Synced ${r.total} templates: ${r.added} new, ${r.updated} changed, ${r.removed} removed.\n${table(r.templates)}`);
      });
    });

  templates
    .command('list')
    .description('List synced templates')
    .option('--status <status>', 'only this status (APPROVED, PENDING, REJECTED, PAUSED, DISABLED, …)')
    .option('--json', 'print JSON')
    .action(async (o: { status?: string }, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const list = await cli.call(core, 'templates:list', o.status ? { status: o.status.trim().toUpperCase() } : {});
        cli.print(cmd, list.map(templateJson), () => table(list));
      });
    });
}
