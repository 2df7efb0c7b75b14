import { countWhere } from './store/contacts';
import type { HandlerGroup } from '../api/handlers';
import type { CoreContext } from '../context';
import { badInput } from '../errors';
import type { contactsMethods } from '../../../shared/contract/contacts';
import { csvWriter, jsonWriter, memorySink, xlsxWriter, type ExportWriter } from './export';
import type { ImportJobs } from './import/jobs';
import type { ContactsService } from './service';
import { userIdInfo } from './user-ids-store';

type ContactsMethod = keyof typeof contactsMethods;

/** Contacts the UI may export in one answer (the CLI streams any number to a file). */
export const UI_EXPORT_LIMIT = 200_000;

/** The contacts service and its import jobs: one of each per core, built by the composition root. */
export interface ContactsDomain {
  service: ContactsService;
  imports: ImportJobs;
}

export function contactsHandlers(ctx: CoreContext, { service, imports }: ContactsDomain): HandlerGroup<ContactsMethod> {
  const actor = ctx.host === 'cli' ? 'cli' : 'user';
  return {
    'contacts:user-ids': ({ contactId }) => userIdInfo(ctx.db, contactId),
    'import:preview': ({ fileId, encoding, sheet }) => imports.preview(fileId, encoding, sheet),
    'import:start': (o) => ({
      jobId: imports.start({
        fileId: o.fileId,
        mapping: o.mapping,
        defaultCountry: o.defaultCountry ?? service.defaultCountry(),
        tags: o.tags,
        consent: o.consent,
        consentSource: o.consentSource,
        onDuplicate: o.onDuplicate,
        encoding: o.encoding,
        sheet: o.sheet,
        dryRun: o.dryRun,
        saveMappingAs: o.saveMappingAs,
        actor,
      }),
    }),
    'import:status': ({ jobId }) => imports.status(jobId),
    'import:report': ({ jobId, offset, limit }) => imports.report(jobId, offset, limit),
    'import:history': ({ limit }) => imports.history(limit),
    'import:rejected': ({ importId, offset, limit }) => imports.rejected(importId, offset, limit),
    'import:cancel': ({ jobId }) => {
      imports.cancel(jobId);
      return null;
    },
    'import:mappings': () => service.mappings(),
    'import:mapping-save': ({ name, mapping, headers }) => service.saveMapping(name, mapping, headers),
    'import:mapping-delete': ({ id }) => {
      service.deleteMapping(id);
      return null;
    },
    'contacts:query': (q) => service.query(q),
    'contacts:get': (ref) => service.detail(ref),
    'contacts:update': (u) => service.update(u),
    'contacts:bulk': (b) => service.bulk(b, actor),
    'contacts:opt-in': (i) => service.optIn(i, actor),
    'contacts:opt-out': (i) => service.optOut(i, actor),
    'contacts:confirm-number': (ref) => service.confirmNumber(ref, actor),
    'contacts:delete': (ref) => service.erase(ref),
    'contacts:lift-erasure': (i) => service.liftErasure(i, actor),
    'contacts:subject-export': (ref) => service.subjectExport(ref),
    'contacts:export': async ({ format, filter, ids }) => {
      const where = service.exportWhere(filter, ids);
      const count = countWhere(ctx.db, where);
      if (count > UI_EXPORT_LIMIT) {
        throw badInput(
          `That is ${count.toLocaleString('en')} contacts; the app exports up to ${UI_EXPORT_LIMIT.toLocaleString('en')} at once. Narrow the filter, or use \`pacer contacts export\`.`,
        );
      }
      const sink = memorySink();
      const columns = { attributes: service.attributes().map((a) => a.name) };
      const writer: ExportWriter =
        format === 'csv'
          ? csvWriter(sink.stream, columns)
          : format === 'json'
            ? jsonWriter(sink.stream)
            : xlsxWriter({ stream: sink.stream }, columns);
      for (const rows of service.iterate(where)) await writer.write(rows);
      await writer.end();
      const buf = await sink.done;
      const stamp = new Date(ctx.clock.now()).toISOString().slice(0, 10);
      return {
        fileName: `contacts-${stamp}.${format}`,
        mime:
          format === 'csv'
            ? 'text/csv'
            : format === 'json'
              ? 'application/json'
              : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        encoding: format === 'xlsx' ? 'base64' : 'utf8',
        content: format === 'xlsx' ? buf.toString('base64') : buf.toString('utf8'),
        rows: count,
      };
    },
    'contacts:tags': () => service.tags(),
    'contacts:attributes': () => service.attributes(),
    'contacts:stats': () => service.stats(),
    'segments:list': () => service.segments(),
    'segments:save': (s) => service.saveSegment(s),
    'segments:delete': ({ id }) => {
      service.deleteSegment(id);
      return null;
    },
    'segments:count': ({ rule }) => ({ count: service.countRule(rule) }),
  };
}
