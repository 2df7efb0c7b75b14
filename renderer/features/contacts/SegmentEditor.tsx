import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Plus, Trash2, X } from 'lucide-react';
import {
  CONSENT_CATEGORIES,
  CONSENT_STATES,
  type AttributeDefinition,
  type ConsentCategory,
  type ConsentState,
  type Segment,
  type SegmentCondition,
} from '../../../shared/contract/contacts';
import { countryOptions } from '../../../shared/countries';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { useFormat } from './format';
import { Modal } from './Modal';
import {
  ATTR_OPS,
  LAST_OPS,
  RULE_FIELDS,
  attrOpNeedsValue,
  newRow,
  rowFromCondition,
  rowsToConditions,
  withAttribute,
  type AttrOp,
  type LastOp,
  type RowError,
  type RuleField,
  type RuleRow,
} from './segmentRules';
import { errorText } from '../../i18n/errorText';

/** The most conditions one segment may hold (the contract's limit). */
const MAX_RULES = 50;
/** The live count waits this long after the last change, so typing a value sends one query. */
const COUNT_DEBOUNCE_MS = 300;

type CountState = { state: 'loading' | 'ready'; value?: number } | { state: 'incomplete' | 'error'; value?: undefined };

/**
 * Creates or edits a segment: rule rows (tag, consent, country, attribute, last messaged), all/any,
 * a live count of the contacts matching the rules (`segments:count`, debounced) and the name.
 * `segment` edits that segment; otherwise a new one starts from `initial` (e.g. the current filter).
 */
export function SegmentEditor({
  segment,
  initial,
  onClose,
  onSaved,
}: {
  segment?: Segment | undefined;
  initial?: { name?: string; match?: 'all' | 'any'; conditions?: SegmentCondition[] } | undefined;
  onClose(): void;
  onSaved(saved: Segment): void;
}) {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  const toast = useStore((s) => s.toast);
  const [name, setName] = useState(segment?.name ?? initial?.name ?? '');
  const [match, setMatch] = useState<'all' | 'any'>(segment?.rule.match ?? initial?.match ?? 'all');
  const [rows, setRows] = useState<RuleRow[]>(() => {
    const conditions = segment?.rule.conditions ?? initial?.conditions ?? [];
    return conditions.length ? conditions.map(rowFromCondition) : [newRow()];
  });
  /** Rows the user changed: their errors show at once; the others' after a Save attempt. */
  const [touched, setTouched] = useState<ReadonlySet<number>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [nameError, setNameError] = useState<'nameRequired' | 'nameTaken' | null>(null);
  const [attributes, setAttributes] = useState<AttributeDefinition[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [count, setCount] = useState<CountState>({ state: 'loading' });

  useEffect(() => {
    let live = true;
    void api.call('contacts:attributes', {}).then((r) => live && setAttributes(r.ok ? r.value : []));
    return () => {
      live = false;
    };
  }, []);

  const { conditions, errors } = useMemo(() => rowsToConditions(rows, attributes), [rows, attributes]);
  const ruleKey = conditions ? JSON.stringify({ match, conditions }) : null;

  // Live count: every change marks the count as loading at once (so a stale number is never
  // reported as current), then one `segments:count` after the user pauses. Answers for an older
  // rule are dropped by the cleanup.
  useEffect(() => {
    if (ruleKey === null) {
      setCount({ state: 'incomplete' });
      return;
    }
    setCount((c) => ({ state: 'loading', ...(c.value !== undefined ? { value: c.value } : {}) }));
    let live = true;
    const timer = setTimeout(() => {
      void api
        .call('segments:count', { rule: JSON.parse(ruleKey) as { match: 'all' | 'any'; conditions: SegmentCondition[] } })
        .then((r) => {
          if (!live) return;
          setCount(r.ok ? { state: 'ready', value: r.value.count } : { state: 'error' });
        });
    }, COUNT_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [ruleKey]);

  const change = (key: number, next: (row: RuleRow) => RuleRow) => {
    setRows((rs) => rs.map((r) => (r.key === key ? next(r) : r)));
    setTouched((s) => new Set(s).add(key));
  };
  const addRow = () => setRows((rs) => (rs.length >= MAX_RULES ? rs : [...rs, newRow()]));
  const removeRow = (key: number) => setRows((rs) => rs.filter((r) => r.key !== key));

  const save = async () => {
    setSubmitted(true);
    const trimmed = name.trim();
    setNameError(trimmed ? null : 'nameRequired');
    if (!trimmed || !conditions || conditions.length === 0) return;
    setBusy(true);
    const r = await api.call('segments:save', { ...(segment ? { id: segment.id } : {}), name: trimmed, rule: { match, conditions } });
    setBusy(false);
    if (!r.ok) {
      if (r.code === 'conflict') setNameError('nameTaken');
      else toast('error', errorText(r));
      return;
    }
    toast('success', t('segments.saved', { name: r.value.name }));
    onSaved(r.value);
  };

  const shownError = (row: RuleRow): RowError | undefined => (submitted || touched.has(row.key) ? errors.get(row.key) : undefined);

  return (
    <Modal
      title={segment ? t('segmentEditor.editTitle') : t('segmentEditor.newTitle')}
      onClose={onClose}
      testId="segment-editor"
      wide
      footer={
        <>
          <CountLine count={count} formatted={count.value !== undefined ? f.n(count.value) : ''} />
          <button className="btn" onClick={onClose}>
            {t('segments.cancel')}
          </button>
          <button className="btn primary" disabled={busy} onClick={() => void save()} data-testid="segment-editor-save">
            {t('segments.save')}
          </button>
        </>
      }
    >
      <form
        className="ct-seg-editor"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        noValidate
      >
        <label className="field">
          <span>{t('segments.name')}</span>
          <input
            className="input"
            value={name}
            maxLength={100}
            data-autofocus
            data-testid="segment-editor-name"
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? 'segment-editor-name-error' : undefined}
            onChange={(e) => {
              setName(e.target.value);
              setNameError(null);
            }}
          />
          {nameError && (
            <span className="ct-rule-error" id="segment-editor-name-error" data-testid="segment-editor-name-error">
              {t(`segmentEditor.errors.${nameError}`)}
            </span>
          )}
        </label>

        <label className="ct-seg-match">
          <span>{t('segmentEditor.match')}</span>
          <select className="input" value={match} data-testid="segment-match" onChange={(e) => setMatch(e.target.value as 'all' | 'any')}>
            <option value="all">{t('segmentEditor.matchAll')}</option>
            <option value="any">{t('segmentEditor.matchAny')}</option>
          </select>
        </label>

        <ol className="ct-rules" aria-label={t('segmentEditor.rules')}>
          {rows.map((row, index) => (
            <RuleRowView
              key={row.key}
              row={row}
              index={index}
              match={match}
              attributes={attributes}
              error={shownError(row)}
              onChange={(next) => change(row.key, next)}
              onRemove={() => removeRow(row.key)}
            />
          ))}
        </ol>
        {rows.length === 0 && (
          <p className={submitted ? 'ct-rule-error' : 'muted'} data-testid="segment-editor-no-rules">
            {t('segmentEditor.errors.noRules')}
          </p>
        )}
        <div>
          <button type="button" className="btn" onClick={addRow} disabled={rows.length >= MAX_RULES} data-testid="rule-add">
            <Plus size={14} aria-hidden />
            {t('segmentEditor.addRule')}
          </button>
        </div>
        <p className="muted ct-seg-note">{t('segmentEditor.note')}</p>
      </form>
    </Modal>
  );
}

function CountLine({ count, formatted }: { count: CountState; formatted: string }) {
  const { t } = useTranslation('contacts');
  const text =
    count.state === 'incomplete'
      ? t('segmentEditor.countIncomplete')
      : count.state === 'error'
        ? t('segmentEditor.countFailed')
        : count.value === undefined
          ? t('segmentEditor.counting')
          : t('segmentEditor.matches', { count: count.value, formatted });
  return (
    <span
      className={`ct-seg-live${count.state === 'loading' ? ' is-loading' : ''}`}
      role="status"
      aria-live="polite"
      aria-busy={count.state === 'loading'}
      data-testid="segment-editor-count"
      data-state={count.state}
      data-count={count.state === 'ready' ? count.value : undefined}
    >
      {text}
    </span>
  );
}

function RuleRowView({
  row,
  index,
  match,
  attributes,
  error,
  onChange,
  onRemove,
}: {
  row: RuleRow;
  index: number;
  match: 'all' | 'any';
  attributes: AttributeDefinition[] | null;
  error: RowError | undefined;
  onChange(next: (row: RuleRow) => RuleRow): void;
  onRemove(): void;
}) {
  const { t } = useTranslation('contacts');
  const errorId = `rule-error-${row.key}`;
  return (
    <li className={`ct-rule${error ? ' has-error' : ''}`} data-testid="rule-row" data-field={row.field}>
      <span className="ct-rule-join" aria-hidden={index === 0}>
        {index === 0 ? t('segmentEditor.where') : match === 'all' ? t('segmentEditor.joinAll') : t('segmentEditor.joinAny')}
      </span>
      <div className="ct-rule-controls">
        <select
          className="input"
          aria-label={t('segmentEditor.field')}
          data-testid="rule-field"
          value={row.field}
          onChange={(e) => onChange((r) => ({ ...newRow(e.target.value as RuleField), key: r.key }))}
        >
          {RULE_FIELDS.map((field) => (
            <option key={field} value={field}>
              {t(`segmentEditor.fields.${field}`)}
            </option>
          ))}
        </select>
        <FieldControls row={row} attributes={attributes} onChange={onChange} error={error} errorId={errorId} />
      </div>
      <button
        type="button"
        className="btn ghost icon"
        aria-label={t('segmentEditor.removeRule')}
        title={t('segmentEditor.removeRule')}
        data-testid="rule-remove"
        onClick={onRemove}
      >
        <Trash2 size={15} />
      </button>
      {error && (
        <p className="ct-rule-error" id={errorId} data-testid="rule-error" data-error={error}>
          {t(`segmentEditor.errors.${error}`)}
        </p>
      )}
    </li>
  );
}

/** Which control an error is about, so it alone is marked invalid and described by the message. */
const ERROR_TARGET: Record<RowError, 'tag' | 'country' | 'attr' | 'value' | 'days'> = {
  tagRequired: 'tag',
  countryRequired: 'country',
  attrRequired: 'attr',
  attrUnknown: 'attr',
  valueRequired: 'value',
  valueTooLong: 'value',
  numberInvalid: 'value',
  dateInvalid: 'value',
  daysInvalid: 'days',
};

function FieldControls({
  row,
  attributes,
  onChange,
  error,
  errorId,
}: {
  row: RuleRow;
  attributes: AttributeDefinition[] | null;
  onChange(next: (row: RuleRow) => RuleRow): void;
  error: RowError | undefined;
  errorId: string;
}) {
  const invalidIf = (target: (typeof ERROR_TARGET)[RowError]) =>
    error && ERROR_TARGET[error] === target ? { 'aria-invalid': true, 'aria-describedby': errorId } : {};
  const { t } = useTranslation('contacts');
  const f = useFormat();
  const tags = useStore((s) => s.contactTags);
  const stats = useStore((s) => s.contactsStats);
  const language = useStore((s) => s.language);
  const allCountries = useMemo(() => countryOptions(language), [language]);
  const set = (patch: Partial<RuleRow>) => onChange((r) => ({ ...r, ...patch }));

  switch (row.field) {
    case 'tag': {
      const names = tags.map((x) => x.name);
      return (
        <>
          <select
            className="input"
            aria-label={t('segmentEditor.operator')}
            data-testid="rule-op"
            value={row.tagOp}
            onChange={(e) => set({ tagOp: e.target.value as RuleRow['tagOp'] })}
          >
            <option value="has">{t('segmentEditor.tagOps.has')}</option>
            <option value="not_has">{t('segmentEditor.tagOps.not_has')}</option>
          </select>
          <select
            className="input"
            aria-label={t('segmentEditor.tag')}
            data-testid="rule-tag"
            value={row.tag}
            {...invalidIf('tag')}
            onChange={(e) => set({ tag: e.target.value })}
          >
            <option value="">{t('segmentEditor.chooseTag')}</option>
            {row.tag && !names.includes(row.tag) && <option value={row.tag}>{row.tag}</option>}
            {tags.map((x) => (
              <option key={x.name} value={x.name}>
                {x.name} ({f.n(x.count)})
              </option>
            ))}
          </select>
        </>
      );
    }
    case 'consent':
      return (
        <>
          <select
            className="input"
            aria-label={t('segmentEditor.category')}
            data-testid="rule-category"
            value={row.category}
            onChange={(e) => set({ category: e.target.value as ConsentCategory })}
          >
            {CONSENT_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`consent.category.${c}`)}
              </option>
            ))}
          </select>
          <select
            className="input"
            aria-label={t('segmentEditor.operator')}
            data-testid="rule-op"
            value={row.consentOp}
            onChange={(e) => set({ consentOp: e.target.value as RuleRow['consentOp'] })}
          >
            <option value="is">{t('segmentEditor.consentOps.is')}</option>
            <option value="is_not">{t('segmentEditor.consentOps.is_not')}</option>
          </select>
          <select
            className="input"
            aria-label={t('segmentEditor.consentState')}
            data-testid="rule-state"
            value={row.state}
            onChange={(e) => set({ state: e.target.value as ConsentState })}
          >
            {CONSENT_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`consent.state.${s}`)}
              </option>
            ))}
          </select>
        </>
      );
    case 'country': {
      const nameOf = (code: string) => allCountries.find((c) => c.code === code)?.name ?? code;
      const inContacts = (stats?.countries ?? []).map((c) => c.country).filter((c) => !row.countries.includes(c));
      const others = allCountries.filter((c) => !row.countries.includes(c.code) && !inContacts.includes(c.code));
      return (
        <>
          <select
            className="input"
            aria-label={t('segmentEditor.operator')}
            data-testid="rule-op"
            value={row.countryOp}
            onChange={(e) => set({ countryOp: e.target.value as RuleRow['countryOp'] })}
          >
            <option value="in">{t('segmentEditor.countryOps.in')}</option>
            <option value="not_in">{t('segmentEditor.countryOps.not_in')}</option>
          </select>
          <span className="ct-rule-chips">
            {row.countries.map((code) => (
              <span key={code} className="badge tag ct-chip" data-testid="rule-country-chip" data-country={code}>
                {nameOf(code)}
                <button
                  type="button"
                  className="ct-chip-x"
                  aria-label={t('segmentEditor.removeCountry', { country: nameOf(code) })}
                  onClick={() => set({ countries: row.countries.filter((c) => c !== code) })}
                >
                  <X size={12} />
                </button>
              </span>
            ))}
            <select
              className="input"
              aria-label={t('segmentEditor.addCountry')}
              data-testid="rule-country-add"
              value=""
              {...invalidIf('country')}
              onChange={(e) => e.target.value && set({ countries: [...row.countries, e.target.value] })}
            >
              <option value="">{t('segmentEditor.addCountry')}</option>
              {inContacts.length > 0 && (
                <optgroup label={t('segmentEditor.countriesInContacts')}>
                  {inContacts.map((c) => (
                    <option key={c} value={c}>
                      {nameOf(c)}
                    </option>
                  ))}
                </optgroup>
              )}
              <optgroup label={t('segmentEditor.countriesAll')}>
                {others.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </optgroup>
            </select>
          </span>
        </>
      );
    }
    case 'attr': {
      const def = attributes?.find((a) => a.name === row.attr);
      const type = def?.type ?? 'text';
      const ops: AttrOp[] = def ? ATTR_OPS[type] : [row.attrOp];
      const opLabel = (op: AttrOp) => t(`segmentEditor.attrOps.${type === 'date' && (op === 'gt' || op === 'lt') ? `${op}_date` : op}`);
      return (
        <>
          <select
            className="input"
            aria-label={t('segmentEditor.attribute')}
            data-testid="rule-attr"
            value={row.attr}
            {...invalidIf('attr')}
            onChange={(e) => onChange((r) => withAttribute(r, e.target.value, attributes ?? []))}
          >
            <option value="">
              {attributes && attributes.length === 0 ? t('segmentEditor.noAttributes') : t('segmentEditor.chooseAttribute')}
            </option>
            {row.attr && attributes && !def && <option value={row.attr}>{row.attr}</option>}
            {(attributes ?? []).map((a) => (
              <option key={a.name} value={a.name}>
                {a.name} · {t(`segmentEditor.types.${a.type}`)}
              </option>
            ))}
          </select>
          {row.attr && (
            <select
              className="input"
              aria-label={t('segmentEditor.operator')}
              data-testid="rule-op"
              value={row.attrOp}
              onChange={(e) => set({ attrOp: e.target.value as AttrOp })}
            >
              {ops.map((op) => (
                <option key={op} value={op}>
                  {opLabel(op)}
                </option>
              ))}
            </select>
          )}
          {row.attr &&
            def &&
            attrOpNeedsValue(row.attrOp) &&
            (type === 'boolean' ? (
              <select
                className="input"
                aria-label={t('segmentEditor.value')}
                data-testid="rule-value"
                value={row.value === 'false' ? 'false' : 'true'}
                onChange={(e) => set({ value: e.target.value })}
              >
                <option value="true">{t('segmentEditor.yes')}</option>
                <option value="false">{t('segmentEditor.no')}</option>
              </select>
            ) : (
              <input
                className="input ct-rule-value"
                aria-label={t('segmentEditor.value')}
                data-testid="rule-value"
                value={row.value}
                maxLength={500}
                type={type === 'date' ? 'date' : 'text'}
                inputMode={type === 'number' ? 'decimal' : undefined}
                dir={type === 'text' ? 'auto' : 'ltr'}
                {...invalidIf('value')}
                onChange={(e) => set({ value: e.target.value })}
              />
            ))}
        </>
      );
    }
    case 'last_messaged': {
      const days = Number(row.days);
      return (
        <>
          <select
            className="input"
            aria-label={t('segmentEditor.operator')}
            data-testid="rule-op"
            value={row.lastOp}
            onChange={(e) => set({ lastOp: e.target.value as LastOp })}
          >
            {LAST_OPS.map((op) => (
              <option key={op} value={op}>
                {t(`segmentEditor.lastOps.${op}`)}
              </option>
            ))}
          </select>
          {row.lastOp !== 'never' && (
            <span className="ct-rule-days">
              <input
                className="input"
                aria-label={t('segmentEditor.daysLabel')}
                data-testid="rule-days"
                value={row.days}
                inputMode="numeric"
                dir="ltr"
                maxLength={4}
                {...invalidIf('days')}
                onChange={(e) => set({ days: e.target.value })}
              />
              <span>{t('segmentEditor.days', { count: Number.isFinite(days) && days > 0 ? days : 2 })}</span>
            </span>
          )}
        </>
      );
    }
  }
}
