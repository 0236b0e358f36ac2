-- Casebook journal, schema version 5: user settings kept in the journal
-- (so the CLI, a backup and another machine know them), and a case's
-- "opened" date that follows its earliest entry unless the user set it.
-- Never edit this file once released: add a new numbered migration instead.

-- Settings both faces read: language ('zh', 'en'), theme ('light', 'dark',
-- 'system'). A missing key means "not set": the face chooses.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY CHECK (key IN ('language', 'theme')),
    value TEXT NOT NULL
) WITHOUT ROWID;

-- opened_set: 1 when the user gave the opening date; then it stays as given.
-- Otherwise opened_ms/opened_offset are the earliest of logged_ms (when the
-- case was written down) and the times of its live contacts, notes and
-- transactions, kept so by the triggers below in the same transaction.
ALTER TABLE cases ADD COLUMN opened_set INTEGER NOT NULL DEFAULT 0 CHECK (opened_set IN (0, 1));
ALTER TABLE cases ADD COLUMN logged_ms INTEGER;
ALTER TABLE cases ADD COLUMN logged_offset INTEGER;

-- Journals from before: a case whose opening date differs from the moment
-- it was written down had it given by the user (`--opened`).
UPDATE cases SET logged_ms = opened_ms, logged_offset = opened_offset,
    opened_set = (opened_ms <> created_ms);

CREATE TRIGGER contacts_open_case AFTER INSERT ON contacts
BEGIN
    UPDATE cases SET opened_ms = NEW.at_ms, opened_offset = NEW.at_offset
     WHERE id = NEW.case_id AND opened_set = 0 AND opened_ms > NEW.at_ms;
END;
CREATE TRIGGER notes_open_case AFTER INSERT ON notes
BEGIN
    UPDATE cases SET opened_ms = NEW.at_ms, opened_offset = NEW.at_offset
     WHERE id = NEW.case_id AND opened_set = 0 AND opened_ms > NEW.at_ms;
END;
CREATE TRIGGER transactions_open_case AFTER INSERT ON transactions
BEGIN
    UPDATE cases SET opened_ms = NEW.at_ms, opened_offset = NEW.at_offset
     WHERE id = NEW.case_id AND opened_set = 0 AND opened_ms > NEW.at_ms;
END;

-- An edit of a time, a move to the trash or back: the earliest is found again.
CREATE VIEW case_earliest AS
SELECT c.id AS case_id,
       (SELECT m FROM (
            SELECT c.logged_ms AS m, c.logged_offset AS o
            UNION ALL SELECT at_ms, at_offset FROM contacts WHERE case_id = c.id AND deleted_ms IS NULL
            UNION ALL SELECT at_ms, at_offset FROM notes WHERE case_id = c.id AND deleted_ms IS NULL
            UNION ALL SELECT at_ms, at_offset FROM transactions WHERE case_id = c.id AND deleted_ms IS NULL
        ) ORDER BY m LIMIT 1) AS ms,
       (SELECT o FROM (
            SELECT c.logged_ms AS m, c.logged_offset AS o
            UNION ALL SELECT at_ms, at_offset FROM contacts WHERE case_id = c.id AND deleted_ms IS NULL
            UNION ALL SELECT at_ms, at_offset FROM notes WHERE case_id = c.id AND deleted_ms IS NULL
            UNION ALL SELECT at_ms, at_offset FROM transactions WHERE case_id = c.id AND deleted_ms IS NULL
        ) ORDER BY m LIMIT 1) AS offset_secs
  FROM cases c;

CREATE TRIGGER contacts_reopen_case AFTER UPDATE OF at_ms, deleted_ms ON contacts
BEGIN
    UPDATE cases SET (opened_ms, opened_offset) =
        (SELECT ms, offset_secs FROM case_earliest WHERE case_id = NEW.case_id)
     WHERE id = NEW.case_id AND opened_set = 0;
END;
CREATE TRIGGER notes_reopen_case AFTER UPDATE OF at_ms, deleted_ms ON notes
BEGIN
    UPDATE cases SET (opened_ms, opened_offset) =
        (SELECT ms, offset_secs FROM case_earliest WHERE case_id = NEW.case_id)
     WHERE id = NEW.case_id AND opened_set = 0;
END;
CREATE TRIGGER transactions_reopen_case AFTER UPDATE OF at_ms, deleted_ms ON transactions
BEGIN
    UPDATE cases SET (opened_ms, opened_offset) =
        (SELECT ms, offset_secs FROM case_earliest WHERE case_id = NEW.case_id)
     WHERE id = NEW.case_id AND opened_set = 0;
END;

-- What older journals already hold.
UPDATE cases SET (opened_ms, opened_offset) =
    (SELECT ms, offset_secs FROM case_earliest WHERE case_id = cases.id)
 WHERE opened_set = 0;
