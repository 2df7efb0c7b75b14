/**
 * Which failed rows "Resend failed" puts back in the queue. A failure whose class says the same
 * message to the same person cannot succeed (not on WhatsApp, opted out, a payload Meta refuses) is
 * left failed: requeueing it would only say "2 queued" while the counts never move. The core's
 * resend and the campaign page's failures card both read this list, so the page says beforehand
 * which failures will be retried.
 */
export const NOT_RETRYABLE_CLASSES = ['terminal_recipient', 'suppress_contact', 'fix_payload'] as const;

export function isRetryableFailure(errorClass: string | null): boolean {
  return !(NOT_RETRYABLE_CLASSES as readonly string[]).includes(errorClass ?? '');
}
