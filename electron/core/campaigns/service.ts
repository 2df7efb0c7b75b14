/**
 * The campaigns domain of one core: a thin facade over the modules that hold the behaviour —
 * definitions.ts (create/update/duplicate/delete), planning.ts (plan, exclusions), lifecycle.ts
 * (start/pause/resume/cancel/resend), series.ts (recurring occurrences), reads.ts (list, status,
 * recipients, report), preview.ts (preview, test send), rate-card.ts, engine.ts (sender +
 * scheduler + webhook status handler) — which share one CampaignsScope (scope.ts) and keep their
 * SQL in store/ (CampaignRepository, LedgerRepository). The composition root (compose.ts) builds the
 * one service of a core and calls `attach()`; `startEngine()` is called by hosts that send (the app,
 * `pacer run`).
 */
import { subscribeClicks } from './clicks';
import type { CoreContext } from '../context';
import type {
  CampaignDraft,
  CampaignEvent,
  CampaignPlan,
  CampaignPreview,
  CampaignState,
  CampaignStatus,
  CampaignSummary,
  ExclusionReason,
  OccurrenceRow,
  RateCardEntry,
  RecipientCounts,
  RecipientRow,
  RecipientState,
  TestSendResult,
} from '../../../shared/contract/campaigns';
import type { CampaignPorts } from './ports';
import { phoneHasher, type CampaignRow } from './runtime';
import type { Scheduler } from './scheduler';
import { bizOpaqueFor, type Sender } from './sender';
import type { WebhookService } from '../webhooks/service';
import type { MediaAccount } from './media';
import * as definitions from './definitions';
import * as engine from './engine';
import * as lifecycle from './lifecycle';
import * as planning from './planning';
import * as preview from './preview';
import * as rates from './rate-card';
import * as reads from './reads';
import * as series from './series';
import { Progress } from './progress';
import type { CampaignsScope } from './scope';
import { sqliteCampaignRepository, sqliteLedgerRepository } from './store';

export { uniqueRecipients24h } from './reads';
export { SERIES_GRACE_MS } from './series';
export type { EngineOptions } from './engine';

export class CampaignsService {
  readonly ports: CampaignPorts;
  private readonly s: CampaignsScope;
  private readonly progress: Progress;

  /**
   * `links`: the webhook service whose statuses `attach()` subscribes to (and re-offers), and the
   * account that header media is uploaded with. Both are passed by the composition root; a test
   * with fake ports may leave them out.
   */
  constructor(
    private readonly ctx: CoreContext,
    ports: CampaignPorts,
    private readonly links: { webhooks?: Pick<WebhookService, 'router' | 'reofferPending'>; account?: MediaAccount } = {},
  ) {
    this.ports = ports;
    this.s = {
      ctx,
      ports: this.ports,
      campaigns: sqliteCampaignRepository(ctx.db),
      ledger: sqliteLedgerRepository(ctx.db),
      hash: phoneHasher(ctx.db),
      exclusions: new Map(),
      seriesInFlight: new Set(),
      sender: null,
      scheduler: null,
      touch: (id) => this.progress.touch(id),
      mediaAccount: links.account ?? null,
    };
    this.progress = new Progress(this.s);
    ctx.onClose(async () => {
      await this.stopEngine();
      // No progress timer may outlive the database it reads.
      this.progress.close();
    });
  }

  private unsubscribeStatus: (() => void) | null = null;
  private unsubscribeClicks: (() => void) | null = null;

  /** Subscribes to delivery statuses on the webhook router (called once by the composition root). */
  attach(): () => void {
    if (!this.unsubscribeStatus && this.links.webhooks) {
      this.unsubscribeStatus = this.links.webhooks.router.on('status', this.statusHandler(), { name: 'campaigns' });
      this.unsubscribeClicks = subscribeClicks(this.ctx, this.links.webhooks.router);
    }
    return () => {
      this.unsubscribeStatus?.();
      this.unsubscribeStatus = null;
      this.unsubscribeClicks?.();
      this.unsubscribeClicks = null;
    };
  }

  /** Offers statuses that arrived before their row was known (or before this service existed) again. */
  async reofferStatuses(): Promise<{ offered: number; matched: number }> {
    return this.links.webhooks ? this.links.webhooks.reofferPending() : { offered: 0, matched: 0 };
  }

  // ---- engine (engine.ts) ----------------------------------------------------------------------

  startEngine(opts: engine.EngineOptions = {}): { recovered: number } {
    return engine.startEngine(this.s, this.progress, opts);
  }
  stopEngine(): Promise<void> {
    return engine.stopEngine(this.s, this.progress);
  }
  abandonEngine(): void {
    engine.abandonEngine(this.s);
  }
  get engine(): { sender: Sender; scheduler: Scheduler } | null {
    return this.s.sender && this.s.scheduler ? { sender: this.s.sender, scheduler: this.s.scheduler } : null;
  }
  statusHandler() {
    return engine.statusHandler(this.s);
  }
  isIdle(): boolean {
    return engine.isIdle(this.s);
  }

  // ---- reading (reads.ts) ----------------------------------------------------------------------

  counts(id: string): RecipientCounts {
    return reads.counts(this.s, id);
  }
  summary(r: CampaignRow): CampaignSummary {
    return reads.summary(this.s, r);
  }
  list(state?: CampaignState): CampaignSummary[] {
    return reads.list(this.s, state);
  }
  get(id: string): CampaignSummary {
    return reads.get(this.s, id);
  }
  status(id: string): CampaignStatus {
    return reads.status(this.s, id);
  }
  recipients(input: {
    id: string;
    state?: RecipientState | RecipientState[];
    error_code?: number;
    search?: string;
    cursor?: number;
    limit: number;
  }) {
    return reads.recipients(this.s, input);
  }
  events(id: string, limit: number): CampaignEvent[] {
    return reads.events(this.s, id, limit);
  }
  reportRows(id: string): Generator<RecipientRow> {
    return reads.reportRows(this.s, id);
  }
  reportSummary(id: string) {
    return reads.reportSummary(this.s, id);
  }

  // ---- definitions (definitions.ts) ------------------------------------------------------------

  create(input: CampaignDraft): CampaignSummary {
    return definitions.create(this.s, input);
  }
  update(id: string, patch: Partial<CampaignDraft>): CampaignSummary {
    return definitions.update(this.s, id, patch);
  }
  duplicate(id: string): CampaignSummary {
    return definitions.duplicate(this.s, id);
  }
  delete(id: string): null {
    return definitions.remove(this.s, id);
  }

  // ---- plan (planning.ts) ----------------------------------------------------------------------

  plan(input: { id?: string; draft?: CampaignDraft }): Promise<CampaignPlan> {
    return planning.plan(this.s, input);
  }
  listExclusions(id: string, reason: ExclusionReason | undefined, offset: number, limit: number) {
    return planning.listExclusions(this.s, id, reason, offset, limit);
  }

  // ---- lifecycle (lifecycle.ts) and series (series.ts) -----------------------------------------

  start(id: string): Promise<CampaignSummary> {
    return lifecycle.start(this.s, id);
  }
  pause(id: string): CampaignSummary {
    return lifecycle.pause(this.s, id);
  }
  resume(id: string): CampaignSummary {
    return lifecycle.resume(this.s, id);
  }
  cancel(id: string): CampaignSummary {
    return lifecycle.cancel(this.s, id);
  }
  /** The campaign's pace changed (campaigns/pace.ts): the sender drops its queued rows and refills with the new rate. */
  paceChanged(id: string): void {
    this.s.sender?.forget(id);
  }
  resend(id: string, which: 'failed' | 'uncertain'): { requeued: number; not_retryable: number; campaign: CampaignSummary } {
    return lifecycle.resend(this.s, id, which);
  }
  /** Called by the scheduler when a series' next occurrence is due (never twice at once per series). */
  runSeries(id: string): Promise<void> {
    return series.runSeries(this.s, id);
  }
  occurrences(id: string, limit: number): { rows: OccurrenceRow[]; total: number } {
    return series.occurrences(this.s, id, limit);
  }

  // ---- preview and test send (preview.ts) ------------------------------------------------------

  preview(input: { id?: string; draft?: CampaignDraft; contact_id?: number }): Promise<CampaignPreview> {
    return preview.preview(this.s, input);
  }
  testSend(id: string, to: string[], contactId?: number, opts: { iHaveConsent?: boolean; actor?: string } = {}): Promise<TestSendResult> {
    return preview.testSend(this.s, id, to, contactId, opts);
  }

  // ---- rate card (rate-card.ts) ----------------------------------------------------------------

  rateCard(): RateCardEntry[] {
    return rates.rateCard(this.s);
  }
  setRateCard(entries: RateCardEntry[]): RateCardEntry[] {
    return rates.setRateCard(this.s, entries);
  }

  bizOpaqueFor(rowId: number): string {
    return bizOpaqueFor(rowId);
  }
}
