import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bookmark, Send, Target } from 'lucide-react';
import type { CampaignSummary } from '../../../../shared/contract/campaigns';
import type { RetargetStage, RetargetStageCount } from '../../../../shared/contract/retarget';
import { api } from '../../../api/client';
import { useStore } from '../../../store';
import { useCampaignFormat } from '../format';

/**
 * Retarget from results: the people of this campaign at each funnel stage, with a new campaign for
 * them (a copy of this one, its audience the stage's tag, opened in the builder, where the plan
 * explains who is left out and why) or a segment of them. The tag is named in the user's language.
 */
export function RetargetCard({ campaign, version }: { campaign: CampaignSummary; version: number }) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const toast = useStore((s) => s.toast);
  const open = useStore((s) => s.openCampaigns);
  const [stages, setStages] = useState<RetargetStageCount[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void api.call('campaigns:retarget-stages', { id: campaign.id }).then((r) => {
      if (live && r.ok) setStages(r.value);
    });
    return () => {
      live = false;
    };
  }, [campaign.id, version]);
  if (!stages || stages.every((s) => s.contacts === 0)) return null;

  const tagName = (stage: RetargetStage) =>
    t('retarget.tagName', { campaign: campaign.name.replace(/"/g, ''), stage: t(`retarget.stage.${stage}`) }).slice(0, 100);
  const newCampaign = async (stage: RetargetStage) => {
    setBusy(`${stage}:campaign`);
    const r = await api.call('campaigns:retarget', { id: campaign.id, stage, tag: tagName(stage) });
    const copy = r.ok ? await api.call('campaigns:duplicate', { id: campaign.id }) : null;
    const edited =
      r.ok && copy?.ok
        ? await api.call('campaigns:update', { id: copy.value.id, patch: { name: tagName(stage), audience: r.value.audience } })
        : null;
    setBusy(null);
    if (!r.ok || !copy?.ok || !edited?.ok) return toast('error', t('retarget.failed'));
    open({ kind: 'builder', id: edited.value.id });
  };
  const saveSegment = async (stage: RetargetStage) => {
    setBusy(`${stage}:segment`);
    const r = await api.call('campaigns:retarget', { id: campaign.id, stage, tag: tagName(stage) });
    const s = r.ok
      ? await api.call('segments:save', {
          name: tagName(stage),
          rule: { match: 'all', conditions: [{ field: 'tag', op: 'has', value: r.value.tag }] },
        })
      : null;
    setBusy(null);
    if (!r.ok) return toast('error', t('retarget.failed'));
    if (!s?.ok)
      return toast('error', s?.code === 'conflict' ? t('retarget.segmentExists', { name: tagName(stage) }) : t('retarget.failed'));
    toast('success', t('retarget.segmentSaved', { name: s.value.name, count: r.value.contacts, n: f.number(r.value.contacts) }));
  };

  return (
    <section className="card" aria-labelledby="retarget-title" data-testid="retarget">
      <h2 id="retarget-title">
        <Target size={17} aria-hidden className="inline-icon" />
        {t('retarget.title')}
      </h2>
      <p className="small muted">{t('retarget.hint')}</p>
      <ul className="cmp-retarget">
        {stages.map((s) => (
          <li key={s.stage} data-testid={`retarget-${s.stage}`} data-count={s.contacts}>
            <span className="cmp-retarget-label">{t(`retarget.stage.${s.stage}`)}</span>
            <span className="num small">{f.number(s.contacts)}</span>
            <span className="actions">
              <button
                className="btn small"
                disabled={s.contacts === 0 || busy !== null}
                onClick={() => void newCampaign(s.stage)}
                data-testid="retarget-campaign"
                title={t('retarget.newCampaign')}
                aria-label={`${t('retarget.newCampaign')}: ${t(`retarget.stage.${s.stage}`)}`}
              >
                <Send size={14} aria-hidden className="flip-rtl" />
                {t('retarget.newCampaignShort')}
              </button>
              <button
                className="btn small"
                disabled={s.contacts === 0 || busy !== null}
                onClick={() => void saveSegment(s.stage)}
                data-testid="retarget-segment"
                title={t('retarget.saveSegment')}
                aria-label={`${t('retarget.saveSegment')}: ${t(`retarget.stage.${s.stage}`)}`}
              >
                <Bookmark size={14} aria-hidden />
                {t('retarget.saveSegmentShort')}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
