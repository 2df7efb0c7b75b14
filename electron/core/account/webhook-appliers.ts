import type { ManagementEventLike } from './management-events';
import type { AccountService } from './service';

/** Where a management event goes: the webhook router's event type → the service method that applies it. */
export type ManagementAppliers<T extends string> = Record<T, (ev: ManagementEventLike) => void | Promise<void>>;

/** The account's management events (phone quality, messaging limit, restrictions), by router event type. */
export function accountWebhookAppliers(
  account: AccountService,
): ManagementAppliers<'phone_quality' | 'business_capability' | 'account_update'> {
  return {
    phone_quality: (ev) => account.applyPhoneNumberQualityUpdate(ev),
    business_capability: (ev) => account.applyBusinessCapabilityUpdate(ev),
    account_update: (ev) => account.applyAccountUpdate(ev),
  };
}
