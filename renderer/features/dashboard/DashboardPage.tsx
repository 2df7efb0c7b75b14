import { useTranslation } from 'react-i18next';
import { Building2, Check, Send, Users } from 'lucide-react';
import { PageHeader } from '../../components/PageHeader';
import { useStore } from '../../store';
import type { Route } from '../../store/location';
import { MessagingLimitCard } from '../account/MessagingLimitCard';
import { ContactsStatCard } from '../contacts/ContactsStatCard';
import { ActiveCampaignsCard } from '../campaigns/dashboard/ActiveCampaignsCard';
import { CampaignsOverview } from '../campaigns/dashboard/CampaignsOverview';

const STEPS: { key: 'connect' | 'import' | 'campaign'; route: Route; icon: typeof Users }[] = [
  { key: 'connect', route: 'account', icon: Building2 },
  { key: 'import', route: 'contacts', icon: Users },
  { key: 'campaign', route: 'campaigns', icon: Send },
];

export function DashboardPage() {
  const { t } = useTranslation('dashboard');
  const navigate = useStore((s) => s.navigate);
  const connected = useStore((s) => s.account?.connected === true);
  const hasContacts = useStore((s) => (s.contactsStats?.total ?? 0) > 0);
  const hasCampaign = useStore((s) => (s.campaigns?.length ?? 0) > 0);
  const done = { connect: connected, import: hasContacts, campaign: hasCampaign };
  // Once all three are done the card has nothing left to teach: it goes.
  const allDone = STEPS.every((s) => done[s.key]);
  return (
    <div className="page">
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <div className="grid cols-3">
        <ContactsStatCard />
        <MessagingLimitCard />
        <ActiveCampaignsCard />
      </div>
      <CampaignsOverview />
      {!allDone && (
        <section className="card" data-testid="getting-started">
          <h2>{t('gettingStarted')}</h2>
          <div className="steps">
            {STEPS.map((s, i) => (
              <div className={done[s.key] ? 'step done' : 'step'} key={s.key}>
                <span className="num">{done[s.key] ? <Check size={15} aria-label={t('stepDone')} /> : i + 1}</span>
                <div className="grow">
                  <h3>{t(`steps.${s.key}.title`)}</h3>
                  <p className="muted small">{t(`steps.${s.key}.body`)}</p>
                </div>
                <button className="btn" onClick={() => navigate(s.route)} data-testid={`step-${s.key}`}>
                  <s.icon size={16} aria-hidden />
                  {t(`steps.${s.key}.action`)}
                </button>
              </div>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}
