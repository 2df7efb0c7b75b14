import { useTranslation } from 'react-i18next';
import { IMPORT_ENCODINGS, type ImportEncoding, type ImportPreview } from '../../../../shared/contract/contacts';
import { useFormat } from '../format';

const DELIMITER_KEYS: Record<string, string> = { ',': 'comma', '\t': 'tab', ';': 'semicolon', '|': 'pipe' };

/** What Pacer read: format, encoding (overridable), sheet, and the first rows as it will parse them. */
export function PreviewStep({
  preview,
  busy,
  onEncoding,
  onSheet,
}: {
  preview: ImportPreview;
  busy: boolean;
  onEncoding(e: ImportEncoding): void;
  onSheet(s: string): void;
}) {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  const isText = preview.format !== 'xlsx';
  return (
    <div className="grid">
      <dl className="kv preview-facts">
        <dt>{t('import.preview.file')}</dt>
        <dd>
          <bdi translate="no">{preview.fileName}</bdi> <span className="muted small">({f.size(preview.size)})</span>
        </dd>
        <dt>{t('import.preview.format')}</dt>
        <dd data-testid="preview-format" data-format={preview.format}>
          {t(`import.formats.${preview.format}`)}
          {preview.delimiter && (
            <span className="muted small"> · {t(`import.delimiters.${DELIMITER_KEYS[preview.delimiter] ?? 'comma'}`)}</span>
          )}
        </dd>
      </dl>
      <div className="preview-pickers">
        {isText && (
          <div className="field">
            <label htmlFor="imp-encoding">{t('import.preview.encoding')}</label>
            <select
              id="imp-encoding"
              className="input"
              value={preview.encoding}
              disabled={busy}
              data-testid="preview-encoding"
              onChange={(e) => onEncoding(e.target.value as ImportEncoding)}
            >
              {IMPORT_ENCODINGS.map((enc) => (
                <option key={enc} value={enc}>
                  {t(`import.encodings.${enc}`)}
                </option>
              ))}
            </select>
            <span className="hint">
              {preview.encodingDetected ? t('import.preview.encodingDetected') : t('import.preview.encodingChosen')}
            </span>
          </div>
        )}
        {preview.sheets.length > 0 && (
          <div className="field">
            <label htmlFor="imp-sheet">{t('import.preview.sheet')}</label>
            <select
              id="imp-sheet"
              className="input"
              value={preview.sheet ?? ''}
              disabled={busy}
              data-testid="preview-sheet"
              onChange={(e) => onSheet(e.target.value)}
            >
              {preview.sheets.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {preview.warnings.map((w) => (
        <div
          key={w}
          id={`preview-${w.replace(/_/g, '-')}`}
          className={`banner ${w === 'no_rows' ? 'error' : 'warn'}`}
          data-testid={`preview-warning-${w}`}
        >
          {t(`import.warnings.${w}`, { defaultValue: t('import.reasons.other') })}
        </div>
      ))}
      <div className="preview-table-wrap">
        <table className="table compact" data-testid="preview-table">
          <thead>
            <tr>
              {preview.headers.map((h, i) => (
                <th key={i}>
                  <bdi>{h}</bdi>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.slice(0, 8).map((r, i) => (
              <tr key={i}>
                {preview.headers.map((_, j) => (
                  <td key={j}>
                    <bdi>{r[j] ?? ''}</bdi>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">{t('import.preview.showing', { count: Math.min(preview.rows.length, 8) })}</p>
    </div>
  );
}
