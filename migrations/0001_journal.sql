-- Casebook journal, schema version 1.
-- Never edit this file once released: add a new numbered migration instead.

CREATE TABLE providers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    kind        TEXT NOT NULL CHECK (kind IN ('e_wallet', 'bank_app', 'crypto_wallet', 'other')),
    created_ms  INTEGER NOT NULL
);

CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL CHECK (length(trim(title)) > 0),
    provider_id     INTEGER REFERENCES providers(id),
    category        TEXT NOT NULL CHECK (category IN ('account_locked', 'transaction_failed', 'refund', 'fraud', 'security', 'other')),
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'waiting', 'escalated', 'resolved', 'closed')),
    opened_ms       INTEGER NOT NULL,
    opened_offset   INTEGER NOT NULL,
    deadline        TEXT CHECK (deadline IS NULL OR deadline GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    amount          TEXT,
    currency        TEXT,
    desired_outcome TEXT NOT NULL DEFAULT '',
    summary         TEXT NOT NULL DEFAULT '',
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL,
    CHECK ((amount IS NULL) = (currency IS NULL))
);
CREATE INDEX cases_status ON cases(status);

CREATE TABLE case_tags (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    tag     TEXT NOT NULL CHECK (length(trim(tag)) > 0),
    PRIMARY KEY (case_id, tag)
) WITHOUT ROWID;

-- Preparation checklist items the user ticked off (see model::preparation_checklist).
CREATE TABLE case_checklist (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    item    TEXT NOT NULL,
    done_ms INTEGER NOT NULL,
    PRIMARY KEY (case_id, item)
) WITHOUT ROWID;

CREATE TABLE case_status_changes (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    at_ms       INTEGER NOT NULL,
    at_offset   INTEGER NOT NULL
);
CREATE INDEX case_status_changes_case ON case_status_changes(case_id);

CREATE TABLE contacts (
    id                INTEGER PRIMARY KEY,
    case_id           INTEGER NOT NULL REFERENCES cases(id),
    at_ms             INTEGER NOT NULL,
    at_offset         INTEGER NOT NULL,
    channel           TEXT NOT NULL CHECK (channel IN ('chat', 'phone', 'email', 'social', 'in_person', 'other')),
    direction         TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    via               TEXT NOT NULL DEFAULT '',
    agent             TEXT NOT NULL DEFAULT '',
    asked             TEXT NOT NULL DEFAULT '',
    reply             TEXT NOT NULL DEFAULT '',
    outcome           TEXT NOT NULL DEFAULT '',
    duration_secs     INTEGER CHECK (duration_secs IS NULL OR duration_secs >= 0),
    follow_up_date    TEXT,
    follow_up_promise TEXT NOT NULL DEFAULT '',
    follow_up_done    INTEGER NOT NULL DEFAULT 0 CHECK (follow_up_done IN (0, 1)),
    created_ms        INTEGER NOT NULL,
    created_offset    INTEGER NOT NULL,
    deleted_ms        INTEGER
);
CREATE INDEX contacts_case ON contacts(case_id, at_ms);
CREATE INDEX contacts_follow_up ON contacts(follow_up_date) WHERE follow_up_date IS NOT NULL;

CREATE TABLE contact_refs (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    kind       TEXT NOT NULL CHECK (kind IN ('ticket', 'complaint', 'case', 'transaction', 'other')),
    value      TEXT NOT NULL CHECK (length(trim(value)) > 0)
);
CREATE INDEX contact_refs_contact ON contact_refs(contact_id);

CREATE TABLE notes (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    at_ms      INTEGER NOT NULL,
    at_offset  INTEGER NOT NULL,
    body       TEXT NOT NULL CHECK (length(trim(body)) > 0),
    created_ms INTEGER NOT NULL,
    created_offset INTEGER NOT NULL,
    deleted_ms INTEGER
);
CREATE INDEX notes_case ON notes(case_id, at_ms);

CREATE TABLE transactions (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    txid         TEXT NOT NULL CHECK (length(trim(txid)) > 0),
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
    deleted_ms   INTEGER
);
CREATE INDEX transactions_case ON transactions(case_id, at_ms);
CREATE UNIQUE INDEX transactions_case_txid ON transactions(case_id, txid) WHERE deleted_ms IS NULL;

-- Every change to an entry after it was first saved: the entry as it was
-- before the change, as JSON, and when the change happened.
CREATE TABLE revisions (
    id          INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL CHECK (entity IN ('case', 'contact', 'note', 'transaction')),
    entity_id   INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('edit', 'delete', 'restore')),
    at_ms       INTEGER NOT NULL,
    at_offset   INTEGER NOT NULL,
    before_json TEXT NOT NULL
);
CREATE INDEX revisions_entity ON revisions(entity, entity_id);

-- Search: one document per searchable entry. The docid orders documents by
-- the time of the entry (seconds * 16 + a small counter), so "newest first"
-- and date ranges are rowid order and rowid ranges in the FTS index.
CREATE TABLE search_doc (
    docid     INTEGER PRIMARY KEY,
    kind      INTEGER NOT NULL,
    entity_id INTEGER NOT NULL,
    case_id   INTEGER NOT NULL,
    UNIQUE (kind, entity_id)
);

-- Contentless: the text lives in the tables above; the index holds tokens
-- prepared in Rust (Chinese split into characters and overlapping pairs,
-- identifiers into trigrams, filter keys).
CREATE VIRTUAL TABLE search_fts USING fts5(
    body, ids, f,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
