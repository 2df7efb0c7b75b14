import { useTranslation } from 'react-i18next';
import { Shell } from './components/Shell';
import { Toasts } from './components/Toasts';
import { AccountPage } from './features/account/AccountPage';
import { CampaignsPage } from './features/campaigns/CampaignsPage';
import { ContactsPage } from './features/contacts/ContactsPage';
import { DashboardPage } from './features/dashboard/DashboardPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { TemplatesPage } from './features/templates/TemplatesPage';
import { useStore } from './store';
import { routeOf, type Route } from './store/location';

const PAGES: Record<Route, () => React.JSX.Element> = {
  dashboard: DashboardPage,
  contacts: ContactsPage,
  templates: TemplatesPage,
  campaigns: CampaignsPage,
  account: AccountPage,
  settings: SettingsPage,
};

export function App() {
  const { t } = useTranslation();
  const ready = useStore((s) => s.settings !== null);
  const bootError = useStore((s) => s.bootError);
  const route = useStore((s) => routeOf(s.location));
  if (bootError) {
    return (
      <div className="boot" data-testid="boot-error">
        <div className="grid">
          <h1>{t('boot.failed')}</h1>
          <p>{bootError}</p>
        </div>
      </div>
    );
  }
  if (!ready)
    return (
      <div className="boot" data-testid="booting">
        {t('boot.loading')}
      </div>
    );
  const Page = PAGES[route];
  return (
    <>
      <Shell>
        <Page />
      </Shell>
      <Toasts />
    </>
  );
}
