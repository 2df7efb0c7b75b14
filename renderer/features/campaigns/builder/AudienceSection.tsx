import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { audienceLabel } from '../format';
import { Search } from 'lucide-react';
import type { Segment } from '../../../../shared/contract/contacts';
import { audienceExpression, term, type AudienceChoice } from './draft';

function Chips({
  options,
  selected,
  onToggle,
  testid,
}: {
  options: { value: string; label: string; count: number; kind: 'tag' | 'segment' }[];
  selected: string[];
  onToggle: (v: string) => void;
  testid: string;
}) {
  const { t } = useTranslation('campaigns');
  const [q, setQ] = useState('');
  if (options.length === 0) return <p className="small muted">{t('builder.noTags')}</p>;
  // Many tags and segments: a search box; the chosen ones stay visible whatever is typed.
  const searchable = options.length > SEARCH_FROM;
  const needle = q.trim().toLocaleLowerCase();
  const shown =
    searchable && needle ? options.filter((o) => selected.includes(o.value) || o.label.toLocaleLowerCase().includes(needle)) : options;
  return (
    <div className="cmp-chips-wrap">
      {searchable && (
        <div className="tpl-search cmp-chip-search">
          <Search size={15} aria-hidden />
          <input
            className="input"
            type="search"
            dir="auto"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('builder.findAudience', { n: options.length })}
            aria-label={t('builder.findAudience', { n: options.length })}
            data-testid={`${testid}-search`}
          />
        </div>
      )}
      <div className="cmp-chips" data-testid={testid}>
        {shown.length === 0 && <span className="small muted">{t('builder.noAudienceMatch')}</span>}
        {shown.map((o) => (
          <button
            type="button"
            key={o.value}
            className="cmp-chip"
            aria-pressed={selected.includes(o.value)}
            onClick={() => onToggle(o.value)}
            data-term={o.value}
          >
            <span className="cmp-chip-kind">{t(`builder.${o.kind}`)}</span>
            <bdi>{o.label}</bdi>
            <span className="muted">{o.count}</span>
          </button>
        ))}
      </div>
    </div>
  );
}

/** Above this many tags and segments the picker offers a search box. */
const SEARCH_FROM = 8;

/** All contacts, tags/segments combined with any/all and exclusions, or a typed expression. */
export function AudienceSection({
  value,
  onChange,
  tags,
  segments,
}: {
  value: AudienceChoice;
  onChange: (a: AudienceChoice) => void;
  tags: { name: string; count: number }[];
  segments: Segment[];
}) {
  const { t } = useTranslation('campaigns');
  const options = [
    ...tags.map((x) => ({ value: term('tag', x.name), label: x.name, count: x.count, kind: 'tag' as const })),
    ...segments.map((x) => ({ value: term('segment', x.name), label: x.name, count: x.count, kind: 'segment' as const })),
  ];
  const toggle = (list: 'include' | 'exclude') => (v: string) => {
    const cur = value[list];
    onChange({ ...value, [list]: cur.includes(v) ? cur.filter((x) => x !== v) : [...cur, v] });
  };
  return (
    <div className="cmp-audience">
      <div className="segmented" role="group" aria-label={t('builder.audience')}>
        {(['all', 'build', 'expression'] as const).map((m) => (
          <button
            type="button"
            key={m}
            aria-pressed={value.mode === m}
            data-testid={`audience-${m}`}
            onClick={() =>
              onChange({
                ...value,
                mode: m,
                expression: m === 'expression' && !value.expression ? audienceExpression(value) : value.expression,
              })
            }
          >
            {t(`builder.audienceMode.${m}`)}
          </button>
        ))}
      </div>
      {value.mode === 'build' && (
        <>
          <div className="field">
            <span className="label">
              {t('builder.include')}{' '}
              <select
                className="input inline"
                value={value.match}
                onChange={(e) => onChange({ ...value, match: e.target.value as 'any' | 'all' })}
                aria-label={t('builder.matchLabel')}
              >
                <option value="any">{t('builder.matchAny')}</option>
                <option value="all">{t('builder.matchAll')}</option>
              </select>
            </span>
            <Chips options={options} selected={value.include} onToggle={toggle('include')} testid="audience-include" />
            <span className="hint">{value.include.length ? '' : t('builder.includeNoneHint')}</span>
          </div>
          <div className="field">
            <span className="label">{t('builder.exclude')}</span>
            <Chips options={options} selected={value.exclude} onToggle={toggle('exclude')} testid="audience-exclude" />
          </div>
        </>
      )}
      {value.mode === 'expression' && (
        <div className="field">
          <textarea
            className="input mono"
            rows={2}
            dir="ltr"
            value={value.expression}
            onChange={(e) => onChange({ ...value, expression: e.target.value })}
            aria-label={t('builder.expression')}
            data-testid="audience-expression"
            placeholder='tag:vip and not segment:"recent buyers"'
          />
          <span className="hint">{t('builder.expressionHint')}</span>
        </div>
      )}
      <p className="small muted">
        {t('builder.audienceIs')}{' '}
        <span data-testid="audience-preview" data-expression={audienceExpression(value)}>
          {audienceExpression(value) ? audienceLabel(t, audienceExpression(value)) : '—'}
        </span>
      </p>
      <p className="small muted">{t('builder.consentNote')}</p>
    </div>
  );
}
