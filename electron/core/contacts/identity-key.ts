/**
 * The identity key of a contact for hashes that used to take only its E.164 number (the ledger's
 * phone_hash, the erasure suppression record): the phone, or `bsuid:<user_id>` for a contact
 * known only by its business-scoped user id. A phone never starts with "bsuid:", so keys never clash.
 * Pure (no store): an import's reading thread checks rows against erasure records with it.
 */
export const identityKey = (phone: string | null, userId: string | null): string => phone ?? `bsuid:${userId ?? ''}`;
