import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LayoutDashboard, Users, FileText, Send, Building2, Settings, Zap } from 'lucide-react';
import { useStore } from '../store';
import { ROUTES, routeOf, type Route } from '../store/location';
import { AccountBadge } from '../features/account/AccountBadge';
import { EngineBanner } from './EngineBanner';

const ICONS: Record<Route, typeof Users> = {
  dashboard: LayoutDashboard,
  contacts: Users,
  templates: FileText,
  campaigns: Send,
  account: Building2,
  settings: Settings,
};

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const route = useStore((s) => routeOf(s.location));
  const navigate = useStore((s) => s.navigate);
  const version = useStore((s) => s.info?.version ?? '');
  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t('appName')} data-testid="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            <Zap size={16} />
          </span>
          <span>{t('appName')}</span>
        </div>
        {ROUTES.map((r) => {
          const Icon = ICONS[r];
          return (
            <button
              key={r}
              className="nav-item"
              data-testid={`nav-${r}`}
              aria-current={route === r ? 'page' : undefined}
              onClick={() => navigate(r)}
            >
              <Icon size={18} aria-hidden />
              <span>{t(`nav.${r}`)}</span>
            </button>
          );
        })}
        <div className="sidebar-foot small muted">
          <AccountBadge />
          <span>{t('sidebar.version', { version })}</span>
        </div>
      </nav>
      <main className="main" data-testid={`page-${route}`}>
        <EngineBanner />
        {children}
      </main>
    </div>
  );
}
