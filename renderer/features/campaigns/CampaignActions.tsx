import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Ban, Copy, Pause, Pencil, Play, Trash2 } from 'lucide-react';
import type { CampaignState, CampaignSummary } from '../../../shared/contract/campaigns';
import { useStore } from '../../store';
import type { CampaignAction } from '../../store/state';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { StartConfirm } from './StartConfirm';

/** Which lifecycle actions a campaign in a state offers. */
export function actionsFor(state: CampaignState): (CampaignAction | 'edit')[] {
  switch (state) {
    case 'draft':
      return ['edit', 'start', 'duplicate', 'delete'];
    case 'scheduled':
      return ['edit', 'pause', 'cancel', 'duplicate'];
    case 'running':
      return ['pause', 'cancel', 'duplicate'];
    case 'paused':
      return ['resume', 'cancel', 'duplicate'];
    default:
      return ['duplicate', 'delete'];
  }
}

const ICON = { edit: Pencil, start: Play, pause: Pause, resume: Play, cancel: Ban, duplicate: Copy, delete: Trash2 } as const;

/** The row / header buttons; destructive ones ask first. */
export function CampaignActions({
  campaign,
  state,
  compact = false,
}: {
  campaign: CampaignSummary;
  state: CampaignState;
  compact?: boolean;
}) {
  const { t } = useTranslation('campaigns');
  const act = useStore((s) => s.campaignAction);
  const open = useStore((s) => s.openCampaigns);
  // Start, cancel and delete ask first, in the app's own dialog.
  const [asking, setAsking] = useState<'start' | 'cancel' | 'delete' | null>(null);
  const perform = async (a: CampaignAction) => {
    const r = await act(campaign.id, a);
    if (a === 'duplicate' && r) open({ kind: 'builder', id: r.id });
    if (a === 'start' && r) open({ kind: 'detail', id: r.id });
  };
  const run = async (a: CampaignAction | 'edit') => {
    if (a === 'edit') return open({ kind: 'builder', id: campaign.id });
    if (a === 'start' || a === 'cancel' || a === 'delete') return setAsking(a);
    await perform(a);
  };
  const done = async (a: CampaignAction) => {
    await perform(a);
    setAsking(null);
  };
  return (
    <div className="cmp-actions">
      {asking === 'start' && (
        <StartConfirm
          id={campaign.id}
          name={campaign.name}
          template={campaign.template}
          schedule={campaign.schedule}
          phoneNumberId={campaign.phone_number_id}
          onConfirm={() => done('start')}
          onCancel={() => setAsking(null)}
        />
      )}
      {(asking === 'cancel' || asking === 'delete') && (
        <ConfirmDialog
          title={t(`confirm.${asking}Title`)}
          confirmLabel={t(`confirm.${asking}Ok`)}
          danger
          onConfirm={() => done(asking)}
          onCancel={() => setAsking(null)}
          testId={`${asking}-confirm`}
        >
          <p>{t(`confirm.${asking}`, { name: campaign.name })}</p>
        </ConfirmDialog>
      )}
      {actionsFor(state).map((a) => {
        const Icon = ICON[a];
        return (
          <button
            key={a}
            className={`btn ${compact ? 'ghost icon-btn' : ''} ${a === 'cancel' || a === 'delete' ? 'danger' : a === 'start' || a === 'resume' ? (compact ? '' : 'primary') : ''}`}
            onClick={(e) => {
              e.stopPropagation();
              void run(a);
            }}
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
