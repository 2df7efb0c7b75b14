import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertOctagon, Loader2, Plus, Send, Trash2, X } from 'lucide-react';
import { api } from '../../../api/client';
import { useStore } from '../../../store';
import { renderTemplate } from '../../../../shared/templates/render';
import {
  DRAFT_CATEGORIES,
  draftComponents,
  TEMPLATE_LIMITS,
  validateDraft,
  variablesOf,
  type DraftButton,
  type DraftIssue,
  type TemplateDraft,
} from '../../../../shared/templates/draft';
import { TemplatePreview } from '../TemplatePreview';
import { useLanguageName } from '../language';
import { TemplateTtlField } from './TtlField';
import './editor.css';

/** Meta's language codes offered first; any other code can be typed. */
export const EDITOR_LANGUAGES = ['en_US', 'en_GB', 'he', 'zh_TW', 'zh_HK', 'zh_CN', 'ar', 'es', 'fr', 'de', 'it', 'pt_BR', 'ru'] as const;

/** The opt-out button's default label is in the template's language, not the UI's. */
const catalogueFor = (templateLanguage: string) =>
  templateLanguage.startsWith('he') ? 'he' : templateLanguage.startsWith('zh') ? 'zh-TW' : 'en';

/** Literal {{1}} {{2}} {{3}} inside translated text (i18next would read them as its own placeholders). */
const SLOTS = { v1: '{{1}}', v2: '{{2}}', v3: '{{3}}', interpolation: { escapeValue: false } };

type HeaderKind = 'NONE' | 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT';
const ACCEPT: Record<Exclude<HeaderKind, 'NONE' | 'TEXT'>, string> = {
  IMAGE: 'image/jpeg,image/png',
  VIDEO: 'video/mp4',
  DOCUMENT: 'application/pdf',
};

export type EditorMode = { kind: 'new' } | { kind: 'edit'; id: string; draft: TemplateDraft } | { kind: 'duplicate'; draft: TemplateDraft };

interface Failure {
  /** Meta's own words when it refused the template (shown as is, under a translated label). */
  meta?: string;
  issues?: DraftIssue[];
  code?: string;
}

/**
 * Writing a template: the form on one side, the WhatsApp bubble on the other (right-to-left for a
 * Hebrew or Arabic template whatever the UI language), and Meta's rules checked as the user types
 * (shared/templates/draft.ts, the same rules the core checks before it calls Meta).
 */
export function TemplateEditor({ mode, onClose }: { mode: EditorMode; onClose: (createdId?: string) => void }) {
  const { t } = useTranslation('templates');
  const languageName = useLanguageName();
  const uiLanguage = useStore((s) => s.language);
  const toast = useStore((s) => s.toast);
  const loadTemplates = useStore((s) => s.loadTemplates);
  const [draft, setDraft] = useState<TemplateDraft>(() =>
    mode.kind === 'new'
      ? {
          name: '',
          language: uiLanguage === 'he' ? 'he' : uiLanguage === 'zh-TW' ? 'zh_TW' : 'en_US',
          category: 'MARKETING',
          parameterFormat: 'positional',
          body: { text: '', examples: {} },
          buttons: [],
        }
      : mode.draft,
  );
  const [headerFile, setHeaderFile] = useState<File | null>(null);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const panelRef = useRef<HTMLElement>(null);
  const firstRef = useRef<HTMLInputElement>(null);

  // Focus goes to the first field once, when the editor opens: the parent passes a new onClose on
  // every render, and re-focusing then would pull the caret out of the field being typed in.
  useEffect(() => {
    firstRef.current?.focus();
  }, []);
  const closeRef = useRef({ onClose, busy });
  closeRef.current = { onClose, busy };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !closeRef.current.busy) closeRef.current.onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const headerKind: HeaderKind = draft.header ? draft.header.format : 'NONE';
  const issues = useMemo(() => validateDraft(draft, { headerMediaReady: headerFile !== null }), [draft, headerFile]);
  const issuesOf = (field: string) =>
    touched ? issues.filter((i) => i.field === field || (field === 'buttons' && i.field.startsWith('buttons'))) : [];
  const rendered = useMemo(
    () =>
      renderTemplate({
        language: draft.language,
        parameter_format: draft.parameterFormat.toUpperCase(),
        components: draftComponents(draft) as never,
      }),
    [draft],
  );
  const bodyVars = variablesOf(draft.body.text);
  const headerVar = draft.header?.format === 'TEXT' ? variablesOf(draft.header.text)[0] : undefined;

  const set = (patch: Partial<TemplateDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setFailure(null);
  };
  const setButton = (i: number, b: DraftButton) => set({ buttons: draft.buttons.map((x, j) => (j === i ? b : x)) });
  const addVariable = () => {
    const next = draft.parameterFormat === 'positional' ? String(bodyVars.length + 1) : `name_${bodyVars.length + 1}`;
    set({ body: { ...draft.body, text: `${draft.body.text}{{${next}}}` } });
  };
  const issueText = (i: DraftIssue) =>
    t(`editor.issue.${i.code}`, {
      ...i.params,
      ...SLOTS,
      ...(i.params?.variable !== undefined ? { variable: `{{${i.params.variable}}}` } : {}),
      ...(i.params?.type ? { type: t(`editor.buttons.type.${i.params.type}`) } : {}),
    });

  const submit = async () => {
    setTouched(true);
    if (issues.length) return;
    setBusy(true);
    setFailure(null);
    let toSend = draft;
    let staged: string | null = null;
    if (headerFile && draft.header && draft.header.format !== 'TEXT') {
      const up = await api.uploadFile(headerFile);
      if (!up.ok) {
        setBusy(false);
        return setFailure({ code: up.code });
      }
      staged = up.value.fileId;
      toSend = { ...draft, header: { format: draft.header.format, fileId: staged } };
    }
    const r =
      mode.kind === 'edit'
        ? await api.call('templates:edit', { id: mode.id, draft: toSend })
        : await api.call('templates:create', { draft: toSend });
    if (staged) void api.call('files:discard', { fileId: staged });
    setBusy(false);
    if (!r.ok) {
      const d = r.details as { reason?: string; issues?: DraftIssue[]; graph?: { message?: string } } | undefined;
      if (d?.reason === 'template_invalid' && d.issues) return setFailure({ issues: d.issues });
      if (d?.reason === 'meta_refused') return setFailure({ meta: d.graph?.message ?? r.message });
      return setFailure({ code: r.code, meta: r.message });
    }
    toast('success', t(mode.kind === 'edit' ? 'editor.editedToast' : 'editor.submittedToast', { name: r.value.name }));
    await loadTemplates();
    onClose(r.value.id);
  };

  const fixedIdentity = mode.kind === 'edit';
  const title = t(`editor.title.${mode.kind}`);
  return (
    <>
      <div className="tpl-backdrop" aria-hidden onClick={() => !busy && onClose()} />
      <section
        ref={panelRef}
        className="tpl-editor"
        role="dialog"
        aria-modal="true"
        aria-labelledby="editor-title"
        data-testid="template-editor"
      >
        <header className="tpl-editor-head">
          <h2 id="editor-title">{title}</h2>
          <button
            className="btn ghost"
            onClick={() => onClose()}
            aria-label={t('common:actions.close')}
            data-testid="editor-close"
            disabled={busy}
          >
            <X size={18} />
          </button>
        </header>
        <div className="tpl-editor-grid">
          <form
            className="tpl-editor-form"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
            noValidate
          >
            <div className="field-row">
              <label className="field grow">
                <span>{t('editor.name')}</span>
                <input
                  ref={firstRef}
                  className="input mono"
                  dir="ltr"
                  value={draft.name}
                  disabled={fixedIdentity}
                  data-testid="editor-name"
                  onChange={(e) => set({ name: e.target.value })}
                  placeholder="spring_offer"
                  aria-describedby="editor-name-hint"
                />
                <small id="editor-name-hint" className="muted">
                  {t('editor.nameHint')}
                </small>
                <Issues list={issuesOf('name')} text={issueText} />
              </label>
              <label className="field">
                <span>{t('editor.language')}</span>
                <select
                  className="input"
                  value={draft.language}
                  disabled={fixedIdentity}
                  data-testid="editor-language"
                  onChange={(e) => set({ language: e.target.value })}
                >
                  {[...new Set([...EDITOR_LANGUAGES, draft.language])].map((l) => (
                    <option key={l} value={l}>
                      {languageName(l)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <fieldset className="field">
              <legend>{t('editor.category')}</legend>
              <div className="choice-row">
                {DRAFT_CATEGORIES.map((c) => (
                  <label key={c} className={`choice ${draft.category === c ? 'on' : ''}`}>
                    <input
                      type="radio"
                      name="category"
                      value={c}
                      checked={draft.category === c}
                      onChange={() => set({ category: c })}
                      data-testid={`editor-category-${c}`}
                    />
                    <span>
                      <strong>{t(`category.${c}`)}</strong>
                      <small className="muted">{t(`editor.categoryHint.${c}`)}</small>
                    </span>
                  </label>
                ))}
              </div>
              <small className="muted">{t('editor.authenticationNote')}</small>
            </fieldset>
            {draft.category === 'MARKETING' && (
              <>
                <TemplateTtlField seconds={draft.ttlSeconds} onChange={(ttlSeconds) => set({ ttlSeconds })} />
                <Issues list={issuesOf('ttl')} text={issueText} />
              </>
            )}
            <fieldset className="field">
              <legend>{t('editor.variables')}</legend>
              <div className="choice-row">
                {(['positional', 'named'] as const).map((p) => (
                  <label key={p} className={`choice ${draft.parameterFormat === p ? 'on' : ''}`}>
                    <input
                      type="radio"
                      name="format"
                      checked={draft.parameterFormat === p}
                      onChange={() => set({ parameterFormat: p })}
                      data-testid={`editor-format-${p}`}
                    />
                    <span>
                      <strong>{t(`editor.format.${p}`)}</strong>
                      <small className="muted" dir="ltr">
                        {p === 'positional' ? '{{1}} {{2}}' : '{{first_name}}'}
                      </small>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>

            <fieldset className="field">
              <legend>{t('editor.header')}</legend>
              <select
                className="input"
                value={headerKind}
                data-testid="editor-header-kind"
                onChange={(e) => {
                  const k = e.target.value as HeaderKind;
                  setHeaderFile(null);
                  set({ header: k === 'NONE' ? undefined : k === 'TEXT' ? { format: 'TEXT', text: '' } : { format: k } });
                }}
              >
                {(['NONE', 'TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT'] as const).map((k) => (
                  <option key={k} value={k}>
                    {t(`editor.headerKind.${k}`)}
                  </option>
                ))}
              </select>
              {draft.header?.format === 'TEXT' && (
                <>
                  <input
                    className="input"
                    dir="auto"
                    value={draft.header.text}
                    maxLength={TEMPLATE_LIMITS.headerTextMax + 20}
                    data-testid="editor-header-text"
                    onChange={(e) =>
                      set({
                        header: {
                          format: 'TEXT',
                          text: e.target.value,
                          ...(draft.header?.format === 'TEXT' && draft.header.example !== undefined
                            ? { example: draft.header.example }
                            : {}),
                        },
                      })
                    }
                  />
                  <Counter n={draft.header.text.length} max={TEMPLATE_LIMITS.headerTextMax} />
                  {headerVar !== undefined && (
                    <label className="param-row">
                      <span className="mono small" dir="ltr">{`{{${headerVar}}}`}</span>
                      <input
                        className="input"
                        dir="auto"
                        placeholder={t('editor.example')}
                        value={draft.header.example ?? ''}
                        data-testid="editor-header-example"
                        onChange={(e) =>
                          set({
                            header: {
                              format: 'TEXT',
                              text: draft.header?.format === 'TEXT' ? draft.header.text : '',
                              example: e.target.value,
                            },
                          })
                        }
                      />
                    </label>
                  )}
                </>
              )}
              {draft.header && draft.header.format !== 'TEXT' && (
                <label className="field">
                  <span className="small">{t('editor.headerExample')}</span>
                  <input
                    type="file"
                    accept={ACCEPT[draft.header.format]}
                    data-testid="editor-header-file"
                    onChange={(e) => {
                      setHeaderFile(e.target.files?.[0] ?? null);
                      setFailure(null);
                    }}
                  />
                  <small className="muted">
                    {headerFile ? headerFile.name : draft.header.handle ? t('editor.headerKept') : t('editor.headerExampleHint')}
                  </small>
                </label>
              )}
              <Issues list={issuesOf('header')} text={issueText} />
            </fieldset>

            <fieldset className="field">
              <legend>{t('editor.body')}</legend>
              <textarea
                className="input"
                dir="auto"
                rows={6}
                value={draft.body.text}
                data-testid="editor-body"
                onChange={(e) => set({ body: { ...draft.body, text: e.target.value } })}
                aria-describedby="editor-body-hint"
              />
              <div className="field-row between">
                <small id="editor-body-hint" className="muted">
                  {t('editor.bodyHint', SLOTS)}
                </small>
                <Counter n={draft.body.text.length} max={TEMPLATE_LIMITS.bodyMax} />
              </div>
              <button type="button" className="btn small" onClick={addVariable} data-testid="editor-add-variable">
                <Plus size={14} aria-hidden />
                {t('editor.addVariable')}
              </button>
              {bodyVars.length > 0 && (
                <div className="param-grid" data-testid="editor-examples">
                  <p className="small muted">{t('editor.examplesHint')}</p>
                  {bodyVars.map((v) => (
                    <label key={v} className="param-row">
                      <span className="mono small" dir="ltr">{`{{${v}}}`}</span>
                      <input
                        className="input"
                        dir="auto"
                        placeholder={t('editor.example')}
                        value={draft.body.examples[v] ?? ''}
                        data-testid={`editor-example-${v}`}
                        onChange={(e) => set({ body: { ...draft.body, examples: { ...draft.body.examples, [v]: e.target.value } } })}
                      />
                    </label>
                  ))}
                </div>
              )}
              <Issues list={issuesOf('body')} text={issueText} />
            </fieldset>

            <label className="field">
              <span>{t('editor.footer')}</span>
              <input
                className="input"
                dir="auto"
                value={draft.footer ?? ''}
                data-testid="editor-footer"
                onChange={(e) => set({ footer: e.target.value })}
                placeholder={t('editor.footerPlaceholder')}
              />
              <Issues list={issuesOf('footer')} text={issueText} />
            </label>

            <fieldset className="field">
              <legend>{t('editor.buttons.title')}</legend>
              {draft.buttons.map((b, i) => (
                <div key={i} className="tpl-button-row" data-testid={`editor-button-${i}`}>
                  <span className="badge">{t(`editor.buttons.type.${b.type === 'QUICK_REPLY' && b.optOut ? 'OPT_OUT' : b.type}`)}</span>
                  {b.type !== 'COPY_CODE' && (
                    <input
                      className="input"
                      dir="auto"
                      placeholder={t('editor.buttons.label')}
                      value={b.text}
                      aria-label={t('editor.buttons.label')}
                      onChange={(e) => setButton(i, { ...b, text: e.target.value })}
                      data-testid={`editor-button-${i}-text`}
                    />
                  )}
                  {b.type === 'URL' && (
                    <>
                      <input
                        className="input"
                        dir="ltr"
                        placeholder="https://example.com/{{1}}"
                        value={b.url}
                        aria-label={t('editor.buttons.url')}
                        onChange={(e) => setButton(i, { ...b, url: e.target.value })}
                        data-testid={`editor-button-${i}-url`}
                      />
                      {variablesOf(b.url).length > 0 && (
                        <input
                          className="input"
                          dir="ltr"
                          placeholder={t('editor.buttons.urlExample')}
                          value={b.example ?? ''}
                          aria-label={t('editor.buttons.urlExample')}
                          onChange={(e) => setButton(i, { ...b, example: e.target.value })}
                        />
                      )}
                    </>
                  )}
                  {b.type === 'PHONE_NUMBER' && (
                    <input
                      className="input"
                      dir="ltr"
                      placeholder="+972 3 123 4567"
                      value={b.phone}
                      aria-label={t('editor.buttons.phone')}
                      onChange={(e) => setButton(i, { ...b, phone: e.target.value })}
                    />
                  )}
                  {b.type === 'COPY_CODE' && (
                    <input
                      className="input mono"
                      dir="ltr"
                      placeholder="SAVE10"
                      value={b.example}
                      aria-label={t('editor.buttons.code')}
                      onChange={(e) => setButton(i, { ...b, example: e.target.value })}
                    />
                  )}
                  <button
                    type="button"
                    className="btn ghost"
                    aria-label={t('editor.buttons.remove')}
                    onClick={() => set({ buttons: draft.buttons.filter((_, j) => j !== i) })}
                  >
                    <Trash2 size={15} />
                  </button>
                </div>
              ))}
              <div className="choice-row wrap">
                <button
                  type="button"
                  className="btn small"
                  data-testid="editor-add-quick-reply"
                  onClick={() => set({ buttons: [...draft.buttons, { type: 'QUICK_REPLY', text: '' }] })}
                >
                  <Plus size={14} aria-hidden />
                  {t('editor.buttons.type.QUICK_REPLY')}
                </button>
                <button
                  type="button"
                  className="btn small"
                  data-testid="editor-add-opt-out"
                  onClick={() =>
                    set({
                      buttons: [
                        ...draft.buttons,
                        {
                          type: 'QUICK_REPLY',
                          text: t('editor.buttons.optOutDefault', { lng: catalogueFor(draft.language) }),
                          optOut: true,
                        },
                      ],
                    })
                  }
                >
                  <Plus size={14} aria-hidden />
                  {t('editor.buttons.type.OPT_OUT')}
                </button>
                <button
                  type="button"
                  className="btn small"
                  data-testid="editor-add-url"
                  onClick={() => set({ buttons: [...draft.buttons, { type: 'URL', text: '', url: '' }] })}
                >
                  <Plus size={14} aria-hidden />
                  {t('editor.buttons.type.URL')}
                </button>
                <button
                  type="button"
                  className="btn small"
                  onClick={() => set({ buttons: [...draft.buttons, { type: 'PHONE_NUMBER', text: '', phone: '' }] })}
                >
                  <Plus size={14} aria-hidden />
                  {t('editor.buttons.type.PHONE_NUMBER')}
                </button>
                <button
                  type="button"
                  className="btn small"
                  onClick={() => set({ buttons: [...draft.buttons, { type: 'COPY_CODE', example: '' }] })}
                >
                  <Plus size={14} aria-hidden />
                  {t('editor.buttons.type.COPY_CODE')}
                </button>
              </div>
              <small className="muted">{t('editor.buttons.hint')}</small>
              <Issues list={issuesOf('buttons')} text={issueText} />
            </fieldset>
          </form>

          <aside className="tpl-editor-preview" aria-labelledby="editor-preview-title">
            <h3 id="editor-preview-title">{t('editor.preview', { language: languageName(draft.language) })}</h3>
            <TemplatePreview rendered={rendered} />
            <p className="small muted">{t(rendered.dir === 'rtl' ? 'editor.previewRtl' : 'editor.previewLtr')}</p>
          </aside>
        </div>
        <footer className="tpl-editor-foot">
          {failure && (
            <div className="banner error small grow" role="alert" data-testid="editor-failure">
              <AlertOctagon size={18} aria-hidden />
              <div className="grow">
                <strong>
                  {t(failure.meta && !failure.code ? 'editor.metaRefused' : failure.issues ? 'editor.invalid' : 'editor.failed')}
                </strong>
                {failure.issues && (
                  <ul>
                    {failure.issues.map((i, k) => (
                      <li key={k}>{issueText(i)}</li>
                    ))}
                  </ul>
                )}
                {failure.meta && (
                  <p>
                    <span className="muted">{t('editor.metaSaid')}</span> <span dir="auto">{failure.meta}</span>
                  </p>
                )}
              </div>
            </div>
          )}
          {touched && issues.length > 0 && !failure && (
            <p className="small field-error grow" data-testid="editor-issue-count">
              {t('editor.problems', { count: issues.length })}
            </p>
          )}
          <button className="btn" onClick={() => onClose()} disabled={busy}>
            {t('editor.cancel')}
          </button>
          <button
            className="btn primary"
            onClick={() => void submit()}
            disabled={busy || (touched && issues.length > 0)}
            data-testid="editor-submit"
            title={touched && issues.length > 0 ? t('editor.problems', { count: issues.length }) : undefined}
          >
            {busy ? <Loader2 size={16} className="spin" aria-hidden /> : <Send size={16} aria-hidden />}
            {t(mode.kind === 'edit' ? 'editor.resubmit' : 'editor.submit')}
          </button>
        </footer>
      </section>
    </>
  );
}

function Issues({ list, text }: { list: DraftIssue[]; text: (i: DraftIssue) => string }) {
  if (!list.length) return null;
  return (
    <ul className="field-issues" data-testid="editor-issues">
      {list.map((i, k) => (
        <li key={k} className="small field-error" data-code={i.code}>
          {text(i)}
        </li>
      ))}
    </ul>
  );
}

function Counter({ n, max }: { n: number; max: number }) {
  return (
    <small className={`muted counter ${n > max ? 'over' : ''}`} dir="ltr">
      {n}/{max}
    </small>
  );
}
