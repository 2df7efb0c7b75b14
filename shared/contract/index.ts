/**
 * The one contract between the renderer and the core. Each domain adds its methods and events in
 * its own file; this index joins them. Channel names read `domain:verb`.
 */
import type { z } from 'zod';
import type { MethodSpec } from './define';
import type { Result } from './result';
import { appMethods, appEventNames, type AppEvents, type StagedFileInfo } from './app';
import { whatsappMethods, whatsappEventNames, type WhatsappEvents } from './whatsapp';
import { contactsMethods, contactsEventNames, type ContactsEvents } from './contacts';
import { webhooksMethods, webhooksEventNames, type WebhooksEvents } from './webhooks';
import { campaignsMethods, campaignsEventNames, type CampaignsEvents } from './campaigns';
import { campaignReportsMethods, campaignReportsEventNames, type CampaignReportsEvents } from './campaign-reports';
import { privacyMethods, privacyEventNames, type PrivacyEvents } from './privacy';
import { repliesMethods, repliesEventNames, type RepliesEvents } from './replies';
import { retargetMethods, retargetEventNames, type RetargetEvents } from './retarget';
import { contactAddMethods, contactAddEventNames, type ContactAddEvents } from './contact-add';
import { paceMethods, paceEventNames, type PaceEvents } from './pace';

export const methods = {
  ...appMethods,
  ...whatsappMethods,
  ...contactsMethods,
  ...webhooksMethods,
  ...campaignsMethods,
  ...campaignReportsMethods,
  ...privacyMethods,
  ...repliesMethods,
  ...retargetMethods,
  ...contactAddMethods,
  ...paceMethods,
} as const;

export type EventMap = AppEvents &
  WhatsappEvents &
  ContactsEvents &
  WebhooksEvents &
  CampaignsEvents &
  CampaignReportsEvents &
  PrivacyEvents &
  RepliesEvents &
  RetargetEvents &
  ContactAddEvents &
  PaceEvents;
export const eventNames = [
  ...appEventNames,
  ...whatsappEventNames,
  ...contactsEventNames,
  ...webhooksEventNames,
  ...campaignsEventNames,
  ...campaignReportsEventNames,
  ...privacyEventNames,
  ...repliesEventNames,
  ...retargetEventNames,
  ...contactAddEventNames,
  ...paceEventNames,
] as const satisfies readonly (keyof EventMap)[];

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type EventName = keyof EventMap;
export type InputOf<M extends MethodName> = z.input<Methods[M]['input']>;
export type ParsedInputOf<M extends MethodName> = z.output<Methods[M]['input']>;
export type OutputOf<M extends MethodName> = Methods[M] extends MethodSpec<z.ZodType, infer O> ? O : never;

export const methodNames = Object.keys(methods) as MethodName[];
export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && (eventNames as readonly string[]).includes(name);

/** What the renderer talks to. Both transports (Electron IPC, loopback bridge) implement it. */
export interface Api {
  call<M extends MethodName>(method: M, input: InputOf<M>): Promise<Result<OutputOf<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /** Hands a file the user picked (drop or file dialog) to the core; import methods take its fileId. */
  uploadFile(file: File): Promise<Result<StagedFileInfo>>;
}

/** The shape the preload exposes on `window.pacer`: one named function per method and event. */
export type PreloadBridge = {
  methods: { [M in MethodName]: (input: InputOf<M>) => Promise<Result<OutputOf<M>>> };
  events: { [E in EventName]: (listener: (payload: EventMap[E]) => void) => () => void };
  uploadFile(file: File): Promise<Result<StagedFileInfo>>;
};

export * from './result';
export * from './define';
export * from './app';
export * from './whatsapp';
export * from './contacts';
export * from './privacy';
export * from './consent-evidence';
