import { useTranslation } from 'react-i18next';
import type { AttributeDefinition } from '../../../../shared/contract/contacts';
import { CONTACT_FIELDS, sourceToString, type ContactField, type ParamSource, type Placeholder } from './draft';

type Kind = ParamSource['kind'];

/**
 * One row per template parameter: a contact field, an attribute or fixed text, and — for the first
 * two — a fallback used when the contact has no value. The row is marked until it is complete:
 * the builder never lets an empty parameter through.
 */
export function ParamsSection({
  placeholders,
  params,
  attributes,
  onChange,
}: {
  placeholders: Placeholder[];
  params: Record<string, ParamSource>;
  attributes: AttributeDefinition[];
  onChange: (key: string, source: ParamSource) => void;
}) {
  const { t } = useTranslation('campaigns');
  if (placeholders.length === 0)
    return (
      <p className="muted small" data-testid="no-params">
        {t('builder.noParams')}
      </p>
    );
  return (
    <div className="cmp-params" data-testid="param-mapping">
      {placeholders.map((p) => {
        const src = params[p.key] ?? { kind: 'field', field: 'first_name', fallback: '' };
        const complete = sourceToString(src) !== null;
        const setKind = (kind: Kind) => {
          if (kind === src.kind) return;
          const fallback = src.kind === 'literal' ? '' : src.fallback;
          onChange(
            p.key,
            kind === 'literal'
              ? { kind, text: p.example ?? '' }
              : kind === 'attr'
                ? { kind, name: attributes[0]?.name ?? '', fallback }
                : { kind, field: 'first_name', fallback },
          );
        };
        const label =
          p.component === 'header'
            ? t('builder.paramHeader')
            : p.component === 'button'
              ? t('builder.paramButton', { n: Number(p.key.split('.')[1]) + 1 })
              : `{{${p.key}}}`;
        return (
          <fieldset
            key={p.key}
            className={complete ? 'cmp-param' : 'cmp-param incomplete'}
            data-testid={`param-${p.key}`}
            data-complete={complete}
          >
            <legend>
              <span className="mono cmp-param-key">{label}</span>
              {p.example && (
                <span className="small muted" dir="auto">
                  {t('builder.example', { example: p.example })}
                </span>
              )}
            </legend>
            <select
              className="input"
              aria-label={t('builder.sourceFor', { param: label })}
              value={src.kind === 'field' ? `field:${src.field}` : src.kind}
              onChange={(e) => {
                const v = e.target.value;
                if (v.startsWith('field:'))
                  onChange(p.key, {
                    kind: 'field',
                    field: v.slice(6) as ContactField,
                    fallback: src.kind === 'literal' ? '' : src.fallback,
                  });
                else setKind(v as Kind);
              }}
              data-testid="param-source"
            >
              <optgroup label={t('builder.contactField')}>
                {CONTACT_FIELDS.map((f) => (
                  <option key={f} value={`field:${f}`}>
                    {t(`fields.${f}`)}
                  </option>
                ))}
              </optgroup>
              <option value="attr" disabled={attributes.length === 0}>
                {t('builder.attribute')}
              </option>
              <option value="literal">{t('builder.literal')}</option>
            </select>
            {src.kind === 'attr' && (
              <select
                className="input"
                aria-label={t('builder.attribute')}
                value={src.name}
                onChange={(e) => onChange(p.key, { ...src, name: e.target.value })}
              >
                {attributes.map((a) => (
                  <option key={a.name} value={a.name}>
                    {a.name}
                  </option>
                ))}
              </select>
            )}
            {src.kind === 'literal' ? (
              <input
                className="input grow"
                dir="auto"
                value={src.text}
                placeholder={t('builder.literalPlaceholder')}
                aria-label={t('builder.literal')}
                onChange={(e) => onChange(p.key, { kind: 'literal', text: e.target.value })}
                data-testid="param-literal"
                aria-invalid={!complete}
              />
            ) : (
              <input
                className="input grow"
                dir="auto"
                value={src.fallback}
                placeholder={t('builder.fallbackPlaceholder')}
                aria-label={t('builder.fallbackFor', { param: label })}
                onChange={(e) => onChange(p.key, { ...src, fallback: e.target.value })}
                data-testid="param-fallback"
                aria-invalid={!complete}
              />
            )}
            {!complete && (
              <span className="cmp-param-error small" role="alert">
                {src.kind === 'literal' ? t('builder.literalRequired') : t('builder.fallbackRequired')}
              </span>
            )}
          </fieldset>
        );
      })}
    </div>
  );
}
