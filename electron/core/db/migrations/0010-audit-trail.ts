import type { Migration } from './types';

/**
 * The audit trail (issue #14, item 4) grows out of 0001's `audit_log`:
 *
 * - `subject`: who or what an entry is about — a contact's E.164 number, a campaign id, a file
 *   name, the connected WABA. An erasure rewrites the subject (and any mention in `detail`) of the
 *   person's earlier entries to the suppression record's keyed hash (privacy/erase-traces.ts), so
 *   the trail never keeps an erased number.
 * - Two actions are recorded by triggers, so no writer can forget them and the import engine
 *   (another module's hot path) needs no call: a finished import (`imports` row: file name, format,
 *   counts) and every consent change that is not part of an import (an import's consent is in its
 *   counts; one entry per imported row would bloat the trail). The source and its detail come along.
 * - Entries about an erasure (`detail.erasure_record`) take that hash as their subject.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'audit-trail',
  up: `
    ALTER TABLE audit_log ADD COLUMN subject TEXT;
    CREATE INDEX audit_log_action_at ON audit_log(action, at);
    CREATE INDEX audit_log_subject ON audit_log(subject) WHERE subject IS NOT NULL;

    CREATE TRIGGER audit_log_import AFTER INSERT ON imports
      BEGIN
        INSERT INTO audit_log (at, actor, action, subject, detail)
        VALUES (NEW.finished_at, NEW.actor, 'contacts.imported', NEW.file_name,
          json_object('file', NEW.file_name, 'format', NEW.format, 'encoding', NEW.encoding, 'counts', json(NEW.counts)));
      END;

    CREATE TRIGGER audit_log_consent AFTER INSERT ON consent_events
      WHEN NEW.source <> 'import'
      BEGIN
        INSERT INTO audit_log (at, actor, action, subject, detail)
        VALUES (NEW.at, NEW.actor, CASE NEW.state WHEN 'opted_out' THEN 'consent.opted_out' ELSE 'consent.opted_in' END,
          (SELECT phone FROM contacts WHERE id = NEW.contact_id),
          json_object('category', NEW.category, 'source', NEW.source, 'source_detail', NEW.source_detail));
      END;

    CREATE TRIGGER audit_log_erasure_subject AFTER INSERT ON audit_log
      WHEN NEW.subject IS NULL AND json_valid(NEW.detail) AND json_extract(NEW.detail, '$.erasure_record') IS NOT NULL
      BEGIN
        UPDATE audit_log SET subject = json_extract(NEW.detail, '$.erasure_record') WHERE id = NEW.id;
      END;
  `,
};
