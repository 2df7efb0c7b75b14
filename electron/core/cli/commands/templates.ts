import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import type { TemplateSummary } from '../../../../shared/contract/whatsapp';
import {
  draftFromComponents,
  validateDraft,
  type DraftIssue,
  type DraftIssueCode,
  type TemplateDraft,
} from '../../../../shared/templates/draft';
import { CliError, EXIT_USAGE } from '../io';

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
    .map(
      (t) =>
        `${t.name.padEnd(32)} ${t.language.padEnd(6)} ${t.status.padEnd(10)} ${t.category.padEnd(14)} quality ${t.quality.padEnd(7)}${t.rejectedReason ? ` rejected: ${t.rejectedReason}` : ''}`,
    )
    .join('\n');
}

export function registerTemplatesCommands(program: Command, cli: CliContext): void {
  const templates = program.command('templates').description('Message templates of the connected account');

  templates
    .command('sync')
    .description("Pull every template from the API now (within Meta's hourly limit for management calls)")
    .option('--json', 'print JSON')
    .action(async (_o, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const r = await cli.call(core, 'templates:sync', {});
        cli.print(
          cmd,
          r.templates.map(templateJson),
          () => `Synced ${r.total} templates: ${r.added} new, ${r.updated} changed, ${r.removed} removed.\n${table(r.templates)}`,
        );
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

  registerSubmitCommands(templates, cli);
}

/** English for the CLI; the app translates the same codes (renderer templates catalogue, editor.issue.*). */
const ISSUE_TEXT: Record<DraftIssueCode, string> = {
  name_required: 'a name is required',
  name_format: 'the name may hold only lowercase letters, digits and _',
  name_too_long: 'the name is longer than [max] characters',
  body_required: 'the body text is required',
  too_long: 'is [length] characters; the most is [max]',
  example_missing: 'variable {{[variable]}} needs an example',
  example_too_long: 'the example of {{[variable]}} is longer than [max] characters',
  positional_order: 'positional variables must be {{1}}, {{2}}, … in order without gaps (found [found])',
  named_format: 'variable {{[variable]}} must be lowercase letters, digits and _',
  mixed_variables: 'variable {{[variable]}} is named but the template uses positional variables',
  variable_at_edge: 'the body may not start or end with a variable',
  adjacent_variables: 'two variables may not stand side by side',
  header_one_variable: 'a text header takes at most one variable',
  header_media_missing: 'a media header needs an example file',
  footer_variable: 'the footer may not hold variables',
  too_many_buttons: 'at most [max] buttons',
  too_many_of_type: 'at most [max] buttons of type [type]',
  button_text_required: 'the button needs a label',
  url_invalid: 'the URL must start with https:// or http://',
  url_variable_not_at_end: 'a URL takes one variable, at its end',
  phone_invalid: 'the phone number is not valid',
  copy_code_invalid: 'the code must be 1 to [max] characters without spaces',
  buttons_not_grouped: 'quick replies and other buttons must each be kept together',
  duplicate_button_text: 'two buttons have the same label',
  ttl_range: 'message_send_ttl_seconds must be [min_hours] hours to [max_days] days',
};

export function describeIssue(i: DraftIssue): string {
  const text = ISSUE_TEXT[i.code].replace(/\[(\w+)\]/g, (_, k: string) => String(i.params?.[k] ?? ''));
  return `${i.field}: ${text}`;
}

/** A create body as Meta takes it; a media header may name a local file in example.header_file. */
export function draftFromFile(file: string, stage: (path: string) => string): TemplateDraft {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new CliError(`${file}: ${e instanceof Error ? e.message : String(e)}`, EXIT_USAGE);
  }
  const components = Array.isArray(raw.components) ? (raw.components as Record<string, unknown>[]) : [];
  if (typeof raw.name !== 'string' || typeof raw.language !== 'string' || typeof raw.category !== 'string' || !components.length) {
    throw new CliError(`${file}: expected Meta's create body: {"name", "language", "category", "components": […]}`, EXIT_USAGE);
  }
  const draft = draftFromComponents(
    {
      name: raw.name,
      language: raw.language,
      category: raw.category,
      parameterFormat: String(raw.parameter_format ?? 'positional'),
      // Meta's marketing time-to-live, as in the create body (checked by validateDraft: ttl_range).
      ...(typeof raw.message_send_ttl_seconds === 'number' ? { ttlSeconds: raw.message_send_ttl_seconds } : {}),
    },
    components as never,
  );
  const header = components.find((c) => String(c.type).toUpperCase() === 'HEADER');
  const local = (header?.example as { header_file?: unknown } | undefined)?.header_file;
  if (draft.header && draft.header.format !== 'TEXT' && typeof local === 'string') {
    const p = path.resolve(path.dirname(file), local);
    if (!fs.existsSync(p)) throw new CliError(`${file}: header example file ${local} was not found`, EXIT_USAGE);
    draft.header = { format: draft.header.format, fileId: stage(p) };
  }
  const optOut = Array.isArray(raw.opt_out_buttons) ? (raw.opt_out_buttons as unknown[]).map(String) : [];
  draft.buttons = draft.buttons.map((b) => (b.type === 'QUICK_REPLY' && optOut.includes(b.text) ? { ...b, optOut: true } : b));
  return draft;
}

function registerSubmitCommands(templates: Command, cli: CliContext): void {
  templates
    .command('create')
    .description(
      "Submit a template for Meta's review from a JSON file (Meta's create body; a media header may name a local example file in example.header_file)",
    )
    .argument('<file>', 'the JSON file')
    .option('--waba <id>', 'the WhatsApp Business Account (default: the connected one)')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { waba?: string }, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const draft = draftFromFile(file, (p) => core.ctx.files.stagePath(p).fileId);
        const problems = validateDraft(draft);
        if (problems.length)
          throw new CliError(
            `The template has ${problems.length} problem(s):\n${problems.map((i) => `  ${describeIssue(i)}`).join('\n')}`,
            EXIT_USAGE,
          );
        const t = await cli.call(core, 'templates:create', { draft, ...(o.waba ? { wabaId: o.waba } : {}) });
        cli.print(
          cmd,
          templateJson(t),
          () => `Submitted ${t.name} (${t.language}): ${t.status}. Meta reviews it; \`pacer templates list\` shows the result.`,
        );
      });
    });

  templates
    .command('delete')
    .description('Delete a template: every language of NAME, or one with --language')
    .argument('<name>', 'the template name')
    .option('--language <code>', 'only this language (en_US, he, zh_TW…)')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { language?: string }, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const sel = o.language ? { id: (await cli.call(core, 'templates:get', { name, language: o.language })).id } : { name };
        const r = await cli.call(core, 'templates:delete', sel);
        cli.print(cmd, r, () => `Deleted ${name}${o.language ? ` (${o.language})` : ''}: ${r.deleted.length} template(s).`);
      });
    });
}
