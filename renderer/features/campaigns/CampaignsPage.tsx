import { useTranslation } from 'react-i18next';
import { Send } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';

export function CampaignsPage() {
  const { t } = useTranslation('pages');
  return (
    <div className="page">
      <PageHeader title={t('campaigns.title')} subtitle={t('campaigns.subtitle')} />
      <EmptyState icon={Send} title={t('campaigns.emptyTitle')} body={t('campaigns.emptyBody')} />
    </div>
  );
}
