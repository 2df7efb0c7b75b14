import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bookmark, ListFilter, Pencil, Plus, SlidersHorizontal, Trash2 } from 'lucide-react';
import type { Segment, SegmentCondition } from '../../../shared/contract/contacts';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { useFormat } from './format';
import { Modal } from './Modal';
import { SegmentEditor } from './SegmentEditor';
import { errorText } from '../../i18n/errorText';

/** The current tag / consent / country filter as segment conditions (search is not a rule). */
function filterConditions(filter: { tag?: string; consent?: string; consentCategory?: string; country?: string }): SegmentCondition[] {
  const out: SegmentCondition[] = [];
  if (filter.tag) out.push({ field: 'tag', op: 'has', value: filter.tag });
  if (filter.consent) {
    out.push({
      field: 'consent',
      category: (filter.consentCategory ?? 'marketing') as 'marketing' | 'utility',
      op: 'is',
      value: filter.consent as 'opted_in' | 'opted_out' | 'unknown',
    });
  }
  if (filter.country) out.push({ field: 'country', op: 'in', values: [filter.country] });
  return out;
}

/**
 * "Save as segment" (the current filter, named; "Edit rules…" refines it in the editor), "New segment"
 * (the rule editor) and "Manage segments" (edit rules, rename, delete).
 */
export function SegmentsMenu() {
  const { t } = useTranslation('contacts');
  const filter = useStore((s) => s.contactsFilter);
  const setFilter = useStore((s) => s.setContactsFilter);
  const segments = useStore((s) => s.segments);
  const loadFacets = useStore((s) => s.loadContactFacets);
  const toast = useStore((s) => s.toast);
  const [saveOpen, setSaveOpen] = useState(false);
  const [manageOpen, setManageOpen] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  /** The rule editor for a new segment, optionally starting from the current filter. */
  const [editor, setEditor] = useState<{ name?: string; conditions?: SegmentCondition[] } | null>(null);
  const conditions = filterConditions(filter);

  const showSegment = async (saved: Segment) => {
    setEditor(null);
    await loadFacets();
    setFilter({ tag: undefined, consent: undefined, consentCategory: undefined, country: undefined, segment: saved.id });
  };

  const save = async () => {
    setBusy(true);
    const r = await api.call('segments:save', { name: name.trim(), rule: { match: 'all', conditions } });
    setBusy(false);
    if (!r.ok) return toast('error', r.code === 'conflict' ? t('segments.nameTaken') : errorText(r));
    toast('success', t('segments.saved', { name: r.value.name }));
    setSaveOpen(false);
    setName('');
    await loadFacets();
    setFilter({ tag: undefined, consent: undefined, consentCategory: undefined, country: undefined, segment: r.value.id });
  };

  return (
    <>
      {conditions.length > 0 && filter.segment === undefined && (
        <button className="btn" onClick={() => setSaveOpen(true)} data-testid="segment-save-open">
          <Bookmark size={14} aria-hidden />
          {t('segments.saveAs')}
        </button>
      )}
      <button className="btn ghost" onClick={() => setEditor({})} data-testid="segment-new-open">
        <Plus size={14} aria-hidden />
        {t('segmentEditor.new')}
      </button>
      {segments.length > 0 && (
        <button className="btn ghost" onClick={() => setManageOpen(true)} data-testid="segments-manage">
          <ListFilter size={14} aria-hidden />
          {t('segments.manage')}
        </button>
      )}
      {saveOpen && (
        <Modal
          title={t('segments.saveTitle')}
          onClose={() => setSaveOpen(false)}
          testId="segment-save-dialog"
          footer={
            <>
              <button
                className="btn ghost"
                onClick={() => {
                  setSaveOpen(false);
                  setEditor({ name, conditions });
                }}
                data-testid="segment-save-edit-rules"
              >
                <SlidersHorizontal size={14} aria-hidden />
                {t('segmentEditor.refine')}
              </button>
              <span className="grow" />
              <button className="btn" onClick={() => setSaveOpen(false)}>
                {t('segments.cancel')}
              </button>
              <button className="btn primary" disabled={busy || !name.trim()} onClick={() => void save()} data-testid="segment-save">
                {t('segments.save')}
              </button>
            </>
          }
        >
          <form
            className="ct-seg-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (name.trim()) void save();
            }}
          >
            <label className="field">
              <span>{t('segments.name')}</span>
              <input
                className="input"
                value={name}
                maxLength={100}
                data-autofocus
                data-testid="segment-name"
                onChange={(e) => setName(e.target.value)}
              />
            </label>
            <p className="muted" data-testid="segment-rule-preview">
              {t('segments.rule')}: <RuleSummary conditions={conditions} />
            </p>
          </form>
        </Modal>
      )}
      {manageOpen && (
        <ManageSegments
          onClose={() => setManageOpen(false)}
          onNew={() => {
            setManageOpen(false);
            setEditor({});
          }}
        />
      )}
      {editor && (
        <SegmentEditor
          initial={editor}
          onClose={() => setEditor(null)}
          onSaved={(saved) => {
            setName('');
            void showSegment(saved);
          }}
        />
      )}
    </>
  );
}

function RuleSummary({ conditions, match = 'all' }: { conditions: SegmentCondition[]; match?: 'all' | 'any' }) {
  const { t } = useTranslation('contacts');
  const language = useStore((s) => s.language);
  const regions = new Intl.DisplayNames([language], { type: 'region' });
  if (!conditions.length) return <>{t('segments.everyone')}</>;
  const parts = conditions.map((c) => {
    switch (c.field) {
      case 'tag':
        return t(`segments.cond.tag_${c.op}`, { value: c.value });
      case 'consent':
        return t(`segments.cond.consent_${c.op}`, { category: t(`consent.category.${c.category}`), value: t(`consent.state.${c.value}`) });
      case 'country':
        return t(`segments.cond.country_${c.op}`, { value: c.values.map((v) => regions.of(v) ?? v).join(', ') });
      case 'attr':
        return t(`segments.cond.attr_${c.op}`, {
          name: c.name,
          value: typeof c.value === 'boolean' ? t(c.value ? 'segmentEditor.yes' : 'segmentEditor.no') : String(c.value ?? ''),
        });
      case 'last_messaged':
        return t(`segments.cond.last_${c.op}`, { count: c.days ?? 30 });
    }
  });
  return <>{parts.join(match === 'all' ? t('segments.and') : t('segments.or'))}</>;
}

function ManageSegments({ onClose, onNew }: { onClose(): void; onNew(): void }) {
  const { t } = useTranslation('contacts');
  const f = useFormat();
  const segments = useStore((s) => s.segments);
  const filter = useStore((s) => s.contactsFilter);
  const setFilter = useStore((s) => s.setContactsFilter);
  const loadFacets = useStore((s) => s.loadContactFacets);
  const toast = useStore((s) => s.toast);
  const [editing, setEditing] = useState<{ id: number; name: string } | null>(null);
  const [deleting, setDeleting] = useState<Segment | null>(null);
  const [editingRules, setEditingRules] = useState<Segment | null>(null);
  const contactsChanged = useStore((s) => s.contactsChanged);

  const rename = async (s: Segment, name: string) => {
    const r = await api.call('segments:save', { id: s.id, name: name.trim(), rule: s.rule });
    if (!r.ok) return toast('error', r.code === 'conflict' ? t('segments.nameTaken') : errorText(r));
    setEditing(null);
    await loadFacets();
  };
  const remove = async (s: Segment) => {
    const r = await api.call('segments:delete', { id: s.id });
    setDeleting(null);
    if (!r.ok) return toast('error', errorText(r));
    toast('success', t('segments.deleted', { name: s.name }));
    if (filter.segment === s.id) setFilter({ segment: undefined });
    await loadFacets();
  };

  if (editingRules) {
    return (
      <SegmentEditor
        segment={editingRules}
        onClose={() => setEditingRules(null)}
        onSaved={() => {
          setEditingRules(null);
          // Refreshes the list's counts and, if the table is filtered by this segment, its rows.
          contactsChanged();
        }}
      />
    );
  }
  if (deleting) {
    return (
      <Modal
        title={t('segments.deleteTitle')}
        onClose={() => setDeleting(null)}
        testId="segment-delete-dialog"
        footer={
          <>
            <button className="btn" onClick={() => setDeleting(null)} data-autofocus>
              {t('segments.cancel')}
            </button>
            <button className="btn danger-solid" onClick={() => void remove(deleting)} data-testid="segment-delete-confirm">
              {t('segments.delete')}
            </button>
          </>
        }
      >
        <p>{t('segments.deleteBody', { name: deleting.name })}</p>
      </Modal>
    );
  }
  return (
    <Modal
      title={t('segments.manageTitle')}
      onClose={onClose}
      testId="segments-dialog"
      footer={
        <button className="btn" onClick={onNew} data-testid="segments-new">
          <Plus size={14} aria-hidden />
          {t('segmentEditor.new')}
        </button>
      }
    >
      {segments.length === 0 ? (
        <p className="muted">{t('segments.none')}</p>
      ) : (
        <ul className="ct-seg-list">
          {segments.map((s) => (
            <li key={s.id} className="ct-seg-item" data-testid="segment-item" data-name={s.name}>
              <div className="ct-seg-main">
                {editing?.id === s.id ? (
                  <form
                    className="ct-seg-rename"
                    onSubmit={(e) => {
                      e.preventDefault();
                      if (editing.name.trim()) void rename(s, editing.name);
                    }}
                  >
                    <input
                      className="input"
                      value={editing.name}
                      maxLength={100}
                      aria-label={t('segments.name')}
                      autoFocus
                      data-testid="segment-rename-input"
                      onChange={(e) => setEditing({ id: s.id, name: e.target.value })}
                    />
                    <button className="btn primary small-btn" type="submit" data-testid="segment-rename-save">
                      {t('segments.save')}
                    </button>
                    <button className="btn small-btn" type="button" onClick={() => setEditing(null)}>
                      {t('segments.cancel')}
                    </button>
                  </form>
                ) : (
                  <span className="ct-strong">{s.name}</span>
                )}
                <span className="muted ct-seg-rule">
                  <RuleSummary conditions={s.rule.conditions} match={s.rule.match} />
                </span>
              </div>
              <span className="badge mono-num" data-testid="segment-count" data-count={s.count}>
                {t('toolbar.count', { count: s.count, formatted: f.n(s.count) })}
              </span>
              <button
                className="btn ghost icon"
                aria-label={t('segmentEditor.editRules')}
                title={t('segmentEditor.editRules')}
                data-testid="segment-edit"
                onClick={() => setEditingRules(s)}
              >
                <SlidersHorizontal size={15} />
              </button>
              <button
                className="btn ghost icon"
                aria-label={t('segments.rename')}
                title={t('segments.rename')}
                data-testid="segment-rename"
                onClick={() => setEditing({ id: s.id, name: s.name })}
              >
                <Pencil size={15} />
              </button>
              <button
                className="btn ghost icon"
                aria-label={t('segments.delete')}
                title={t('segments.delete')}
                data-testid="segment-delete"
                onClick={() => setDeleting(s)}
              >
                <Trash2 size={15} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}
