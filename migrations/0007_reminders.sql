-- Casebook journal, schema version 7: reminders (desktop notifications).
-- Never edit this file once released: add a new numbered migration instead.

-- Each reminder told, so that it is told once, and never more than one a
-- day for one item, whichever face (the app, `casebook due --notify`) told
-- it. item: contact:<id> (a promised follow-up), deadline:<case id>,
-- escalation:<case id>. kind: follow_up, not_kept, deadline, escalation.
-- event_date: the date the reminder is about; sent_day: the user's local
-- date when it was told.
CREATE TABLE reminders_sent (
    item       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    event_date TEXT NOT NULL,
    sent_day   TEXT NOT NULL,
    sent_ms    INTEGER NOT NULL,
    PRIMARY KEY (item, kind, event_date)
) WITHOUT ROWID;

-- "Remind me later": an item told nothing before until_day (the user's
-- local date).
CREATE TABLE reminder_snoozes (
    item      TEXT PRIMARY KEY,
    until_day TEXT NOT NULL
) WITHOUT ROWID;

-- The settings gain the reminder choices: on/off, the kinds turned off
-- (comma-separated) and the quiet hours ('22:00-08:00' or 'off'). SQLite
-- cannot change a CHECK, so the table is rebuilt with its rows.
CREATE TABLE settings_v7 (
    key   TEXT PRIMARY KEY CHECK (key IN ('language', 'theme', 'reminders', 'reminders.off', 'reminders.quiet')),
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO settings_v7 (key, value) SELECT key, value FROM settings;
DROP TABLE settings;
ALTER TABLE settings_v7 RENAME TO settings;
