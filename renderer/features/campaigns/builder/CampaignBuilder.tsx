import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18next from '../../../i18n';
import { ArrowLeft, Play, Save } from 'lucide-react';
import type { CampaignPlan, PlanBlocker } from '../../../../shared/contract/campaigns';
import type { AttributeDefinition } from '../../../../shared/contract/contacts';
import { api } from '../../../api/client';
import { PageHeader } from '../../../components/PageHeader';
import { useStore } from '../../../store';
import { AudienceSection } from './AudienceSection';
import { HeaderMediaField } from './HeaderMediaField';
import { ParamsSection } from './ParamsSection';
import { StartConfirm } from '../StartConfirm';
import { blockerText, PlanPanel } from './PlanPanel';
import { PreviewPanel } from './PreviewPanel';
import { TestSendPanel } from './TestSendPanel';
import { ScheduleSection } from './ScheduleSection';
import { TemplateSection } from './TemplateSection';
import { TtlField } from './TtlField';
import { defaultSource, fromSummary, headerMediaOf, initialState, placeholdersOf, problemsOf, toDraft, type BuilderState } from './draft';
import { errorText } from '../../../i18n/errorText';

/** Re-plans the unsaved choices ~300 ms after the last change; older answers never overwrite newer ones. */
function useLivePlan(draft: ReturnType<typeof toDraft>) {
  const [plan, setPlan] = useState<CampaignPlan | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const key = JSON.stringify(draft);
  useEffect(() => {
    if (!draft) {
      setPlan(null);
      setError(null);
      return;
    }
    const mine = ++seq.current;
    setLoading(true);
    const timer = setTimeout(() => {
      void api.call('campaigns:plan', { draft }).then((r) => {
        if (mine !== seq.current) return;
        setLoading(false);
        // A draft the core refuses (an audience expression it cannot read…) has no plan: no stale
        // "2,722 will receive it" next to the error, and Start stays disabled. Said from the code.
        if (r.ok) {
          setPlan(r.value);
          setError(null);
        } else {
          setPlan(null);
          setError(i18next.t(r.code === 'bad_input' ? 'campaigns:plan.errorBadInput' : 'campaigns:plan.errorGeneric'));
        }
      });
    }, 300);
    return () => clearTimeout(timer);
  }, [key]);
  return { plan, loading, error };
}

export function CampaignBuilder({ id }: { id: string | null }) {
  const { t } = useTranslation('campaigns');
  const templates = useStore((s) => s.templates);
  const tags = useStore((s) => s.contactTags);
  const segments = useStore((s) => s.segments);
  const open = useStore((s) => s.openCampaigns);
  const toast = useStore((s) => s.toast);
  const loadCampaigns = useStore((s) => s.loadCampaigns);
  const [state, setState] = useState<BuilderState>(initialState);
  const [savedId, setSavedId] = useState<string | null>(id);
  const [dirty, setDirty] = useState(false);
  const [loaded, setLoaded] = useState(id === null);
  /** A scheduled campaign is edited in place: saving keeps it scheduled. */
  const [savedState, setSavedState] = useState<string>('draft');
  const [busy, setBusy] = useState<'save' | 'start' | null>(null);
  const [attributes, setAttributes] = useState<AttributeDefinition[]>([]);
  const [showProblems, setShowProblems] = useState(false);
  /** Start asks first (who, how many, which number, cost); saving an already scheduled campaign does not. */
  const [confirmStart, setConfirmStart] = useState(false);

  useEffect(() => {
    void api.call('contacts:attributes', {}).then((r) => r.ok && setAttributes(r.value));
  }, []);
  // Editing a saved draft: load it once the templates are known.
  useEffect(() => {
    if (!id || loaded || !templates) return;
    void api.call('campaigns:get', { id }).then((r) => {
      if (r.ok) {
        setState(fromSummary(r.value, templates));
        setSavedState(r.value.state);
      } else toast('error', errorText(r));
      setLoaded(true);
    });
  }, [id, loaded, templates, toast]);

  const template = useMemo(() => templates?.find((x) => x.id === state.templateId) ?? null, [templates, state.templateId]);
  const placeholders = useMemo(() => (template ? placeholdersOf(template) : []), [template]);
  const draft = useMemo(() => toDraft(state, template), [state, template]);
  const problems = problemsOf(state, template);
  const live = useLivePlan(draft);

  const update = (patch: Partial<BuilderState>) => {
    setState((s) => ({ ...s, ...patch }));
    setDirty(true);
  };
  const chooseTemplate = (tid: string) => {
    const next = templates?.find((x) => x.id === tid) ?? null;
    const params: BuilderState['params'] = {};
    if (next) placeholdersOf(next).forEach((p, i) => (params[p.key] = state.params[p.key] ?? defaultSource(p, i)));
    // A file uploaded for another kind of header (an image for a document header) does not carry over.
    const keepFile = headerMediaOf(next) === headerMediaOf(template);
    update({
      templateId: tid,
      params,
      name: state.name || (next ? next.name.replace(/_/g, ' ') : ''),
      ...(keepFile ? {} : { headerFile: null }),
    });
  };

  /** Saves (create or update); returns the id, or null with the reason shown. */
  const save = async (): Promise<string | null> => {
    if (problems.length) {
      setShowProblems(true);
      return null;
    }
    if (!draft) return null;
    if (savedId && !dirty) return savedId;
    const r = savedId ? await api.call('campaigns:update', { id: savedId, patch: draft }) : await api.call('campaigns:create', draft);
    if (!r.ok) {
      toast('error', errorText(r));
      return null;
    }
    setSavedId(r.value.id);
    setDirty(false);
    void loadCampaigns();
    return r.value.id;
  };
  const onSave = async () => {
    setBusy('save');
    const saved = await save();
    setBusy(null);
    if (saved) toast('success', t('builder.saved'));
  };
  const onStart = async () => {
    setBusy('start');
    const saved = await save();
    if (saved && savedState !== 'draft') {
      // Already scheduled: the edit is saved, the schedule stands.
      open({ kind: 'detail', id: saved });
    } else if (saved) {
      const r = await api.call('campaigns:start', { id: saved });
      if (r.ok) {
        void loadCampaigns();
        open({ kind: 'detail', id: saved });
      } else {
        // A start refused for blockers carries them as codes (details.blockers): shown in the UI language.
        const blockers = r.code === 'conflict' ? (r.details as { blockers?: PlanBlocker[] } | undefined)?.blockers : undefined;
        toast('error', blockers?.length ? blockers.map((b) => blockerText(t, b)).join(' ') : errorText(r));
      }
    }
    setBusy(null);
  };

  const canStart = problems.length === 0 && !!live.plan && !live.error && live.plan.blockers.length === 0 && !live.loading;
  // A disabled Start says why (tooltip and screen readers): the first problem, blocker or the pending plan.
  const whyNotStart = canStart
    ? null
    : problems.length
      ? t(`builder.invalid.${problems[0]}`)
      : live.error
        ? live.error
        : live.plan?.blockers.length
          ? blockerText(t, live.plan.blockers[0]!)
          : t('plan.updating');
  const media = headerMediaOf(template);
  const back = (
    <button className="btn ghost" onClick={() => open({ kind: 'list' })} data-testid="builder-back">
      <ArrowLeft size={16} aria-hidden className="cmp-flip" />
      {t('builder.back')}
    </button>
  );
  if (!loaded || templates === null) {
    return (
      <div className="page">
        <PageHeader title={t('builder.titleEdit')} actions={back} />
        <div className="card cmp-skeleton" aria-busy="true">
          {[0, 1, 2, 3].map((i) => (
            <div key={i} className="cmp-skel-row" />
          ))}
        </div>
      </div>
    );
  }
  return (
    <div className="page cmp-builder-page" data-testid="campaign-builder">
      <PageHeader
        title={savedId ? t('builder.titleEdit') : t('builder.titleNew')}
        subtitle={t('builder.subtitle')}
        actions={
          <>
            {back}
            {savedState === 'draft' && (
              <button className="btn" onClick={() => void onSave()} disabled={busy !== null} data-testid="builder-save">
                <Save size={16} aria-hidden />
                {t('builder.save')}
              </button>
            )}
            {whyNotStart && (
              <span id="builder-start-why" className="visually-hidden" data-testid="builder-start-why">
                {whyNotStart}
              </span>
            )}
            <button
              className="btn primary"
              onClick={() => (savedState !== 'draft' ? void onStart() : setConfirmStart(true))}
              disabled={busy !== null || !canStart}
              data-testid="builder-start"
              title={whyNotStart ?? undefined}
              aria-describedby={whyNotStart ? 'builder-start-why' : undefined}
            >
              <Play size={16} aria-hidden />
              {savedState !== 'draft'
                ? t('builder.saveScheduled')
                : state.schedule.mode === 'now'
                  ? t('builder.startNow')
                  : t('builder.schedule')}
            </button>
          </>
        }
      />
      {confirmStart && template && live.plan && (
        <StartConfirm
          id={savedId}
          name={state.name}
          template={{ name: template.name, language: template.language }}
          schedule={{ mode: state.schedule.mode, at: draft?.schedule?.at ?? null, tz: draft?.schedule?.tz ?? null }}
          phoneNumberId={draft?.phone_number_id ?? null}
          plan={live.plan}
          onConfirm={async () => {
            await onStart();
            setConfirmStart(false);
          }}
          onCancel={() => setConfirmStart(false)}
        />
      )}
      {showProblems && problems.length > 0 && (
        <div className="banner error" role="alert" data-testid="builder-problems">
          <ul className="cmp-blockers">
            {problems.map((p) => (
              <li key={p}>{t(`builder.invalid.${p}`)}</li>
            ))}
          </ul>
        </div>
      )}
      {templates.length === 0 && (
        <div className="banner info">
          <span>{t('builder.noTemplatesBody')}</span>
          <button className="btn" onClick={() => useStore.getState().navigate('templates')}>
            {t('builder.goTemplates')}
          </button>
        </div>
      )}
      <div className="cmp-builder">
        <div className="cmp-builder-form">
          <section className="card" aria-labelledby="b-msg">
            <h2 id="b-msg">
              <span className="cmp-step">1</span>
              {t('builder.message')}
            </h2>
            <div className="field">
              <label htmlFor="cmp-name">{t('builder.name')}</label>
              <input
                id="cmp-name"
                className="input"
                dir="auto"
                value={state.name}
                onChange={(e) => update({ name: e.target.value })}
                data-testid="builder-name"
                maxLength={200}
              />
            </div>
            <TemplateSection templates={templates} value={state.templateId} onChange={chooseTemplate} />
            {media && (
              <HeaderMediaField
                kind={media}
                url={state.headerUrl}
                file={state.headerFile}
                onUrl={(headerUrl) => update({ headerUrl })}
                onFile={(headerFile) => update({ headerFile })}
              />
            )}
          </section>
          {template && (
            <section className="card" aria-labelledby="b-vars">
              <h2 id="b-vars">
                <span className="cmp-step">2</span>
                {t('builder.variables')}
              </h2>
              <p className="small muted">{t('builder.variablesHint')}</p>
              <ParamsSection
                placeholders={placeholders}
                params={state.params}
                attributes={attributes}
                onChange={(k, src) => update({ params: { ...state.params, [k]: src } })}
              />
            </section>
          )}
          <section className="card" aria-labelledby="b-aud">
            <h2 id="b-aud">
              <span className="cmp-step">{template ? 3 : 2}</span>
              {t('builder.audience')}
            </h2>
            <AudienceSection value={state.audience} onChange={(a) => update({ audience: a })} tags={tags} segments={segments} />
          </section>
          <section className="card" aria-labelledby="b-when">
            <h2 id="b-when">
              <span className="cmp-step">{template ? 4 : 3}</span>
              {t('builder.when')}
            </h2>
            <ScheduleSection value={state.schedule} onChange={(s) => update({ schedule: s })} />
            <details className="cmp-advanced">
              <summary>{t('builder.advanced')}</summary>
              <div className="cmp-row">
                <div className="field">
                  <label htmlFor="cmp-rate">{t('builder.rate')}</label>
                  <input
                    id="cmp-rate"
                    className="input"
                    type="number"
                    min={1}
                    max={1000}
                    value={state.rate}
                    onChange={(e) => update({ rate: Number(e.target.value) })}
                  />
                  <span className="hint">{t('builder.rateHint')}</span>
                </div>
              </div>
              <label className="cmp-check">
                <input
                  type="checkbox"
                  checked={state.capOn}
                  onChange={(e) => update({ capOn: e.target.checked })}
                  data-testid="frequency-cap"
                />
                {t('builder.cap')}
              </label>
              {state.capOn && (
                <div className="cmp-row tight">
                  <span>{t('builder.capAtMost')}</span>
                  <input
                    className="input narrow"
                    type="number"
                    min={1}
                    max={100}
                    value={state.capMax}
                    onChange={(e) => update({ capMax: Number(e.target.value) })}
                    aria-label={t('builder.capMax')}
                  />
                  <span>{t('builder.capPer')}</span>
                  <input
                    className="input narrow"
                    type="number"
                    min={1}
                    max={365}
                    value={state.capDays}
                    onChange={(e) => update({ capDays: Number(e.target.value) })}
                    aria-label={t('builder.capDays')}
                  />
                  <span>{t('builder.capDaysUnit')}</span>
                </div>
              )}
              {template?.category === 'MARKETING' && (
                <TtlField on={!!state.ttlOn} value={state.ttlValue ?? 2} unit={state.ttlUnit ?? 'hour'} onChange={(p) => update(p)} />
              )}
            </details>
          </section>
        </div>
        <aside className="cmp-builder-side">
          <PlanPanel
            plan={live.plan}
            loading={live.loading}
            error={live.error}
            marginPct={state.marginPct}
            onMargin={(pct) => update({ marginPct: pct })}
            savedId={dirty ? null : savedId}
            todayOnly={state.todayOnly ?? false}
            onTodayOnly={(v) => update({ todayOnly: v })}
            tz={state.schedule.tz}
          />
          <PreviewPanel template={template} draft={draft} />
          <TestSendPanel ensureSaved={save} template={template} problems={problems} />
        </aside>
      </div>
    </div>
  );
}
