import { useEffect } from 'react';
import { useStore } from '../../store';
import { CampaignList } from './CampaignList';
import { CampaignBuilder } from './builder/CampaignBuilder';
import { CampaignDetail } from './detail/CampaignDetail';
import './campaigns.css';

/** Campaigns: the list, the builder and one campaign's live page, switched inside the route. */
export function CampaignsPage() {
  const view = useStore((s) => s.campaignView);
  const initCampaigns = useStore((s) => s.initCampaigns);
  useEffect(() => {
    // From the sidebar: the list. From a link that chose a campaign just now (dashboard card): that campaign.
    if (Date.now() - useStore.getState().campaignViewAt > 1500) useStore.setState({ campaignView: { kind: 'list' } });
    void initCampaigns();
    const s = useStore.getState();
    if (!s.templates) void s.initTemplates();
    if (!s.account) void s.initAccount();
    void s.loadContactFacets();
  }, [initCampaigns]);
  if (view.kind === 'builder') return <CampaignBuilder key={view.id ?? 'new'} id={view.id} />;
  if (view.kind === 'detail') return <CampaignDetail key={view.id} id={view.id} />;
  return <CampaignList />;
}
