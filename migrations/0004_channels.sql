-- Casebook journal, schema version 4: the register of official contact
-- points the user verified, and contacts reported as scams.
-- Never edit this file once released: add a new numbered migration instead.

CREATE TABLE official_channels (
    id            INTEGER PRIMARY KEY,
    provider_id   INTEGER NOT NULL REFERENCES providers(id),
    kind          TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'website', 'social', 'in_app', 'other')),
    -- As typed, and the comparable form (digits, host, domain, handle).
    value         TEXT NOT NULL CHECK (length(trim(value)) > 0),
    normalized    TEXT NOT NULL CHECK (length(normalized) > 0),
    -- Where the user verified it: the official app, the back of the card...
    verified_how  TEXT NOT NULL DEFAULT '',
    added_ms      INTEGER NOT NULL,
    added_offset  INTEGER NOT NULL,
    deleted_ms    INTEGER
);
CREATE INDEX official_channels_provider ON official_channels(provider_id);

-- A contact the user reported as a scam: its number or address is flagged
-- wherever it is used again.
CREATE TABLE scam_reports (
    contact_id INTEGER PRIMARY KEY REFERENCES contacts(id),
    at_ms      INTEGER NOT NULL,
    at_offset  INTEGER NOT NULL
);
