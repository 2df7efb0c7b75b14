import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Upload, UserPlus, Users } from 'lucide-react';
import { AddContactDialog } from './AddContactDialog';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { api } from '../../api/client';
import { useStore } from '../../store';
import { BulkBar } from './BulkBar';
import { ContactDrawer } from './drawer/ContactDrawer';
import { ContactsToolbar } from './ContactsToolbar';
import { UserIdOnlyPeople } from './UserIdsCard';
import { ExportMenu } from './ExportMenu';
import { ImportWizard } from './import/ImportWizard';
import { ContactsTable } from './table/ContactsTable';
import { RowWindows } from './table/rowWindows';
import './contacts.css';

export function ContactsPage() {
  const { t } = useTranslation('contacts');
  const filter = useStore((s) => s.contactsFilter);
  const version = useStore((s) => s.contactsVersion);
  const stats = useStore((s) => s.contactsStats);
  const drawerId = useStore((s) => (s.location.page === 'contacts' ? (s.location.contactId ?? null) : null));
  const importOpen = useStore((s) => s.location.page === 'contacts' && s.location.importing === true);
  const openImport = useStore((s) => s.openImport);
  const loadFacets = useStore((s) => s.loadContactFacets);

  useEffect(() => {
    void loadFacets();
  }, [loadFacets]);

  // One row cache per query: a new filter (or a change in the store) starts a fresh one.
  const filterKey = JSON.stringify(filter);
  // The previous cache is disposed when its replacement is made (not in an effect cleanup, which
  // React's StrictMode runs on a still-used instance), so its late answers are dropped.
  const previous = useRef<RowWindows | null>(null);
  const windows = useMemo(() => {
    previous.current?.dispose();
    const w = new RowWindows((offset, limit) => api.call('contacts:query', { ...JSON.parse(filterKey), offset, limit }));
    previous.current = w;
    return w;
  }, [filterKey, version]);
  const total = useSyncExternalStore(windows.subscribe, () => windows.total);

  const isEmpty = stats?.total === 0 && Object.keys(filter).length === 0;
  const importButton = (
    <button className="btn primary" onClick={() => openImport(true)} data-testid="import-open">
      <Upload size={16} aria-hidden />
      {t('import.open')}
    </button>
  );

  const [adding, setAdding] = useState(false);
  const addButton = (
    <button className="btn" onClick={() => setAdding(true)} data-testid="add-contact-open">
      <UserPlus size={16} aria-hidden />
      {t('add.open')}
    </button>
  );

  return (
    <div className="page contacts-page">
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        actions={
          isEmpty ? (
            addButton
          ) : (
            <>
              <ExportMenu />
              {addButton}
              {importButton}
            </>
          )
        }
      />
      {isEmpty ? (
        <EmptyState icon={Users} title={t('empty.title')} body={t('empty.body')} action={importButton} />
      ) : (
        <>
          <ContactsToolbar total={total} />
          <BulkBar total={total ?? 0} />
          <section className="card ct-card">
            {windows.error && (
              <div className="banner error" role="alert">
                {windows.error}
              </div>
            )}
            {total === 0 ? (
              <div className="ct-none" data-testid="no-matches">
                <p>{t('table.noMatches')}</p>
              </div>
            ) : (
              <ContactsTable windows={windows} />
            )}
          </section>
        </>
      )}
      <UserIdOnlyPeople />
      {drawerId !== null && <ContactDrawer id={drawerId} />}
      {importOpen && <ImportWizard />}
      {adding && <AddContactDialog onClose={() => setAdding(false)} />}
    </div>
  );
}
