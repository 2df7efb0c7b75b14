import type { TFunction } from 'i18next';
import { IMPORT_FILE_ERRORS, type ImportFileError } from '../../../../shared/contract/contacts';
import { isolate } from '../format';

/**
 * A file the importer refused, in the UI's language: the core sends `details.reason` and its
 * params (contacts/import/source.ts, xlsx-limits.ts); its English message is only for the CLI.
 * Answers null when the refusal carries no reason this knows (the caller words a generic one).
 */
export function fileErrorText(t: TFunction<'contacts'>, language: string, details: unknown): string | null {
  const d = (details ?? {}) as {
    reason?: string;
    what?: string;
    limit?: number;
    limit_mb?: number;
    row?: number;
    encoding?: string;
    sheet?: string;
  };
  const n = (v: number | undefined) => new Intl.NumberFormat(language).format(v ?? 0);
  if (d.reason === 'xlsx_too_large') {
    const what = d.what === 'cells' ? 'cells' : d.what === 'entries' ? 'entries' : 'bytes';
    return t(`import.tooLarge.${what}`, { limit: n(what === 'bytes' ? Math.round((d.limit ?? 0) / 1024 / 1024) : d.limit) });
  }
  if (!(IMPORT_FILE_ERRORS as readonly string[]).includes(d.reason ?? '')) return null;
  const reason = d.reason as ImportFileError;
  return t(`import.fileError.${reason}`, {
    row: n(d.row),
    limit: n(d.limit_mb),
    // A value from the file or the system, set in as written.
    encoding: isolate(String(d.encoding ?? '')),
    sheet: isolate(String(d.sheet ?? '')),
  });
}
