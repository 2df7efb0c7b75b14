import { useTranslation } from 'react-i18next';
import type { CampaignState, RecipientState } from '../../../shared/contract/campaigns';

const STATE_TONE: Record<CampaignState, string> = {
  draft: '',
  scheduled: 'blue',
  running: 'green',
  paused: 'yellow',
  completed: 'green',
  cancelled: 'red',
};

export function CampaignStateBadge({ state }: { state: CampaignState }) {
  const { t } = useTranslation('campaigns');
  return (
    <span className={`badge ${STATE_TONE[state]} cmp-state`} data-testid="campaign-state" data-state={state}>
      {state === 'running' && <span className="cmp-pulse" aria-hidden />}
      {t(`state.${state}`)}
    </span>
  );
}

const RECIPIENT_TONE: Record<RecipientState, string> = {
  pending: '',
  sending: 'blue',
  accepted: 'blue',
  sent: 'blue',
  delivered: 'green',
  read: 'green',
  failed: 'red',
  skipped: '',
  uncertain: 'yellow',
};

export function RecipientStateBadge({ state }: { state: RecipientState }) {
  const { t } = useTranslation('campaigns');
  return (
    <span className={`badge ${RECIPIENT_TONE[state]}`} data-state={state}>
      {t(`recipientState.${state}`)}
    </span>
  );
}
