import { PacerError } from '../errors';
import { GraphApiError } from '../whatsapp/client';
import type { ConnectErrorDetails, ConnectField } from '../../../shared/contract/whatsapp';

/**
 * Turns what Graph answered during `account:connect` into a message for ONE field of the wizard.
 * `step` is what was being checked: the WABA (first call: it also proves the token and URL), the
 * phone number, or the app secret.
 */
export function connectError(
  e: unknown,
  step: 'waba' | 'phone' | 'app_secret',
  ids: { wabaId: string; phoneNumberId: string; graphUrl: string; apiVersion: string },
): PacerError {
  if (!(e instanceof GraphApiError)) return new PacerError('internal', e instanceof Error ? e.message : String(e));
  const fail = (
    field: ConnectField,
    reason: ConnectErrorDetails['reason'],
    message: string,
    code: 'bad_input' | 'unavailable' = 'bad_input',
  ) => new PacerError(code, message, { field, reason, ...(e.code !== null ? { graphCode: e.code } : {}) } satisfies ConnectErrorDetails);

  if (e.retryAt !== null || e.code === 4 || e.code === 80007 || e.code === 17 || e.code === 613) {
    const when = e.retryAt !== null ? ` after ${new Date(e.retryAt).toISOString().slice(11, 16)} UTC` : ' later';
    return fail('wabaId', 'rate_limited', `Meta's hourly limit for account calls was reached. Try again${when}.`, 'unavailable');
  }
  if (e.code === null) {
    if (e.httpStatus === 404 || e.httpStatus === 400) {
      return fail(
        'apiVersion',
        'version_unsupported',
        `${ids.graphUrl} does not answer for API version ${ids.apiVersion} (HTTP ${e.httpStatus}). Check the version (e.g. v24.0) and the URL.`,
      );
    }
    return fail(
      'graphUrl',
      'unreachable',
      e.httpStatus
        ? `${ids.graphUrl} is not a Cloud API endpoint (HTTP ${e.httpStatus}, not a Graph answer).`
        : `Cannot reach ${ids.graphUrl}: ${e.message}`,
      'unavailable',
    );
  }
  if (e.code === 190) {
    const expired = e.subcode === 463 || /expired/i.test(e.message);
    return fail(
      'accessToken',
      expired ? 'token_expired' : 'token_invalid',
      expired
        ? 'The access token has expired. Create a new one (a system-user token does not expire) and paste it here.'
        : `The access token was rejected (${e.message}). Check that you copied all of it.`,
    );
  }
  if (e.code === 0 || e.code === 102) return fail('accessToken', 'token_invalid', `The access token was rejected (${e.message}).`);
  if (e.code === 10 || e.code === 3 || (e.code >= 200 && e.code <= 299)) {
    return fail(
      'accessToken',
      'token_permissions',
      'The access token lacks a permission: it needs whatsapp_business_management and whatsapp_business_messaging for this WhatsApp Business Account.',
    );
  }
  if (/unknown path|version/i.test(e.message) && (e.code === 2500 || e.code === 2635 || e.code === 12)) {
    return fail('apiVersion', 'version_unsupported', `The Graph API does not accept version ${ids.apiVersion}: ${e.message}`);
  }
  if (step === 'app_secret' && e.code === 100) {
    return fail(
      'appSecret',
      'app_secret_mismatch',
      'The app secret does not belong to the app of this access token (Meta rejected the appsecret_proof).',
    );
  }
  if (e.code === 100 || e.code === 803) {
    return step === 'waba'
      ? fail(
          'wabaId',
          'waba_not_found',
          `No WhatsApp Business Account ${ids.wabaId} is visible to this token. Copy the WABA id from WhatsApp Manager → Account tools.`,
        )
      : fail(
          'phoneNumberId',
          'phone_not_found',
          `No phone number with id ${ids.phoneNumberId} is visible to this token. Use the phone number ID (not the phone number) from WhatsApp Manager → Phone numbers.`,
        );
  }
  return new PacerError(
    e.errorClass === 'retry_soon' ? 'unavailable' : 'bad_input',
    `Meta answered: ${e.message}${e.code !== null ? ` (code ${e.code})` : ''}`,
    {
      field: step === 'waba' ? 'wabaId' : step === 'phone' ? 'phoneNumberId' : 'appSecret',
      reason: 'unreachable',
      graphCode: e.code,
    } satisfies ConnectErrorDetails,
  );
}
