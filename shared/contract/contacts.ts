/**
 * Contacts domain contract: import wizard, contacts table, contact drawer, consent, segments.
 *
 * For the UI (A2):
 * - Import flow: `files` upload → `import:preview` (format, encoding, headers, first rows, guessed
 *   mapping) → user edits mapping/country/tags/consent → `import:start` with `dryRun: true`
 *   (nothing is written; the report lists every rejected row) → `import:start` with `dryRun: false`.
 *   Both answer a `jobId` at once; progress arrives as `import:progress` events (≥ 4/s while
 *   running) and the end as one `import:finished`. `import:status` / `import:report` can be polled
 *   too (e.g. after a reload). `import:cancel` stops a job; a cancelled or failed import writes
 *   nothing (the store is unchanged).
 * - Contacts table: `contacts:query` with offset/limit pages (ask for ~100–200 rows per page as the
 *   virtualised list scrolls; `total` tells the scroll height). Filters combine with AND.
 * - Drawer: `contacts:get` (attributes, tags, consent per category, append-only consent history,
 *   message history — filled by campaigns later, may be empty).
 * - Bulk actions: `contacts:bulk` with `confirm: false` answers how many contacts WOULD be affected
 *   (show it in the confirmation dialog), then the same call with `confirm: true` does it.
 * - Phone numbers are always E.164 strings ('+972541234567'); show them in an element with class
 *   "ltr" inside Hebrew text. Times are epoch milliseconds.
 * - Error codes (Result.code): 'bad_input' (show message — it is specific and user-facing,
 *   e.g. "The file is empty."), 'not_found', 'conflict' (e.g. an import already running),
 *   'cancelled'.
 */
import { z } from 'zod';
import { method } from './define';
import type { ConsentEvidence } from './consent-evidence';

// ---------------------------------------------------------------------------------------------
// Shared vocabulary
// ---------------------------------------------------------------------------------------------

export const CONSENT_CATEGORIES = ['marketing', 'utility'] as const;
export type ConsentCategory = (typeof CONSENT_CATEGORIES)[number];

export const CONSENT_STATES = ['opted_in', 'opted_out', 'unknown'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

/** Where a consent change came from (the ledger keeps it with every event). */
export const CONSENT_SOURCES = ['import', 'manual', 'keyword', 'button', 'meta_preference', 'error_131050'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export const ATTRIBUTE_TYPES = ['text', 'number', 'date', 'boolean'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** Attribute values as stored: dates are 'YYYY-MM-DD' strings. */
export type AttributeValue = string | number | boolean;

/** Detected file formats. 'google' / 'outlook' are CSV exports recognised by their headers. */
export const IMPORT_FORMATS = ['csv', 'tsv', 'xlsx', 'vcard', 'google', 'outlook'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Encodings the importer reads (names as the user picks them; `encoding` inputs take these). */
export const IMPORT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1255', 'windows-1252', 'big5', 'gb18030', 'shift_jis'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

/**
 * What a column can be mapped to: a built-in field, or `attr.NAME` for a typed custom attribute
 * (NAME: letters, digits, _ and -, up to 64 characters; any script).
 * - `phone` may be mapped from several columns (e.g. Mobile, Home, Business): the first valid
 *   MOBILE number wins, in mapping order.
 * - `name` is a full name (used when first/last are not mapped). `tags` cells may hold several
 *   tags separated by , ; | or " ::: ". `consent` cells: yes/no/y/n/true/false/1/0/opted_in/
 *   opted_out/opt-in/opt-out/subscribed/unsubscribed/agreed/declined, כן/לא/מאשר/לא מאשר/מסכים/
 *   לא מסכים, 是/否/同意/不同意/願意/不願意/訂閱/取消訂閱 … A "no" is recorded as an opt-out and always
 *   wins over the options' `consent` box; an empty cell says nothing (the box decides); any other
 *   value is not understood: nothing is recorded and the row is noted ('consent_unrecognised').
 */
export const BUILTIN_IMPORT_FIELDS = [
  'phone',
  'first_name',
  'last_name',
  'name',
  'email',
  'tags',
  'consent',
  'country',
  'user_id',
  'username',
] as const;
export type BuiltinImportField = (typeof BUILTIN_IMPORT_FIELDS)[number];
export const ATTRIBUTE_NAME_RE = /^[\p{L}\p{N}_-]{1,64}$/u;
export const importFieldSchema = z.union([
  z.enum(BUILTIN_IMPORT_FIELDS),
  z.string().regex(/^attr\.[\p{L}\p{N}_-]{1,64}$/u, 'attribute fields read attr.NAME'),
]);
export type ImportField = z.infer<typeof importFieldSchema>;

/** One column → field assignment. `column` is the header text as `import:preview` shows it. */
export const mappingEntrySchema = z
  .object({
    column: z.string().min(1).max(500),
    field: importFieldSchema,
    /** Only for attr.* fields; guessed from the values when omitted. */
    type: z.enum(ATTRIBUTE_TYPES).optional(),
  })
  .strict();
export type MappingEntry = z.infer<typeof mappingEntrySchema>;
export const mappingSchema = z.array(mappingEntrySchema).max(500);

const countrySchema = z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code such as IL');
const tagSchema = z.string().trim().min(1).max(100);
const fileIdSchema = z.string().uuid();

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

export interface SavedMapping {
  id: number;
  name: string;
  mapping: MappingEntry[];
  /** The headers it was saved from; the UI may offer it when a new file has the same headers. */
  headers: string[];
  createdAt: number;
  /** True when its columns all exist in the previewed file (import:preview only). */
  matches?: boolean;
}

export interface ImportPreview {
  fileId: string;
  fileName: string;
  size: number;
  format: ImportFormat;
  encoding: ImportEncoding;
  /** True when the encoding was detected (not given); the UI shows an override picker either way. */
  encodingDetected: boolean;
  /** ',', '\t', ';', '|' for delimited text; null for xlsx/vCard. */
  delimiter: string | null;
  /** xlsx only: every sheet name; `sheet` is the one previewed (first by default). */
  sheets: string[];
  sheet: string | null;
  /** Column headers (for vCard: the fields found, e.g. "Name", "Phone", "Email"). */
  headers: string[];
  /** Up to 20 first data rows, each cell as displayed text, aligned with headers. */
  rows: string[][];
  /** Guessed mapping (every column the guesser recognised; attr.* entries carry a guessed type). */
  mapping: MappingEntry[];
  /** Saved mappings, those whose columns all exist in this file marked `matches`. */
  savedMappings: SavedMapping[];
  /** Non-fatal notes as codes the UI translates: 'encoding_uncertain', 'no_phone_column'. */
  warnings: string[];
  /** What was guessed from the data rather than the headers (import/guess-data.ts), with the counts behind it. */
  guesses?: ImportGuesses;
}

export interface ImportGuesses {
  /** No header named a phone column: this column's sample values are mostly valid numbers (`valid` of `of`). */
  phoneFromData: { column: string; valid: number; of: number } | null;
  /** The country most sample numbers written with a country code belong to (`numbers` of `of`): the proposed default country. */
  country: { country: string; numbers: number; of: number } | null;
  /** Plain-word headers no built-in field took, mapped to custom attributes of that name. */
  customColumns: string[];
}

export const importOptionsSchema = z
  .object({
    fileId: fileIdSchema,
    mapping: mappingSchema,
    /** Country for numbers written without a country code (default: Settings.defaultCountry). */
    defaultCountry: countrySchema.optional(),
    tags: z.array(tagSchema).max(50).default([]),
    /**
     * Record an opt-in for this category for every imported contact whose consent column (if one is
     * mapped) says nothing, with evidence FILE:row. The file's own yes/no always wins; the column
     * is recorded for this category (marketing when null).
     */
    consent: z.enum(CONSENT_CATEGORIES).nullable().default(null),
    /** Free text kept as evidence with each consent event (e.g. "signup form 2025"). */
    consentSource: z.string().max(500).optional(),
    /** A contact already in the store (same E.164 phone): skip it, or update its fields. */
    onDuplicate: z.enum(['skip', 'update']).default('skip'),
    encoding: z.enum(IMPORT_ENCODINGS).optional(),
    sheet: z.string().max(200).optional(),
    /** Validate and report without writing anything. */
    dryRun: z.boolean().default(false),
    /** Also save this mapping under a name for next time. */
    saveMappingAs: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type ImportOptions = z.input<typeof importOptionsSchema>;

export type ImportPhase = 'reading' | 'writing' | 'indexing' | 'done';
export type ImportJobState = 'running' | 'done' | 'failed' | 'cancelled';

/** A rejected row: `row` is the 1-based data row number (header excluded; vCard: card number). */
export interface ImportRowError {
  row: number;
  /**
   * Machine code: 'no_phone' | 'invalid_phone' | 'not_mobile' | 'duplicate_in_file' | 'duplicate_in_store' | 'invalid_email' | 'invalid_attribute' | 'erased' (erased at the person's request) …
   * Notes on rows that are imported all the same: 'consent_unrecognised' (reason: `consent value "…" is not understood …`),
   * 'opted_out_kept' (the file or the box said yes but the contact opted out on YYYY-MM-DD: kept opted out).
   */
  code: string;
  /** Specific English text, e.g. "not a valid number for IL: 05412", "duplicate of row 7" (CLI, logs; the UI never parses it). */
  reason: string;
  /**
   * What the UI needs to say it in the user's language: 'erased' and 'opted_out_kept' → `date`
   * (YYYY-MM-DD, UTC); 'consent_unrecognised' → `value` (the cell, at most 40 characters).
   */
  params?: ImportRowParams;
}

export interface ImportRowParams {
  date?: string;
  value?: string;
}

/** Counts as in the CLI contract: imported + updated + duplicates + invalid + skipped = rows. */
export interface ImportCounts {
  rows: number;
  imported: number;
  updated: number;
  /** Duplicates within the file (a later row with a phone seen earlier). */
  duplicates: number;
  invalid: number;
  /** Rows whose contact already exists and onDuplicate = 'skip' (or nothing to update). */
  skipped: number;
}

/**
 * What the import records for consent, per row written or skipped (they add up to imported +
 * updated + skipped), and why: the file's consent column or the options' blanket box.
 */
export interface ImportConsentCounts {
  /** The category recorded: the box's, else marketing. */
  category: ConsentCategory;
  /** The mapped consent column's header, or null when none is mapped. */
  column: string | null;
  /** Whether the blanket "these people agreed" box was ticked. */
  box: boolean;
  /** Opted in because their consent cell says yes (or already were). */
  optedInByFile: number;
  /** Opted in by the box: the file says nothing for them (or has no consent column). */
  optedInByBox: number;
  /** Opted out because their consent cell says no (or already were) — even under 'skip'. */
  optedOutByFile: number;
  /** The file or the box says yes, but the contact opted out: kept opted out (only they can opt back in). */
  keptOptedOut: number;
  /** Nothing recorded: nothing said and no box, or already stored and skipped. New ones stay unknown. */
  notRecorded: number;
  /** Their consent cell is not understood (e.g. "maybe"): nothing recorded, noted per row. */
  unrecognised: number;
}

export interface ImportReport extends ImportCounts {
  jobId: string;
  dryRun: boolean;
  format: ImportFormat;
  encoding: ImportEncoding;
  fileName: string;
  startedAt: number;
  finishedAt: number;
  /** Total rejected/noted rows; `errors` holds the page asked for (import:report) or the first 100. */
  errorsTotal: number;
  errors: ImportRowError[];
  /**
   * Rows whose number is already in Pacer (counted as skipped, or updated under 'update'): how many,
   * and which (row number and E.164), in row order — the first 100 (status) or the page asked for.
   */
  existingTotal: number;
  existing: ImportExistingRow[];
  consent: ImportConsentCounts;
}

/** A saved import in the history (newest first), with how many rows it rejected or noted. */
export interface ImportHistoryEntry {
  id: string;
  fileName: string;
  format: string;
  startedAt: number;
  finishedAt: number;
  counts: ImportCounts;
  errorsTotal: number;
}

/** A file row whose number is already a contact: `row` as in ImportRowError, `phone` the stored E.164. */
export interface ImportExistingRow {
  row: number;
  phone: string;
}

/**
 * An import's progress. Phase 'reading': rows are read and (unless a dry run) saved as they come, in
 * the import's one transaction — `counts` says how many so far; 'writing': everything was read, the
 * commit follows (no cancel any more); 'done'.
 */
export interface ImportProgress {
  jobId: string;
  phase: ImportPhase;
  dryRun: boolean;
  rowsRead: number;
  bytesRead: number;
  bytesTotal: number;
  counts: ImportCounts;
}

export interface ImportJob {
  jobId: string;
  state: ImportJobState;
  progress: ImportProgress;
  /** Set when state is 'done'. */
  report: ImportReport | null;
  /**
   * Set when state is 'failed' (or 'cancelled'): the code, the core's English message (CLI) and,
   * for a file it could not read, `details` {reason, …params} the UI translates (IMPORT_FILE_ERRORS).
   */
  error: { code: string; message: string; details?: unknown } | null;
}

// ---------------------------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------------------------

export interface ContactRow {
  id: number;
  /**
   * E.164, or null for a person known only by their WhatsApp business-scoped user id (they wrote
   * with a username and no number; docs/contacts.md): `user_id` is then set and sends address it.
   */
  phone: string | null;
  /** Display name: "first last", or the imported full name. */
  name: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  /** ISO country of the phone number (from libphonenumber). */
  country: string | null;
  tags: string[];
  attributes: Record<string, AttributeValue>;
  consent: Record<ConsentCategory, ConsentState>;
  created_at: number;
  updated_at: number;
  last_messaged_at: number | null;
  /** WhatsApp business-scoped user id and username (BSUID). */
  user_id?: string | null;
  username?: string | null;
}

/** Why the importer refused a file (`details.reason` of its bad_input), each worded by the UI. */
export const IMPORT_FILE_ERRORS = [
  'file_empty',
  'file_xls',
  'file_binary',
  'file_encoding',
  'file_quote',
  'file_long_row',
  'vcard_long_line',
  'xlsx_file_too_large',
  'xlsx_unreadable',
  'xlsx_no_sheets',
  'xlsx_no_sheet',
  'xlsx_sheet_empty',
] as const;
export type ImportFileError = (typeof IMPORT_FILE_ERRORS)[number];

export interface ConsentEvent {
  id: number;
  category: ConsentCategory;
  state: Exclude<ConsentState, 'unknown'>;
  source: ConsentSource;
  /** e.g. "import contacts.csv:17", "manual", "keyword STOP". */
  sourceDetail: string;
  /** Who: 'user' (the app's user), 'cli', 'system', 'webhook'. */
  actor: string;
  /** The evidence in English (the CLI's and CSV's wording; the only form of rows from before evidence_data). */
  evidence: string | null;
  /** The evidence as a code with parameters, which screens translate; null for legacy rows and none. */
  evidenceData: ConsentEvidence | null;
  at: number;
}

/** Filled by campaigns (their send ledger); empty until then. */
export interface MessageHistoryRow {
  campaignId: string | null;
  campaignName: string | null;
  template: string | null;
  status: string;
  at: number;
  error: string | null;
}

/** Why a contact is held from sends: its number changed hands (see contacts:confirm-number). */
export const HOLD_REASONS = ['user_changed_number', 'identity_changed'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export interface ContactHold {
  reason: HoldReason;
  /** Evidence: the system message or the old/new identity hashes. */
  detail: string | null;
  heldAt: number;
}

export interface HoldEvent {
  kind: 'held' | 'confirmed';
  reason: HoldReason | null;
  detail: string | null;
  actor: string;
  at: number;
}

export interface ContactDetail {
  contact: ContactRow;
  consentHistory: ConsentEvent[];
  messages: MessageHistoryRow[];
  /** Set while the contact is held from sends because its number changed hands. */
  hold: ContactHold | null;
  /** Holds and confirmations, newest first. */
  holdHistory: HoldEvent[];
}

export const contactFilterSchema = z
  .object({
    /** Name fragment, phone in any format or fragment (digits), email, or attribute value. */
    search: z.string().trim().max(200).optional(),
    tag: tagSchema.optional(),
    /** Consent state in a category (default category: marketing). */
    consent: z.enum(CONSENT_STATES).optional(),
    consentCategory: z.enum(CONSENT_CATEGORIES).default('marketing'),
    country: countrySchema.optional(),
    /** Saved segment id. */
    segment: z.number().int().positive().optional(),
  })
  .strict();
export type ContactFilter = z.input<typeof contactFilterSchema>;

export const CONTACT_SORTS = ['created', 'updated', 'name', 'phone'] as const;

const contactRefSchema = z.union([
  z.object({ id: z.number().int().positive() }).strict(),
  z.object({ phone: z.string().min(3).max(40) }).strict(),
  /** A contact by its WhatsApp business-scoped user id (one known only by it has no phone). */
  z.object({ userId: z.string().min(3).max(80) }).strict(),
]);

// ---------------------------------------------------------------------------------------------
// Segments
// ---------------------------------------------------------------------------------------------

export const segmentConditionSchema = z.discriminatedUnion('field', [
  z.object({ field: z.literal('tag'), op: z.enum(['has', 'not_has']), value: tagSchema }).strict(),
  z
    .object({
      field: z.literal('consent'),
      category: z.enum(CONSENT_CATEGORIES),
      op: z.enum(['is', 'is_not']),
      value: z.enum(CONSENT_STATES),
    })
    .strict(),
  z.object({ field: z.literal('country'), op: z.enum(['in', 'not_in']), values: z.array(countrySchema).min(1).max(300) }).strict(),
  z
    .object({
      field: z.literal('attr'),
      name: z.string().regex(ATTRIBUTE_NAME_RE),
      op: z.enum(['eq', 'neq', 'contains', 'gt', 'lt', 'exists', 'not_exists']),
      /** Number for number attributes, 'YYYY-MM-DD' for dates, true/false for booleans. */
      value: z.union([z.string().max(500), z.number(), z.boolean()]).optional(),
    })
    .strict(),
  z
    .object({
      field: z.literal('last_messaged'),
      op: z.enum(['within_days', 'not_within_days', 'never']),
      days: z.number().int().min(1).max(3650).optional(),
    })
    .strict(),
]);
export type SegmentCondition = z.infer<typeof segmentConditionSchema>;

export const segmentRuleSchema = z
  .object({
    /** 'all' = every condition (AND), 'any' = at least one (OR). */
    match: z.enum(['all', 'any']).default('all'),
    conditions: z.array(segmentConditionSchema).max(50),
  })
  .strict();
export type SegmentRule = z.input<typeof segmentRuleSchema>;

export interface Segment {
  id: number;
  name: string;
  rule: z.output<typeof segmentRuleSchema>;
  /** Contacts matching now (opted-out included; audiences exclude them separately). */
  count: number;
  createdAt: number;
  updatedAt: number;
}

// ---------------------------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------------------------

export interface ContactsStats {
  total: number;
  /** Per category: how many are opted in / out / unknown. */
  consent: Record<ConsentCategory, Record<ConsentState, number>>;
  /** Top countries by count. */
  countries: { country: string; count: number }[];
  tags: number;
  segments: number;
  lastImportAt: number | null;
}

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  /** Contacts with a value. */
  count: number;
}

/**
 * Business-scoped user ids (BSUID, docs/contacts.md): a contact's BSUID / parent id / username, and
 * the people known only by BSUID (they wrote or stopped without a phone; no contact has their id
 * yet) with the consent they expressed — applied to the contact once a webhook links the id.
 */
export interface UserIdInfo {
  contact: { userId: string | null; parentUserId: string | null; username: string | null } | null;
  withoutPhone: { userId: string; username: string | null; profileName: string | null; state: 'opted_in' | 'opted_out'; at: number }[];
}

export const contactsMethods = {
  /** BSUID of one contact (contactId) and the people known only by BSUID. */
  'contacts:user-ids': method<UserIdInfo>()(z.object({ contactId: z.number().int().positive().optional() }).strict()),
  /** Reads the staged file's start: format, encoding, headers, first 20 rows, guessed mapping. */
  'import:preview': method<ImportPreview>()(
    z.object({ fileId: fileIdSchema, encoding: z.enum(IMPORT_ENCODINGS).optional(), sheet: z.string().max(200).optional() }).strict(),
  ),
  /** Starts an import (or a dry run with dryRun: true). One import at a time: 'conflict' otherwise. */
  'import:start': method<{ jobId: string }>()(importOptionsSchema),
  'import:status': method<ImportJob>()(z.object({ jobId: z.string().min(1) }).strict()),
  /** The finished report with a page of rejected rows (for the table and the CSV download). */
  'import:report': method<ImportReport>()(
    z
      .object({
        jobId: z.string().min(1),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(100_000).default(100),
      })
      .strict(),
  ),
  /** Saved imports, newest first (the import history). */
  'import:history': method<ImportHistoryEntry[]>()(z.object({ limit: z.number().int().min(1).max(200).default(20) }).strict()),
  /** A saved import's rejected/noted rows (kept after the wizard closes and across restarts). */
  'import:rejected': method<{ rows: ImportRowError[]; total: number }>()(
    z
      .object({
        importId: z.string().min(1).max(64),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(100_000).default(100),
      })
      .strict(),
  ),
  /** Cancels a running job; nothing it did is kept. Answers null (also when already finished). */
  'import:cancel': method<null>()(z.object({ jobId: z.string().min(1) }).strict()),
  'import:mappings': method<SavedMapping[]>()(z.object({}).strict()),
  'import:mapping-save': method<SavedMapping>()(
    z
      .object({
        name: z.string().trim().min(1).max(100),
        mapping: mappingSchema,
        headers: z.array(z.string().max(500)).max(500).default([]),
      })
      .strict(),
  ),
  'import:mapping-delete': method<null>()(z.object({ id: z.number().int().positive() }).strict()),

  /** A page of the contacts table. Fast at any offset over 1,000,000 contacts. */
  'contacts:query': method<{ total: number; rows: ContactRow[] }>()(
    contactFilterSchema
      .extend({
        sort: z.enum(CONTACT_SORTS).default('created'),
        order: z.enum(['asc', 'desc']).default('desc'),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
  ),
  'contacts:get': method<ContactDetail>()(contactRefSchema),
  /** Edits a contact's fields; tags and attributes given replace the old ones. */
  'contacts:update': method<ContactRow>()(
    z
      .object({
        id: z.number().int().positive(),
        first_name: z.string().max(200).nullable().optional(),
        last_name: z.string().max(200).nullable().optional(),
        email: z.string().max(320).nullable().optional(),
        tags: z.array(tagSchema).max(200).optional(),
        attributes: z
          .record(z.string().regex(ATTRIBUTE_NAME_RE), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
          .optional(),
      })
      .strict(),
  ),
  /**
   * Bulk action on explicit ids or on everything matching a filter. With confirm: false nothing
   * changes and `matched` says how many contacts would be affected.
   */
  'contacts:bulk': method<{ matched: number; affected: number }>()(
    z
      .object({
        action: z.enum(['tag', 'untag', 'opt-out', 'delete']),
        /** For tag/untag. */
        tag: tagSchema.optional(),
        /** For opt-out: a category or 'all'. */
        category: z.enum([...CONSENT_CATEGORIES, 'all']).default('all'),
        reason: z.string().max(500).optional(),
        ids: z.array(z.number().int().positive()).max(100_000).optional(),
        filter: contactFilterSchema.optional(),
        confirm: z.boolean().default(false),
      })
      .strict(),
  ),
  /**
   * Records an opt-in. Re-opting-in a contact that opted out REQUIRES `reason` (kept as evidence);
   * without it the answer is 'bad_input'.
   */
  'contacts:opt-in': method<ContactRow>()(
    z
      .object({
        contact: contactRefSchema,
        category: z.enum(CONSENT_CATEGORIES),
        /** How consent was given, e.g. "paper form at store 12". */
        source: z.string().trim().min(1).max(500),
        reason: z.string().trim().max(500).optional(),
      })
      .strict(),
  ),
  'contacts:opt-out': method<ContactRow>()(
    z
      .object({
        contact: contactRefSchema,
        category: z.enum([...CONSENT_CATEGORIES, 'all']).default('all'),
        reason: z.string().trim().max(500).optional(),
      })
      .strict(),
  ),
  /**
   * The marketer confirms a contact whose number changed hands: the hold is removed and who/when
   * is kept in the hold history. `released` is false when the contact was not held.
   */
  'contacts:confirm-number': method<{ released: boolean; contact: ContactRow }>()(contactRefSchema),
  /** Erasure: removes the contact and its personal data; anonymous campaign counts stay correct. */
  /**
   * Erasure. `backups_removed`: the backups Pacer had made (before a migration, before encryption)
   * still held the person, so they were removed (docs/security.md); the user is told how many.
   */
  'contacts:delete': method<{ deleted: boolean; backups_removed: number }>()(contactRefSchema),
  /**
   * Lifts an erasure's suppression record: the person asked to be added again (with new consent).
   * The number (or user id) can then be imported; `lifted` is false when it had no record. The audit log keeps
   * the record's keyed hash and the reason, never the number.
   */
  'contacts:lift-erasure': method<{ lifted: boolean; erased_at: number | null }>()(
    z.union([
      z.object({ phone: z.string().min(3).max(40), reason: z.string().trim().min(1).max(500) }).strict(),
      /** A person erased while known only by their WhatsApp user id. */
      z.object({ userId: z.string().min(3).max(80), reason: z.string().trim().min(1).max(500) }).strict(),
    ]),
  ),
  /** Everything held about one contact, as JSON (data-subject access request). */
  'contacts:subject-export': method<Record<string, unknown>>()(contactRefSchema),
  /**
   * Exports contacts (all, or those matching `filter`/`ids`) as a file the UI offers to save.
   * Cells starting with = + - @ tab or CR are neutralised. `content` is UTF-8 text for csv/json and
   * base64 for xlsx. Limited to 200,000 contacts here (the CLI has no limit): 'bad_input' beyond.
   */
  'contacts:export': method<{ fileName: string; mime: string; encoding: 'utf8' | 'base64'; content: string; rows: number }>()(
    z
      .object({
        format: z.enum(['csv', 'xlsx', 'json']),
        filter: contactFilterSchema.optional(),
        ids: z.array(z.number().int().positive()).max(200_000).optional(),
      })
      .strict(),
  ),
  /** Every tag with its contact count, by name. */
  'contacts:tags': method<{ name: string; count: number }[]>()(z.object({}).strict()),
  'contacts:attributes': method<AttributeDefinition[]>()(z.object({}).strict()),
  'contacts:stats': method<ContactsStats>()(z.object({}).strict()),

  'segments:list': method<Segment[]>()(z.object({}).strict()),
  /** Creates (no id) or replaces (id) a segment. Names are unique: 'conflict' otherwise. */
  'segments:save': method<Segment>()(
    z.object({ id: z.number().int().positive().optional(), name: z.string().trim().min(1).max(100), rule: segmentRuleSchema }).strict(),
  ),
  'segments:delete': method<null>()(z.object({ id: z.number().int().positive() }).strict()),
  /** How many contacts a rule matches now (live preview in the segment editor). */
  'segments:count': method<{ count: number }>()(z.object({ rule: segmentRuleSchema }).strict()),
};

export interface ContactsEvents {
  /** At least 4 per second while a job runs. */
  'import:progress': ImportProgress;
  /** Once per job, when it ends in any state. */
  'import:finished': ImportJob;
  /** Contacts changed (import, bulk, opt-out…): tables refetch. */
  'contacts:changed': { reason: 'import' | 'bulk' | 'update' | 'consent' | 'delete' };
}
export const contactsEventNames = [
  'import:progress',
  'import:finished',
  'contacts:changed',
] as const satisfies readonly (keyof ContactsEvents)[];
