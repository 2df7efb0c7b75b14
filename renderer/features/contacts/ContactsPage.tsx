import { useTranslation } from 'react-i18next';
import { Users } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';

export function ContactsPage() {
  const { t } = useTranslation('pages');
  return (
    <div className="page">
      <PageHeader title={t('contacts.title')} subtitle={t('contacts.subtitle')} />
      <EmptyState icon={Users} title={t('contacts.emptyTitle')} body={t('contacts.emptyBody')} />
    </div>
  );
}
