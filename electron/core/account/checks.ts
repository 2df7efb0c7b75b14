/**
 * What a connect proves before anything is stored: the WABA answers (URL, API version, token and
 * its permissions, WABA id), the phone number is one of that WABA's, and the app secret belongs to
 * the token's app. Each failure is a `bad_input` / `forbidden` / `unavailable` naming the field.
 */
import { PacerError } from '../errors';
import { GraphApiError, type GraphClient, type GraphPhoneNumber, type GraphWaba } from '../whatsapp/client';
import type { ConnectInput } from '../../../shared/contract/whatsapp';
import { connectError } from './connect-errors';

type Ids = Parameters<typeof connectError>[2];

/** The WABA and its numbers, once the number given is known to be one of them. */
export async function checkWabaAndNumber(
  probe: GraphClient,
  input: ConnectInput,
  ids: Ids,
): Promise<{ waba: GraphWaba; numbers: GraphPhoneNumber[] }> {
  // 1. The WABA: proves the URL, the version, the token and its permissions, and the WABA id.
  let waba: GraphWaba;
  try {
    waba = await probe.getWaba(input.wabaId);
  } catch (e) {
    throw connectError(e, 'waba', ids);
  }
  // 2. The number belongs to that WABA.
  let numbers: GraphPhoneNumber[];
  try {
    numbers = await probe.listPhoneNumbers(input.wabaId);
  } catch (e) {
    throw connectError(e, 'waba', ids);
  }
  if (!numbers.some((n) => n.id === input.phoneNumberId)) {
    let elsewhere = false;
    try {
      await probe.getPhoneNumber(input.phoneNumberId);
      elsewhere = true;
    } catch (e) {
      if (!(e instanceof GraphApiError) || (e.code !== 100 && e.code !== 803)) throw connectError(e, 'phone', ids);
    }
    throw new PacerError(
      'bad_input',
      elsewhere
        ? `Phone number ${input.phoneNumberId} is not in WhatsApp Business Account ${input.wabaId}. Pick a number of this account, or the account that owns the number.`
        : `No phone number with id ${input.phoneNumberId} is visible to this token. Use the phone number ID (not the phone number) from WhatsApp Manager.`,
      { field: 'phoneNumberId', reason: elsewhere ? 'phone_not_in_waba' : 'phone_not_found' },
    );
  }
  return { waba, numbers };
}

/** 3. The app secret (used to check webhook signatures) belongs to the token's app. */
export async function checkAppSecret(probe: GraphClient, phoneNumberId: string, appSecret: string, ids: Ids): Promise<void> {
  try {
    await probe.checkAppSecretProof(phoneNumberId, appSecret);
  } catch (e) {
    throw connectError(e, 'app_secret', ids);
  }
}
