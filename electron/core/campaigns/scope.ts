/**
 * What the campaign service modules share (definitions.ts, planning.ts, lifecycle.ts, series.ts,
 * reads.ts, …): the core context, the ports to the other domains, the repositories, and the engine
 * while a host runs one. CampaignsService (service.ts) owns the one scope of a core.
 */
import type { CoreContext } from '../context';
import type { MediaAccount } from './media';
import type { CampaignPorts } from './ports';
import type { PlanResult } from './plan';
import type { Scheduler } from './scheduler';
import type { Sender } from './sender';
import type { CampaignRepository, LedgerRepository } from './store';

export interface CampaignsScope {
  readonly ctx: CoreContext;
  readonly ports: CampaignPorts;
  readonly campaigns: CampaignRepository;
  readonly ledger: LedgerRepository;
  readonly hash: (e164: string) => string;
  /** The last plan's exclusions per campaign (listable). */
  readonly exclusions: Map<string, PlanResult['exclusions']>;
  /** Series whose due occurrence is being acted on (never twice at once per series). */
  readonly seriesInFlight: Set<string>;
  /** The engine, while a host runs one (startEngine … stopEngine). */
  sender: Sender | null;
  scheduler: Scheduler | null;
  /** The account header media is uploaded with (null in tests with fake ports). */
  readonly mediaAccount: MediaAccount | null;
  /** Marks a campaign's progress as changed (a progress event follows, ~10 Hz). */
  touch(id: string): void;
}
