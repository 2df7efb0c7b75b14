import { useEffect } from 'react';
import { useStore } from '../../store';
import { CampaignList } from './CampaignList';
import { CampaignBuilder } from './builder/CampaignBuilder';
import { CampaignDetail } from './detail/CampaignDetail';
import './campaigns.css';

/** Campaigns: the list, the builder and one campaign's live page, switched inside the route. */
export function CampaignsPage() {
  const location = useStore((s) => s.location);
  const initCampaigns = useStore((s) => s.initCampaigns);
  useEffect(() => {
    void initCampaigns();
    const s = useStore.getState();
    if (!s.templates) void s.initTemplates();
    if (!s.account) void s.initAccount();
    void s.loadContactFacets();
  }, [initCampaigns]);
  if (location.page === 'builder') return <CampaignBuilder key={location.id ?? 'new'} id={location.id} />;
  if (location.page === 'campaign') return <CampaignDetail key={location.id} id={location.id} />;
  return <CampaignList />;
}
