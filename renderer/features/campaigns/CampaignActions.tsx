import { useTranslation } from 'react-i18next';
import { Ban, Copy, Pause, Pencil, Play, Trash2 } from 'lucide-react';
import type { CampaignState, CampaignSummary } from '../../../shared/contract/campaigns';
import { useStore } from '../../store';
import type { CampaignAction } from '../../store/slices/campaigns';

/** Which lifecycle actions a campaign in a state offers. */
export function actionsFor(state: CampaignState): (CampaignAction | 'edit')[] {
  switch (state) {
    case 'draft': return ['edit', 'start', 'duplicate', 'delete'];
    case 'scheduled': return ['edit', 'pause', 'cancel', 'duplicate'];
    case 'running': return ['pause', 'cancel', 'duplicate'];
    case 'paused': return ['resume', 'cancel', 'duplicate'];
    default: return ['duplicate', 'delete'];
  }
}

const ICON = { edit: Pencil, start: Play, pause: Pause, resume: Play, cancel: Ban, duplicate: Copy, delete: Trash2 } as const;

/** The row / header buttons; destructive ones ask first. */
export function CampaignActions({ campaign, state, compact = false }: { campaign: CampaignSummary; state: CampaignState; compact?: boolean }) {
  const { t } = useTranslation('campaigns');
  const act = useStore((s) => s.campaignAction);
  const open = useStore((s) => s.openCampaigns);
  const run = async (a: CampaignAction | 'edit') => {
    if (a === 'edit') return open({ kind: 'builder', id: campaign.id });
    if ((a === 'cancel' || a === 'delete') && !window.confirm(t(`confirm.${a}`, { name: campaign.name }))) return;
    const r = await act(campaign.id, a);
    if (a === 'duplicate' && r) open({ kind: 'builder', id: r.id });
    if (a === 'start' && r) open({ kind: 'detail', id: r.id });
  };
  return (
    <div className="cmp-actions">
      {actionsFor(state).map((a) => {
        const Icon = ICON[a];
        return (
          <button
            key={a}
            className={`btn ${compact ? 'ghost icon-btn' : ''} ${a === 'cancel' || a === 'delete' ? 'danger' : a === 'start' || a === 'resume' ? (compact ? '' : 'primary') : ''}`}
            onClick={(e) => { e.stopPropagation(); void run(a); }}
            title={t(`actions.${a}`)}
            aria-label={compact ? `${t(`actions.${a}`)}: ${campaign.name}` : undefined}
            data-testid={`campaign-${a}`}
          >
            <Icon size={compact ? 15 : 16} aria-hidden />
            {!compact && t(`actions.${a}`)}
          </button>
        );
      })}
    </div>
  );
}
