/** The plan's time-to-live line (issue #13): the limit, the send-by time, and how many forecast sends may miss it. */
import { useTranslation } from 'react-i18next';
import type { CampaignPlan } from '../../../../shared/contract/campaigns';
import { useStore } from '../../../store';
import { useCampaignFormat } from '../format';
import { formatTtl } from './ttl';

export function TtlLine({ ttl }: { ttl: NonNullable<CampaignPlan['ttl']> }) {
  const { t } = useTranslation('campaigns');
  const f = useCampaignFormat();
  const language = useStore((s) => s.language);
  return (
    <p className="small" data-testid="plan-ttl" data-may-miss={ttl.may_miss}>
      {t('plan.ttl', { duration: formatTtl(ttl.seconds, language), when: f.dateTime(Date.parse(ttl.send_by)) })}{' '}
      {ttl.may_miss > 0 ? t('plan.ttlMiss', { count: ttl.may_miss, n: f.number(ttl.may_miss) }) : t('plan.ttlNone')}
    </p>
  );
}
