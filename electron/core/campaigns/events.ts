/** The campaign event log as the services write it (the report's "events"). */
import type { CampaignsScope } from './scope';

export function event(s: CampaignsScope, id: string, kind: string, detail: Record<string, unknown>): void {
  s.campaigns.insertEvent(id, s.ctx.clock.now(), kind, detail);
}
