import { useTranslation } from 'react-i18next';
import { ATTRIBUTE_TYPES, type AttributeType, type ImportPreview } from '../../../../shared/contract/contacts';
import { applySaved, FIELD_CHOICES, type ColumnMapping, type FieldChoice, type MappingProblem } from './mapping';

/** One line per column: its sample values and what it becomes. Pre-filled with Pacer's guesses. */
export function MappingStep({
  preview,
  columns,
  onChange,
  problems,
  saveAs,
  onSaveAs,
}: {
  preview: ImportPreview;
  columns: ColumnMapping[];
  onChange(c: ColumnMapping[]): void;
  problems: MappingProblem[];
  saveAs: string;
  onSaveAs(s: string): void;
}) {
  const { t } = useTranslation('contacts');
  const set = (i: number, patch: Partial<ColumnMapping>) => onChange(columns.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const usable = preview.savedMappings.filter((m) => m.matches);
  const fromData = preview.guesses?.phoneFromData ?? null;
  const custom = preview.guesses?.customColumns ?? [];
  return (
    <div className="grid">
      {fromData && (
        <p className="hint small" data-testid="phone-from-data">
          {t('import.mapping.phoneFromData', { column: `\u2068${fromData.column}\u2069`, valid: fromData.valid, of: fromData.of })}
        </p>
      )}
      {custom.length > 0 && (
        <p className="hint small muted" data-testid="custom-columns">
          {t('import.mapping.customColumns', {
            columns: custom.map((c) => `\u2068${c}\u2069`).join(t('import.mapping.listSeparator')),
            count: custom.length,
          })}
        </p>
      )}
      {usable.length > 0 && (
        <div className="field saved-mapping">
          <label htmlFor="saved-mapping">{t('import.mapping.saved')}</label>
          <select
            id="saved-mapping"
            className="input"
            defaultValue=""
            data-testid="saved-mapping"
            onChange={(e) => {
              const m = usable.find((x) => String(x.id) === e.target.value);
              if (m) onChange(applySaved(preview.headers, m));
            }}
          >
            <option value="" disabled>
              {t('import.mapping.savedPick')}
            </option>
            {usable.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="mapping-table" role="table" aria-label={t('import.mapping.label')}>
        <div className="mapping-row head" role="row">
          <span role="columnheader">{t('import.mapping.column')}</span>
          <span role="columnheader">{t('import.mapping.sample')}</span>
          <span role="columnheader">{t('import.mapping.field')}</span>
        </div>
        {columns.map((c, i) => {
          const samples = preview.rows
            .map((r) => (r[i] ?? '').trim())
            .filter(Boolean)
            .slice(0, 3);
          return (
            <div className="mapping-row" role="row" key={i} data-testid="mapping-row" data-column={c.column}>
              <span role="cell" className="ct-strong">
                <bdi>{c.column}</bdi>
              </span>
              <span role="cell" className="muted small samples">
                {samples.length
                  ? samples.map((v, k) => (
                      <span key={k}>
                        {k > 0 && ' · '}
                        <bdi>{v}</bdi>
                      </span>
                    ))
                  : '—'}
              </span>
              <span role="cell" className="mapping-field">
                <select
                  className="input"
                  value={c.choice}
                  aria-label={t('import.mapping.fieldFor', { column: c.column })}
                  data-testid={`map-${i}`}
                  onChange={(e) => set(i, { choice: e.target.value as FieldChoice })}
                >
                  {FIELD_CHOICES.map((fc) => (
                    <option key={fc} value={fc}>
                      {t(`import.mapping.fields.${fc || 'none'}`)}
                    </option>
                  ))}
                </select>
                {c.choice === 'attr' && (
                  <>
                    <input
                      className="input"
                      value={c.attrName}
                      onChange={(e) => set(i, { attrName: e.target.value })}
                      aria-label={t('import.mapping.attrName')}
                      dir="auto"
                    />
                    <select
                      className="input"
                      value={c.type ?? ''}
                      aria-label={t('import.mapping.attrType')}
                      onChange={(e) => set(i, { type: (e.target.value || undefined) as AttributeType | undefined })}
                    >
                      <option value="">{t('import.mapping.types.auto')}</option>
                      {ATTRIBUTE_TYPES.map((ty) => (
                        <option key={ty} value={ty}>
                          {t(`import.mapping.types.${ty}`)}
                        </option>
                      ))}
                    </select>
                  </>
                )}
              </span>
            </div>
          );
        })}
      </div>
      {problems.map((p) => (
        <div key={p} className="banner error" role="alert" data-testid={`mapping-problem-${p}`}>
          {t(`import.mapping.problems.${p}`)}
        </div>
      ))}
      <div className="field">
        <label htmlFor="save-mapping">{t('import.mapping.saveAs')}</label>
        <input
          id="save-mapping"
          className="input"
          value={saveAs}
          onChange={(e) => onSaveAs(e.target.value)}
          maxLength={100}
          placeholder={t('import.mapping.saveAsPlaceholder')}
          data-testid="mapping-save-as"
        />
      </div>
    </div>
  );
}
