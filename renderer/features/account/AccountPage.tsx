import { useTranslation } from 'react-i18next';
import { Building2 } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';

export function AccountPage() {
  const { t } = useTranslation('pages');
  return (
    <div className="page">
      <PageHeader title={t('account.title')} subtitle={t('account.subtitle')} />
      <EmptyState icon={Building2} title={t('account.emptyTitle')} body={t('account.emptyBody')} />
    </div>
  );
}
