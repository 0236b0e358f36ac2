-- Casebook journal, schema version 2: evidence files and statement imports.
-- Never edit this file once released: add a new numbered migration instead.

-- A file attached to a case (and optionally to one of its contacts or
-- transactions). The bytes live in the data directory's content-addressed
-- store under their SHA-256; `name` is the original file name exactly as
-- given (never used as a path).
CREATE TABLE attachments (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    contact_id     INTEGER REFERENCES contacts(id),
    transaction_id INTEGER REFERENCES transactions(id),
    name           TEXT NOT NULL,
    size           INTEGER NOT NULL CHECK (size >= 0),
    media_type     TEXT NOT NULL,
    sha256         TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    -- The text of a text-like file (.txt, .eml, .csv), for search; NULL otherwise.
    text           TEXT,
    added_ms       INTEGER NOT NULL,
    added_offset   INTEGER NOT NULL,
    deleted_ms     INTEGER,
    CHECK (contact_id IS NULL OR transaction_id IS NULL)
);
CREATE INDEX attachments_case ON attachments(case_id, added_ms);
CREATE INDEX attachments_sha ON attachments(sha256);

-- Transactions no longer need an ID (Revolut and older Coinbase statements
-- have none) and remember the statement they were imported from.
CREATE TABLE transactions_v2 (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    txid         TEXT NOT NULL DEFAULT '',
    at_ms        INTEGER NOT NULL,
    at_offset    INTEGER NOT NULL,
    amount       TEXT NOT NULL,
    currency     TEXT NOT NULL,
    direction    TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    counterparty TEXT NOT NULL DEFAULT '',
    method       TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    created_ms   INTEGER NOT NULL,
    created_offset INTEGER NOT NULL,
    deleted_ms   INTEGER,
    -- The statement file (an attachment) this record was imported from.
    source_attachment_id INTEGER REFERENCES attachments(id),
    -- The line of that statement.
    source_line  INTEGER
);
INSERT INTO transactions_v2 (id, case_id, txid, at_ms, at_offset, amount, currency, direction,
    counterparty, method, status, note, created_ms, created_offset, deleted_ms)
SELECT id, case_id, txid, at_ms, at_offset, amount, currency, direction,
    counterparty, method, status, note, created_ms, created_offset, deleted_ms
FROM transactions;
DROP TABLE transactions;
ALTER TABLE transactions_v2 RENAME TO transactions;
CREATE INDEX transactions_case ON transactions(case_id, at_ms);
CREATE UNIQUE INDEX transactions_case_txid ON transactions(case_id, txid)
    WHERE deleted_ms IS NULL AND txid <> '';

-- Revisions may now describe attachments too.
CREATE TABLE revisions_v2 (
    id          INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL CHECK (entity IN ('case', 'contact', 'note', 'transaction', 'attachment')),
    entity_id   INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('edit', 'delete', 'restore')),
    at_ms       INTEGER NOT NULL,
    at_offset   INTEGER NOT NULL,
    before_json TEXT NOT NULL
);
INSERT INTO revisions_v2 SELECT * FROM revisions;
DROP TABLE revisions;
ALTER TABLE revisions_v2 RENAME TO revisions;
CREATE INDEX revisions_entity ON revisions(entity, entity_id);

-- Column mappings for "other CSV" statements, saved by name for next time.
CREATE TABLE import_mappings (
    name         TEXT PRIMARY KEY COLLATE NOCASE CHECK (length(trim(name)) > 0),
    mapping_json TEXT NOT NULL,
    saved_ms     INTEGER NOT NULL
);
