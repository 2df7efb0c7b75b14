import { useEffect, useMemo, useState } from 'react';
import { CategoryNoticeList } from '../marketing/CategoryNoticeList';
import { useTranslation } from 'react-i18next';
import { Building2, FileText, Loader2, Plus, RefreshCw, Search, SearchX } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { useStore } from '../../store';
import { TEMPLATE_CATEGORIES, TEMPLATE_STATUSES, type TemplateSummary } from '../../../shared/contract/whatsapp';
import { segmentsToText, renderTemplate, templateDirection } from '../../../shared/templates/render';
import { useFormat } from '../account/format';
import { TemplateDrawer } from './TemplateDrawer';
import { TemplateEditor, type EditorMode } from './editor/TemplateEditor';
import { TemplateQualityBadge, TemplateStatusBadge } from './badges';
import { useLanguageName } from './language';
import '../account/account.css';
import './templates.css';

interface Filters {
  search: string;
  status: string;
  category: string;
  language: string;
}
const NO_FILTERS: Filters = { search: '', status: '', category: '', language: '' };

/** The body as plain text with sample values — what the list shows under each name. */
const snippet = (tpl: TemplateSummary) => segmentsToText(renderTemplate(tpl).body);

function matches(tpl: TemplateSummary, f: Filters, bodies: Map<string, string>): boolean {
  if (f.status && tpl.status !== f.status) return false;
  if (f.category && tpl.category !== f.category) return false;
  if (f.language && tpl.language !== f.language) return false;
  const q = f.search.trim().toLowerCase();
  if (q && !tpl.name.toLowerCase().includes(q) && !(bodies.get(tpl.id) ?? '').toLowerCase().includes(q)) return false;
  return true;
}

export function TemplatesPage() {
  const { t } = useTranslation('templates');
  const f = useFormat();
  const languageName = useLanguageName();
  const account = useStore((s) => s.account);
  const templates = useStore((s) => s.templates);
  const error = useStore((s) => s.templatesError);
  const syncing = useStore((s) => s.syncing);
  const lastSync = useStore((s) => s.lastSync);
  const detail = useStore((s) => s.templateDetail);
  const initTemplates = useStore((s) => s.initTemplates);
  const initAccount = useStore((s) => s.initAccount);
  const sync = useStore((s) => s.syncTemplates);
  const open = useStore((s) => s.openTemplate);
  const close = useStore((s) => s.closeTemplate);
  const navigate = useStore((s) => s.navigate);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [editor, setEditor] = useState<EditorMode | null>(null);

  useEffect(() => {
    void initTemplates();
    if (!useStore.getState().account) void initAccount();
  }, [initTemplates, initAccount]);

  const bodies = useMemo(() => new Map((templates ?? []).map((tpl) => [tpl.id, snippet(tpl)])), [templates]);
  const languages = useMemo(() => [...new Set((templates ?? []).map((tpl) => tpl.language))].sort(), [templates]);
  const statuses = useMemo(() => TEMPLATE_STATUSES.filter((s) => templates?.some((tpl) => tpl.status === s)), [templates]);
  const categories = useMemo(() => TEMPLATE_CATEGORIES.filter((c) => templates?.some((tpl) => tpl.category === c)), [templates]);
  const shown = useMemo(() => (templates ?? []).filter((tpl) => matches(tpl, filters, bodies)), [templates, filters, bodies]);
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const tpl of templates ?? []) c[tpl.status] = (c[tpl.status] ?? 0) + 1;
    return c;
  }, [templates]);

  const connected = account?.connected === true;
  const syncedAt = lastSync?.at ?? account?.lastTemplateSyncAt ?? null;
  const filtered = filters.search || filters.status || filters.category || filters.language;

  const syncButton = (
    <div className="sync-box">
      <button className="btn" onClick={() => setEditor({ kind: 'new' })} data-testid="template-new">
        <Plus size={16} aria-hidden />
        {t('editor.new')}
      </button>
      <span className="small muted" data-testid="last-synced" aria-live="polite">
        {syncing ? t('sync.running') : syncedAt ? t('sync.last', { when: f.ago(syncedAt) }) : t('sync.never')}
      </span>
      <button className="btn primary" onClick={() => void sync()} disabled={syncing || !connected} data-testid="sync-templates">
        {syncing ? <Loader2 size={16} className="spin" aria-hidden /> : <RefreshCw size={16} aria-hidden />}
        {t('sync.action')}
      </button>
    </div>
  );

  return (
    <div className="page templates-page">
      <PageHeader title={t('title')} subtitle={t('subtitle')} actions={connected ? syncButton : undefined} />
      <CategoryNoticeList />
      {lastSync && !syncing && (
        <div className="banner info small" role="status" data-testid="sync-result">
          <RefreshCw size={16} aria-hidden />
          <span>
            {t('sync.result', { total: lastSync.total, added: lastSync.added, updated: lastSync.updated, removed: lastSync.removed })}
          </span>
        </div>
      )}

      {account && !connected && (templates?.length ?? 0) === 0 && (
        <EmptyState
          icon={Building2}
          title={t('empty.notConnectedTitle')}
          body={t('empty.notConnectedBody')}
          action={
            <button className="btn primary" onClick={() => navigate('account')} data-testid="templates-connect">
              {t('empty.connect')}
            </button>
          }
        />
      )}
      {templates === null && !error && (connected || !account) && <TemplatesSkeleton />}
      {templates === null && error && (
        <div className="banner error" role="alert">
          {t('loadFailed', { message: error })}
        </div>
      )}
      {templates !== null && templates.length === 0 && connected && (
        <EmptyState
          icon={FileText}
          title={t('empty.noneTitle')}
          body={t('empty.noneBody')}
          action={
            <button className="btn primary" onClick={() => setEditor({ kind: 'new' })} data-testid="template-new-empty">
              {t('editor.new')}
            </button>
          }
        />
      )}

      {templates !== null && templates.length > 0 && (
        <section className="card table-card" aria-label={t('title')}>
          <div className="tpl-filters" role="search">
            <label className="tpl-search">
              <Search size={16} aria-hidden />
              <span className="visually-hidden">{t('filters.search')}</span>
              <input
                className="input"
                type="search"
                dir="auto"
                placeholder={t('filters.searchPlaceholder')}
                value={filters.search}
                data-testid="template-search"
                onChange={(e) => setFilters({ ...filters, search: e.target.value })}
              />
            </label>
            <select
              className="input"
              aria-label={t('filters.status')}
              value={filters.status}
              data-testid="filter-status"
              onChange={(e) => setFilters({ ...filters, status: e.target.value })}
            >
              <option value="">{t('filters.allStatuses')}</option>
              {statuses.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)} ({counts[s]})
                </option>
              ))}
            </select>
            <select
              className="input"
              aria-label={t('filters.category')}
              value={filters.category}
              data-testid="filter-category"
              onChange={(e) => setFilters({ ...filters, category: e.target.value })}
            >
              <option value="">{t('filters.allCategories')}</option>
              {categories.map((c) => (
                <option key={c} value={c}>
                  {t(`category.${c}`)}
                </option>
              ))}
            </select>
            <select
              className="input"
              aria-label={t('filters.language')}
              value={filters.language}
              data-testid="filter-language"
              onChange={(e) => setFilters({ ...filters, language: e.target.value })}
            >
              <option value="">{t('filters.allLanguages')}</option>
              {languages.map((l) => (
                <option key={l} value={l}>
                  {languageName(l)}
                </option>
              ))}
            </select>
            <span className="small muted tpl-count" data-testid="template-count">
              {t('filters.count', { shown: shown.length, total: templates.length })}
            </span>
            {filtered && (
              <button className="btn ghost" onClick={() => setFilters(NO_FILTERS)} data-testid="filters-clear">
                {t('common:actions.clear')}
              </button>
            )}
          </div>
          {shown.length === 0 ? (
            <div className="empty slim">
              <div className="icon" aria-hidden>
                <SearchX size={22} />
              </div>
              <h2>{t('empty.noMatchTitle')}</h2>
              <p>{t('empty.noMatchBody')}</p>
            </div>
          ) : (
            <div className="table-scroll">
              <table className="table templates-table" data-testid="templates-table">
                <thead>
                  <tr>
                    <th scope="col">{t('columns.name')}</th>
                    <th scope="col">{t('columns.language')}</th>
                    <th scope="col">{t('columns.category')}</th>
                    <th scope="col">{t('columns.status')}</th>
                    <th scope="col">{t('columns.quality')}</th>
                    <th scope="col">{t('columns.changed')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((tpl) => (
                    <tr
                      key={tpl.id}
                      data-testid={`template-row-${tpl.name}-${tpl.language}`}
                      className={detail?.id === tpl.id ? 'selected' : undefined}
                      onClick={() => void open(tpl.id)}
                    >
                      <td className="name-cell">
                        <button
                          className="row-link mono-name"
                          translate="no"
                          onClick={(e) => {
                            e.stopPropagation();
                            void open(tpl.id);
                          }}
                          data-testid="template-open"
                        >
                          {tpl.name}
                        </button>
                        <div className="snippet small muted" dir={templateDirection(tpl)} lang={tpl.language.replace('_', '-')}>
                          {bodies.get(tpl.id)}
                        </div>
                      </td>
                      <td>
                        <span className="nowrap">{languageName(tpl.language)}</span>
                      </td>
                      <td>{t(`category.${tpl.category}`)}</td>
                      <td>
                        <TemplateStatusBadge status={tpl.status} />
                        {tpl.rejectedReason && tpl.status === 'REJECTED' && (
                          <div className="small reason" data-testid="rejected-reason">
                            {t(`reason.${tpl.rejectedReason}`, { defaultValue: tpl.rejectedReason })}
                          </div>
                        )}
                      </td>
                      <td>
                        <TemplateQualityBadge quality={tpl.quality} />
                      </td>
                      <td className="small muted nowrap" title={f.dateTime(tpl.lastChangedAt)}>
                        {f.ago(tpl.lastChangedAt)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      {detail && !editor && <TemplateDrawer detail={detail} onClose={close} onEdit={(mode) => setEditor(mode)} />}
      {editor && (
        <TemplateEditor
          mode={editor}
          onClose={(id) => {
            setEditor(null);
            if (id) void open(id);
          }}
        />
      )}
    </div>
  );
}

function TemplatesSkeleton() {
  const { t } = useTranslation('templates');
  return (
    <div className="card" aria-busy="true" aria-label={t('loading')} data-testid="templates-loading">
      <div className="skeleton-lines">
        <span />
        <span />
        <span />
        <span />
        <span />
      </div>
    </div>
  );
}
