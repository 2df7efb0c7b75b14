import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { CliError, EXIT_FAILED, EXIT_USAGE } from '../io';
import { isUserId } from '../../../../shared/user-id';
import { csvWriter, fileSink, jsonWriter, xlsxWriter, type ExportWriter } from '../../contacts/export';
import {
  BUILTIN_IMPORT_FIELDS,
  CONSENT_CATEGORIES,
  IMPORT_ENCODINGS,
  type ContactRow,
  type ImportConsentCounts,
  type ImportEncoding,
  type ImportJob,
  type MappingEntry,
} from '../../../../shared/contract/contacts';

const collect = (v: string, prev: string[]) => [...prev, v];

const ENCODING_ALIASES: Record<string, ImportEncoding> = {
  utf8: 'utf-8',
  'utf-8-bom': 'utf-8',
  utf16le: 'utf-16le',
  'utf-16': 'utf-16le',
  utf16be: 'utf-16be',
  cp1255: 'windows-1255',
  windows1255: 'windows-1255',
  hebrew: 'windows-1255',
  cp1252: 'windows-1252',
  windows1252: 'windows-1252',
  latin1: 'windows-1252',
  'big-5': 'big5',
  gbk: 'gb18030',
  gb2312: 'gb18030',
  sjis: 'shift_jis',
  'shift-jis': 'shift_jis',
};

function parseEncoding(v: string | undefined): ImportEncoding | undefined {
  if (!v) return undefined;
  const lower = v.toLowerCase();
  if ((IMPORT_ENCODINGS as readonly string[]).includes(lower)) return lower as ImportEncoding;
  const alias = ENCODING_ALIASES[lower];
  if (alias) return alias;
  throw new CliError(`--encoding: unknown encoding "${v}". Use one of: ${IMPORT_ENCODINGS.join(', ')}.`, EXIT_USAGE);
}

function parseMaps(maps: string[]): MappingEntry[] {
  return maps.map((m) => {
    const eq = m.indexOf('=');
    if (eq <= 0) throw new CliError(`--map ${m}: write FIELD=COLUMN, e.g. --map phone="Mobile Phone".`, EXIT_USAGE);
    const field = m.slice(0, eq).trim();
    const column = m.slice(eq + 1).trim();
    if (!column) throw new CliError(`--map ${m}: the column is empty.`, EXIT_USAGE);
    if (!(BUILTIN_IMPORT_FIELDS as readonly string[]).includes(field) && !/^attr\.[\p{L}\p{N}_-]{1,64}$/u.test(field)) {
      throw new CliError(`--map ${m}: unknown field "${field}". Fields: ${BUILTIN_IMPORT_FIELDS.join(', ')}, or attr.NAME.`, EXIT_USAGE);
    }
    return { field: field as MappingEntry['field'], column };
  });
}

/** Guessed mapping with the user's --map entries replacing guesses for the same field or column. */
function mergeMapping(guessed: MappingEntry[], given: MappingEntry[]): MappingEntry[] {
  if (!given.length) return guessed;
  const fields = new Set(given.map((g) => g.field));
  const columns = new Set(given.map((g) => g.column.toLowerCase()));
  return [...given, ...guessed.filter((g) => !fields.has(g.field) && !columns.has(g.column.toLowerCase()))];
}

/**
 * The report's consent line: what was recorded and why (the file's column or --consent); null
 * when the import records no consent at all.
 */
export function consentLine(c: ImportConsentCounts): string | null {
  if (c.column === null && !c.box) return null;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const by = [
    ...(c.column !== null ? [`${c.optedInByFile} by the file's "${c.column}" column`] : []),
    ...(c.box ? [`${c.optedInByBox} by --consent`] : []),
  ];
  const parts = [`opted in ${c.optedInByFile + c.optedInByBox} (${by.join(', ')})`];
  if (c.column !== null) parts.push(`opted out ${c.optedOutByFile} by the file`);
  if (c.keptOptedOut) parts.push(`${c.keptOptedOut} kept opted out (only the person can opt back in)`);
  const none = c.notRecorded + c.unrecognised;
  if (none) parts.push(`nothing recorded for ${none}${c.unrecognised ? ` (${plural(c.unrecognised, 'value')} not understood)` : ''}`);
  return `  consent (${c.category}): ${parts.join('; ')}`;
}

/** A contact argument: a WhatsApp business-scoped user id (IL.1502576394655843) or a phone number. */
const refOf = (arg: string) => (isUserId(arg.trim()) ? { userId: arg.trim() } : { phone: arg });

function humanContact(c: ContactRow): string {
  // A contact known only by its WhatsApp user id has no number: its user id (and @username) stand in.
  const who = c.phone ?? `${c.user_id ?? ''}${c.username ? ` @${c.username}` : ''}`;
  return `${who}  ${c.name || '(no name)'}  marketing: ${c.consent.marketing}, utility: ${c.consent.utility}${c.tags.length ? `  [${c.tags.join(', ')}]` : ''}`;
}

/** The list item shape of cli.md: id, phone, name, first_name, last_name, email, tags, attributes, consent. */
const listItem = (c: ContactRow) => ({
  id: c.id,
  phone: c.phone, // null: known only by its WhatsApp user id (cli.md's shape has no user id field yet)
  name: c.name,
  first_name: c.first_name,
  last_name: c.last_name,
  email: c.email,
  tags: c.tags,
  attributes: c.attributes,
  consent: c.consent,
});

export function registerContactsCommands(program: Command, cli: CliContext): void {
  program
    .command('import')
    .description('Import contacts from a CSV/TSV/TXT, Excel (.xlsx) or vCard (.vcf) file (Google and Outlook exports too)')
    .argument('<file>', 'the file to import (its format is detected from its content)')
    .option('--default-country <cc>', 'country for numbers without a country code (default: Settings)')
    .option(
      '--map <field=column>',
      'map a column to a field: phone, first_name, last_name, name, email, tags, consent, country or attr.NAME (repeatable; guesses fill the rest)',
      collect,
      [],
    )
    .option('--tag <tag>', 'tag every imported contact (repeatable)', collect, [])
    .option('--consent <category>', 'record an opt-in for every imported contact: marketing or utility')
    .option('--consent-source <text>', 'evidence kept with the opt-ins, e.g. "signup form 2025"')
    .option('--on-duplicate <policy>', 'a contact already stored: skip or update', 'skip')
    .option('--encoding <name>', `text encoding instead of detecting it: ${IMPORT_ENCODINGS.join(', ')}`)
    .option('--sheet <name>', 'Excel: the sheet to read (default: the first)')
    .option('--dry-run', 'validate and report; change nothing')
    .option('--json', 'print the report as JSON')
    .action(
      async (
        file: string,
        o: {
          defaultCountry?: string;
          map: string[];
          tag: string[];
          consent?: string;
          consentSource?: string;
          onDuplicate: string;
          encoding?: string;
          sheet?: string;
          dryRun?: boolean;
        },
        cmd: Command,
      ) => {
        const country = o.defaultCountry?.toUpperCase();
        if (country !== undefined && !/^[A-Z]{2}$/.test(country))
          throw new CliError(`--default-country: "${o.defaultCountry}" is not a two-letter country code (e.g. IL).`, EXIT_USAGE);
        if (o.consent !== undefined && !(CONSENT_CATEGORIES as readonly string[]).includes(o.consent))
          throw new CliError(`--consent: use ${CONSENT_CATEGORIES.join(' or ')}.`, EXIT_USAGE);
        if (o.onDuplicate !== 'skip' && o.onDuplicate !== 'update') throw new CliError('--on-duplicate: use skip or update.', EXIT_USAGE);
        const encoding = parseEncoding(o.encoding);
        const given = parseMaps(o.map);
        const abs = path.resolve(file);
        if (!fs.statSync(abs, { throwIfNoEntry: false })?.isFile()) throw new CliError(`${file}: no such file.`, EXIT_USAGE);
        await cli.withCore(cmd, async (core) => {
          const { imports } = core.services;
          const staged = core.ctx.files.stagePath(abs);
          try {
            const preview = await cli.call(core, 'import:preview', {
              fileId: staged.fileId,
              ...(encoding ? { encoding } : {}),
              ...(o.sheet ? { sheet: o.sheet } : {}),
            });
            const mapping = mergeMapping(preview.mapping, given);
            const { jobId } = await cli.call(core, 'import:start', {
              fileId: staged.fileId,
              mapping,
              ...(country ? { defaultCountry: country } : {}),
              tags: o.tag,
              consent: o.consent ?? null,
              ...(o.consentSource ? { consentSource: o.consentSource } : {}),
              onDuplicate: o.onDuplicate,
              ...(encoding ? { encoding } : {}),
              ...(o.sheet ? { sheet: o.sheet } : {}),
              dryRun: !!o.dryRun,
            });
            let interrupted = false;
            void cli.io.untilSignal().then(() => {
              interrupted = true;
              imports.cancel(jobId);
            });
            const job: ImportJob = await imports.wait(jobId);
            if (job.state !== 'done' || !job.report) {
              const code = job.error?.code === 'bad_input' ? EXIT_USAGE : EXIT_FAILED;
              throw new CliError(
                interrupted ? 'Interrupted: the import was cancelled; nothing was changed.' : (job.error?.message ?? 'The import failed.'),
                code,
              );
            }
            const r = job.report;
            const out = {
              format: r.format,
              encoding: r.encoding,
              rows: r.rows,
              imported: r.imported,
              updated: r.updated,
              duplicates: r.duplicates,
              invalid: r.invalid,
              skipped: r.skipped,
              errors: r.errors.map((e) => ({ row: e.row, reason: e.reason })),
            };
            cli.print(cmd, out, () =>
              [
                `${o.dryRun ? 'Dry run — nothing was written. ' : ''}${r.fileName}: ${r.format}, ${r.encoding}, ${r.rows} rows`,
                `  imported ${r.imported}, updated ${r.updated}, duplicates ${r.duplicates}, invalid ${r.invalid}, skipped ${r.skipped}`,
                ...[consentLine(r.consent)].filter((line) => line !== null),
                ...r.errors.slice(0, 20).map((e) => `  row ${e.row}: ${e.reason}`),
                ...(r.errorsTotal > 20 ? [`  … and ${r.errorsTotal - 20} more (use --json for all)`] : []),
              ].join('\n'),
            );
          } finally {
            core.ctx.files.discard(staged.fileId);
          }
        });
      },
    );

  const contacts = program.command('contacts').description('List, export, opt out, opt in or erase contacts');

  contacts
    .command('list')
    .description('List contacts (newest first)')
    .option('--search <q>', 'name, phone (any format or part), email or attribute')
    .option('--tag <tag>', 'only contacts with this tag')
    .option('--segment <name>', 'only contacts in this saved segment')
    .option('--limit <n>', 'how many (default 100)', '100')
    .option('--json', 'print JSON')
    .action(async (o: { search?: string; tag?: string; segment?: string; limit: string }, cmd: Command) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit must be a positive whole number, got ${o.limit}`, EXIT_USAGE);
      await cli.withCore(cmd, async (core) => {
        let segment: number | undefined;
        if (o.segment) {
          const list = await cli.call(core, 'segments:list', {});
          const s = list.find((x) => x.name.toLowerCase() === o.segment!.toLowerCase());
          if (!s) throw new CliError(`There is no segment named "${o.segment}".`, EXIT_USAGE);
          segment = s.id;
        }
        const rows: ContactRow[] = [];
        while (rows.length < limit) {
          const page = await cli.call(core, 'contacts:query', {
            ...(o.search ? { search: o.search } : {}),
            ...(o.tag ? { tag: o.tag } : {}),
            ...(segment ? { segment } : {}),
            offset: rows.length,
            limit: Math.min(1000, limit - rows.length),
          });
          rows.push(...page.rows);
          if (page.rows.length === 0 || rows.length >= page.total) break;
        }
        cli.print(cmd, rows.map(listItem), () => (rows.length ? rows.map(humanContact).join('\n') : 'No contacts.'));
      });
    });

  contacts
    .command('export')
    .description('Export all contacts (formula-like cells are neutralised in csv/xlsx)')
    .option('--format <format>', 'csv, json or xlsx', 'csv')
    .option('--out <file>', 'write to this file (default: standard output; required for xlsx)')
    .action(async (o: { format: string; out?: string }, cmd: Command) => {
      if (!['csv', 'json', 'xlsx'].includes(o.format)) throw new CliError('--format: use csv, json or xlsx.', EXIT_USAGE);
      if (o.format === 'xlsx' && !o.out) throw new CliError('xlsx is binary: give --out FILE.', EXIT_USAGE);
      await cli.withCore(cmd, async (core) => {
        const service = core.services.contacts;
        const columns = { attributes: service.attributes().map((a) => a.name) };
        let buffered = '';
        const stdout = new (await import('node:stream')).Writable({
          write(chunk: Buffer, _enc, cb) {
            buffered += chunk.toString('utf8');
            cb();
          },
        });
        const target = o.out ? fileSink(path.resolve(o.out)) : stdout;
        const writer: ExportWriter =
          o.format === 'csv'
            ? csvWriter(target, columns)
            : o.format === 'json'
              ? jsonWriter(target)
              : xlsxWriter({ filename: path.resolve(o.out!) }, columns);
        let n = 0;
        for (const rows of service.iterate({ sql: '1', params: [] })) {
          await writer.write(rows);
          n += rows.length;
        }
        await writer.end();
        if (o.out) cli.io.err(`Exported ${n} contacts to ${o.out}`);
        else cli.io.out(buffered.replace(/^\ufeff/, ''));
      });
    });

  contacts
    .command('opt-out')
    .description('Record an opt-out (the contact is excluded from every later audience)')
    .argument('<phone>', 'phone number (any format; E.164 preferred), or a WhatsApp user id (IL.1502576394655843)')
    .option('--category <category>', 'marketing, utility or all', 'all')
    .option('--reason <text>', 'why (kept in the consent history)')
    .option('--json', 'print JSON')
    .action(async (phone: string, o: { category: string; reason?: string }, cmd: Command) => {
      if (!['marketing', 'utility', 'all'].includes(o.category))
        throw new CliError('--category: use marketing, utility or all.', EXIT_USAGE);
      await cli.withCore(cmd, async (core) => {
        const c = await cli.call(core, 'contacts:opt-out', {
          contact: refOf(phone),
          category: o.category,
          ...(o.reason ? { reason: o.reason } : {}),
        });
        cli.print(cmd, listItem(c), () => `Opted out: ${humanContact(c)}`);
      });
    });

  contacts
    .command('opt-in')
    .description('Record an opt-in with its evidence (re-opting in an opted-out contact needs --reason)')
    .argument('<phone>', 'phone number (any format; E.164 preferred), or a WhatsApp user id (IL.1502576394655843)')
    .requiredOption('--category <category>', 'marketing or utility')
    .requiredOption('--source <text>', 'how consent was given, e.g. "paper form, store 12"')
    .option('--reason <text>', 'required when the contact had opted out')
    .option('--json', 'print JSON')
    .action(async (phone: string, o: { category: string; source: string; reason?: string }, cmd: Command) => {
      if (!(CONSENT_CATEGORIES as readonly string[]).includes(o.category))
        throw new CliError('--category: use marketing or utility.', EXIT_USAGE);
      await cli.withCore(cmd, async (core) => {
        const c = await cli.call(core, 'contacts:opt-in', {
          contact: refOf(phone),
          category: o.category,
          source: o.source,
          ...(o.reason ? { reason: o.reason } : {}),
        });
        cli.print(cmd, listItem(c), () => `Opted in: ${humanContact(c)}`);
      });
    });

  contacts
    .command('confirm-number')
    .description('Release a contact held because their number changed hands (after you checked it is still theirs)')
    .argument('<phone>', 'phone number (any format; E.164 preferred)')
    .option('--json', 'print JSON')
    .action(async (phone: string, _o: object, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const r = await cli.call(core, 'contacts:confirm-number', { phone });
        cli.print(cmd, { released: r.released, contact: listItem(r.contact) }, () =>
          r.released ? `Confirmed: ${humanContact(r.contact)} can receive messages again.` : `${humanContact(r.contact)} was not held.`,
        );
      });
    });

  contacts
    .command('delete')
    .description(
      'Erase a contact and all personal data held about them (campaign counts stay correct); a suppression record without the number keeps it from being imported again',
    )
    .argument('<phone>', 'phone number (any format; E.164 preferred), or the WhatsApp user id of a person known only by it')
    .option('--json', 'print JSON')
    .action(async (phone: string, _o: object, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const r = await cli.call(core, 'contacts:delete', refOf(phone));
        if (!r.deleted) throw new CliError(`No contact ${phone}.`, EXIT_FAILED);
        cli.print(
          cmd,
          r,
          () =>
            `Erased ${phone}. Pacer keeps only a keyed hash of the number (or user id), so importing it again is refused.` +
            (r.backups_removed
              ? `\n${r.backups_removed} backup(s) Pacer had made (in the data folder's backups/) still held this person and were removed.`
              : ''),
        );
      });
    });

  contacts
    .command('subject-export')
    .description(
      'Data-subject access request: everything Pacer holds about one person (contact, consent history, holds, sends with statuses, replies, raw webhook bodies) as JSON — plaintext, because the person asked for it',
    )
    .argument('<phone>', 'phone number (any format; E.164 preferred), or the WhatsApp user id of a person known only by it')
    .option('--out <file>', 'write the JSON to this file (default: standard output)')
    .action(async (phone: string, o: { out?: string }, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const r = await cli.call(core, 'contacts:subject-export', refOf(phone));
        const text = JSON.stringify(r, null, 2);
        if (!o.out) return cli.io.out(text);
        fs.writeFileSync(path.resolve(o.out), text + '\n', { mode: 0o600 });
        cli.io.err(`Wrote everything held about ${phone} to ${o.out} (plain JSON: keep it safe).`);
      });
    });

  contacts
    .command('lift-erasure')
    .description(
      'The person asked to be added again: remove the suppression record an erasure left, so the number can be imported (audited with the reason)',
    )
    .argument('<phone>', 'phone number (any format; E.164 preferred), or the WhatsApp user id of a person known only by it')
    .requiredOption('--reason <text>', 'why, e.g. "signed up again at the store, 2026-11-22"')
    .option('--json', 'print JSON')
    .action(async (phone: string, o: { reason: string }, cmd: Command) => {
      await cli.withCore(cmd, async (core) => {
        const r = await cli.call(core, 'contacts:lift-erasure', { ...refOf(phone), reason: o.reason });
        if (!r.lifted) throw new CliError(`${phone} has no erasure record.`, EXIT_FAILED);
        cli.print(
          cmd,
          r,
          () =>
            `Lifted the erasure record of ${phone} (erased ${new Date(r.erased_at!).toISOString().slice(0, 10)}); it can be imported again.`,
        );
      });
    });
}
