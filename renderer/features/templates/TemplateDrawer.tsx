import { useEffect, useMemo, useRef, useState } from 'react';
import { CategoryNoticeBanner } from '../marketing/CategoryNoticeBanner';
import { useTranslation } from 'react-i18next';
import { AlertOctagon, AlertTriangle, Clock, Copy, History, Info, Pencil, Trash2, X } from 'lucide-react';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { draftFromComponents } from '../../../shared/templates/draft';
import { EDITOR_LANGUAGES, type EditorMode } from './editor/TemplateEditor';
import { renderTemplate, sampleValues, templateParameters } from '../../../shared/templates/render';
import type { TemplateDetail, TemplateHistoryEntry, TemplateStatus } from '../../../shared/contract/whatsapp';
import { useFormat } from '../account/format';
import { TemplatePreview } from './TemplatePreview';
import { TemplateQualityBadge, TemplateStatusBadge } from './badges';
import { useLanguageName } from './language';

/** Statuses that deserve a sentence about what happens and what to do. */
const EXPLAINED: Partial<Record<TemplateStatus, 'error' | 'warn' | 'info'>> = {
  PAUSED: 'warn',
  REJECTED: 'error',
  DISABLED: 'error',
  PENDING: 'info',
  IN_APPEAL: 'info',
  LIMIT_EXCEEDED: 'warn',
  ARCHIVED: 'info',
  PENDING_DELETION: 'warn',
  DELETED: 'info',
};

/** Side panel: the template rendered as a WhatsApp bubble, its facts, and its history of changes. */
/** Statuses Meta lets a template be edited in (it then goes back to review). */
const EDITABLE: readonly TemplateStatus[] = ['APPROVED', 'REJECTED', 'PAUSED', 'DISABLED'];

export function TemplateDrawer({
  detail,
  onClose,
  onEdit,
}: {
  detail: TemplateDetail;
  onClose: () => void;
  onEdit?: (mode: EditorMode) => void;
}) {
  const { t } = useTranslation('templates');
  const f = useFormat();
  const languageName = useLanguageName();
  const closeRef = useRef<HTMLButtonElement>(null);
  const params = useMemo(() => templateParameters(detail), [detail]);
  const samples = useMemo(() => sampleValues(detail), [detail]);
  const [values, setValues] = useState<{ header: Record<string, string>; body: Record<string, string> }>({ header: {}, body: {} });
  useEffect(() => {
    setValues({ header: { ...samples.header }, body: { ...samples.body } });
  }, [samples]);
  const rendered = useMemo(() => renderTemplate(detail, values), [detail, values]);

  const panelRef = useRef<HTMLElement>(null);
  // A modal panel: focus moves in, Tab stays inside, Escape closes, focus returns where it was.
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
      if (e.key !== 'Tab' || !panelRef.current) return;
      const items = [
        ...panelRef.current.querySelectorAll<HTMLElement>(
          'button, input, select, textarea, a[href], summary, [tabindex]:not([tabindex="-1"])',
        ),
      ].filter((el) => !el.hasAttribute('disabled'));
      const first = items[0];
      const last = items.at(-1);
      if (!first || !last) return;
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      if (before?.isConnected) before.focus();
    };
  }, [onClose]);

  const tone = EXPLAINED[detail.status];
  const hasParams = params.header.length + params.body.length > 0;
  return (
    <>
      <div className="tpl-backdrop" onClick={onClose} aria-hidden />
      <aside
        ref={panelRef}
        className="tpl-drawer"
        role="dialog"
        aria-modal="true"
        aria-labelledby="drawer-title"
        data-testid="template-drawer"
      >
        <header className="tpl-drawer-head">
          <div className="grow">
            <h2 id="drawer-title" className="mono-name" translate="no">
              {detail.name}
            </h2>
            <div className="tpl-drawer-meta">
              <TemplateStatusBadge status={detail.status} />
              <TemplateQualityBadge quality={detail.quality} />
              <span className="badge">{t(`category.${detail.category}`)}</span>
              <span className="muted small">{languageName(detail.language)}</span>
            </div>
          </div>
          <button ref={closeRef} className="btn ghost" onClick={onClose} aria-label={t('common:actions.close')} data-testid="drawer-close">
            <X size={18} />
          </button>
        </header>
        <div className="tpl-drawer-body">
          <CategoryNoticeBanner name={detail.name} language={detail.language} />
          {tone && (
            <div className={`banner ${tone} small`} data-testid="status-explain">
              {tone === 'error' ? (
                <AlertOctagon size={18} aria-hidden />
              ) : tone === 'warn' ? (
                <AlertTriangle size={18} aria-hidden />
              ) : (
                <Info size={18} aria-hidden />
              )}
              <div className="grow">
                <strong>{t(`explain.${detail.status}.title`)}</strong>
                <p>{t(`explain.${detail.status}.body`)}</p>
                {detail.status === 'REJECTED' && detail.rejectedReason && (
                  <p data-testid="drawer-reason">
                    <strong>{t('reason.label')}:</strong> {t(`reason.${detail.rejectedReason}`, { defaultValue: detail.rejectedReason })}
                  </p>
                )}
              </div>
            </div>
          )}

          {onEdit && detail.status !== 'DELETED' && detail.status !== 'PENDING_DELETION' && (
            <TemplateActions detail={detail} onEdit={onEdit} onDeleted={onClose} />
          )}
          <section aria-labelledby="preview-title" className="tpl-section">
            <h3 id="preview-title">{t('preview.title')}</h3>
            <TemplatePreview rendered={rendered} />
            {rendered.missing.length > 0 && (
              <p className="small field-error">{t('preview.missing', { names: rendered.missing.map((n) => `{{${n}}}`).join(', ') })}</p>
            )}
          </section>

          {hasParams && (
            <section aria-labelledby="values-title" className="tpl-section">
              <h3 id="values-title">{t('preview.values')}</h3>
              <p className="small muted">{t('preview.valuesHint')}</p>
              <div className="param-grid">
                {(['header', 'body'] as const).flatMap((part) =>
                  params[part].map((name) => (
                    <label key={`${part}-${name}`} className="param-row">
                      <span className="mono small">
                        {part === 'header' ? `${t('preview.header')} ` : ''}
                        {`{{${name}}}`}
                      </span>
                      <input
                        className="input"
                        dir="auto"
                        value={values[part][name] ?? ''}
                        onChange={(e) => setValues((v) => ({ ...v, [part]: { ...v[part], [name]: e.target.value } }))}
                      />
                    </label>
                  )),
                )}
              </div>
            </section>
          )}

          <section aria-labelledby="facts-title" className="tpl-section">
            <h3 id="facts-title">{t('facts.title')}</h3>
            <dl className="kv">
              <dt>{t('facts.id')}</dt>
              <dd className="mono">{detail.id}</dd>
              <dt>{t('facts.language')}</dt>
              <dd>
                {languageName(detail.language)} <span className="mono muted small">{detail.language}</span>
              </dd>
              <dt>{t('facts.category')}</dt>
              <dd>
                {t(`category.${detail.category}`)}
                {detail.previousCategory && (
                  <span className="muted small"> · {t('facts.previously', { category: detail.previousCategory })}</span>
                )}
              </dd>
              <dt>{t('facts.parameters')}</dt>
              <dd>
                {t(`facts.format.${detail.parameterFormat}`)}
                {detail.variables.length > 0 && (
                  <>
                    {' '}
                    · <span className="mono small">{detail.variables.map((v) => `{{${v}}}`).join(' ')}</span>
                  </>
                )}
              </dd>
              <dt>{t('facts.sendable')}</dt>
              <dd>{detail.sendable ? t('facts.yes') : t('facts.no')}</dd>
              <dt>{t('facts.changed')}</dt>
              <dd>{f.dateTime(detail.lastChangedAt)}</dd>
              <dt>{t('facts.synced')}</dt>
              <dd>{f.ago(detail.syncedAt)}</dd>
            </dl>
          </section>

          <section aria-labelledby="history-title" className="tpl-section">
            <h3 id="history-title">
              <History size={16} aria-hidden className="inline-icon" />
              {t('history.title')}
            </h3>
            {detail.history.length === 0 ? (
              <p className="muted small">{t('history.empty')}</p>
            ) : (
              <ol className="tpl-timeline" data-testid="template-history">
                {detail.history.map((h, i) => (
                  <HistoryItem key={i} h={h} />
                ))}
              </ol>
            )}
          </section>
        </div>
      </aside>
    </>
  );
}

function HistoryItem({ h }: { h: TemplateHistoryEntry }) {
  const { t } = useTranslation('templates');
  const f = useFormat();
  const label = (v: string | null) => {
    if (v === null) return '—';
    if (h.kind === 'status') return t(`status.${v}`, { defaultValue: v });
    if (h.kind === 'quality') return t(`quality.${v}`, { defaultValue: v });
    if (h.kind === 'category') return t(`category.${v}`, { defaultValue: v });
    return v;
  };
  const tone =
    h.kind === 'status'
      ? h.to === 'APPROVED'
        ? 'green'
        : h.to === 'REJECTED' || h.to === 'DISABLED'
          ? 'red'
          : h.to === 'PAUSED'
            ? 'yellow'
            : ''
      : h.kind === 'quality'
        ? h.to === 'GREEN'
          ? 'green'
          : h.to === 'YELLOW'
            ? 'yellow'
            : h.to === 'RED'
              ? 'red'
              : ''
        : '';
  return (
    <li className={`tpl-timeline-item ${tone}`}>
      <span className="tpl-timeline-dot" aria-hidden />
      <div>
        <div className="tpl-timeline-what">
          {h.kind === 'created' || h.kind === 'removed' || h.kind === 'components' ? (
            t(`history.kind.${h.kind}`)
          ) : (
            <>
              {t(`history.kind.${h.kind}`)}:{' '}
              {h.from !== null && (
                <>
                  {label(h.from)}{' '}
                  <span aria-hidden className="arrow">
                    →
                  </span>{' '}
                </>
              )}
              <strong>{label(h.to)}</strong>
            </>
          )}
        </div>
        {h.reason && h.reason !== 'NONE' && (
          <div className="small muted">{t(`reason.${h.reason}`, { defaultValue: t(`pause.${h.reason}`, { defaultValue: h.reason }) })}</div>
        )}
        <div className="small muted">
          <Clock size={12} aria-hidden className="inline-icon tight" />
          {f.dateTime(h.at)} · {t(`history.source.${h.source}`)}
        </div>
      </div>
    </li>
  );
}

/** Edit (back to review), duplicate into another language, delete (confirmed in place). */
function TemplateActions({
  detail,
  onEdit,
  onDeleted,
}: {
  detail: TemplateDetail;
  onEdit: (mode: EditorMode) => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation('templates');
  const toast = useStore((s) => s.toast);
  const loadTemplates = useStore((s) => s.loadTemplates);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const draft = () =>
    draftFromComponents(
      { name: detail.name, language: detail.language, category: detail.category, parameterFormat: detail.parameterFormat },
      detail.components as never,
    );
  const remove = async () => {
    setBusy(true);
    const r = await api.call('templates:delete', { id: detail.id });
    setBusy(false);
    if (!r.ok) return toast('error', t('editor.deleteFailed', { name: detail.name }));
    toast('success', t('editor.deletedToast', { name: detail.name }));
    await loadTemplates();
    onDeleted();
  };
  return (
    <div className="tpl-drawer-actions" data-testid="template-actions">
      {EDITABLE.includes(detail.status) && detail.category !== 'AUTHENTICATION' && (
        <button className="btn" onClick={() => onEdit({ kind: 'edit', id: detail.id, draft: draft() })} data-testid="template-edit">
          <Pencil size={15} aria-hidden />
          {t('editor.edit')}
        </button>
      )}
      {detail.category !== 'AUTHENTICATION' && (
        <button
          className="btn"
          onClick={() =>
            onEdit({ kind: 'duplicate', draft: { ...draft(), language: EDITOR_LANGUAGES.find((l) => l !== detail.language) ?? 'en_US' } })
          }
          data-testid="template-duplicate"
        >
          <Copy size={15} aria-hidden />
          {t('editor.duplicate')}
        </button>
      )}
      {confirming ? (
        <div className="confirm" role="alertdialog" aria-labelledby="delete-q" data-testid="template-delete-confirm">
          <span id="delete-q" className="small">
            {t('editor.deleteQuestion', { name: detail.name })}
          </span>
          <button className="btn danger" onClick={() => void remove()} disabled={busy} data-testid="template-delete-yes">
            {t('editor.deleteYes')}
          </button>
          <button className="btn" onClick={() => setConfirming(false)} disabled={busy} autoFocus>
            {t('editor.deleteNo')}
          </button>
        </div>
      ) : (
        <button className="btn danger" onClick={() => setConfirming(true)} data-testid="template-delete">
          <Trash2 size={15} aria-hidden />
          {t('editor.delete')}
        </button>
      )}
    </div>
  );
}
