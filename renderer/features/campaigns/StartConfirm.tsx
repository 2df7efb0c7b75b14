import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguageName } from '../templates/language';
import type { CampaignPlan, CampaignSchedule } from '../../../shared/contract/campaigns';
import { api } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useStore } from '../../store';
import { useCampaignFormat } from './format';

/**
 * "Start sending" asks first, saying who (how many of the audience, how many left out), from which
 * number, with which template, when, and the estimated cost — read from the plan (the one the
 * builder already has, or `campaigns:plan` for a saved campaign started from the list).
 */
export function StartConfirm({
  id,
  name,
  template,
  schedule,
  phoneNumberId,
  plan: given,
  onConfirm,
  onCancel,
}: {
  id: string | null;
  name: string;
  template: { name: string; language: string };
  schedule: Pick<CampaignSchedule, 'mode' | 'at' | 'tz'>;
  phoneNumberId: string | null;
  plan?: CampaignPlan | null;
  onConfirm(): void | Promise<void>;
  onCancel(): void;
}) {
  const { t } = useTranslation('campaigns');
  const languageName = useLanguageName();
  const f = useCampaignFormat();
  const account = useStore((s) => s.account);
  const [plan, setPlan] = useState<CampaignPlan | null>(given ?? null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (given || !id) return;
    void api.call('campaigns:plan', { id }).then((r) => (r.ok ? setPlan(r.value) : setFailed(true)));
  }, [given, id]);
  const numbers = account?.phoneNumbers ?? [];
  const number = (phoneNumberId ? numbers.find((n) => n.id === phoneNumberId) : undefined) ?? numbers.find((n) => n.primary);
  const later = schedule.mode !== 'now';
  const excluded = plan ? plan.audience - plan.eligible : 0;
  const cost = plan?.cost_estimate;
  return (
    <ConfirmDialog
      title={later ? t('confirm.scheduleTitle') : t('confirm.startTitle')}
      confirmLabel={later ? t('confirm.scheduleOk') : t('confirm.startOk')}
      onConfirm={onConfirm}
      onCancel={onCancel}
      testId="start-confirm"
    >
      <p>
        <strong dir="auto">{name}</strong>
      </p>
      {!plan ? (
        <p className="small muted" data-testid="start-confirm-loading">
          {failed ? t('confirm.planFailed') : t('confirm.planLoading')}
        </p>
      ) : (
        <dl className="kv" data-testid="start-confirm-facts">
          <dt>{t('confirm.who')}</dt>
          <dd data-testid="start-confirm-who" data-eligible={plan.eligible}>
            {t('confirm.whoValue', { count: plan.eligible, n: f.number(plan.eligible), audience: f.number(plan.audience) })}
            {excluded > 0 && <span className="muted"> · {t('confirm.excluded', { count: excluded, n: f.number(excluded) })}</span>}
          </dd>
          <dt>{t('confirm.from')}</dt>
          <dd data-testid="start-confirm-from">
            {number ? (
              <>
                <bdi dir="ltr">{number.displayPhoneNumber}</bdi> · <span dir="auto">{number.verifiedName}</span>
              </>
            ) : (
              t('confirm.fromUnknown')
            )}
          </dd>
          <dt>{t('confirm.template')}</dt>
          <dd>
            <bdi className="mono-name" translate="no" dir="ltr">
              {template.name}
            </bdi>{' '}
            · <bdi>{languageName(template.language)}</bdi>
          </dd>
          <dt>{t('confirm.when')}</dt>
          <dd>
            {later && schedule.at ? (
              <>
                {schedule.at.replace('T', ' ').slice(0, 16)}
                {schedule.tz ? (
                  <>
                    {' '}
                    (<bdi dir="ltr">{schedule.tz}</bdi>)
                  </>
                ) : null}
              </>
            ) : (
              t('confirm.whenNow')
            )}
          </dd>
          <dt>{t('confirm.cost')}</dt>
          <dd data-testid="start-confirm-cost">
            {cost && cost.amount !== null && cost.currency
              ? t('plan.cost', { amount: f.money(cost.amount, cost.currency) })
              : t('confirm.costUnknown')}
          </dd>
        </dl>
      )}
    </ConfirmDialog>
  );
}
