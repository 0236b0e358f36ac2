-- Casebook journal, schema version 3: where a case would escalate.
-- Never edit this file once released: add a new numbered migration instead.

-- The escalation route (an id from rules/escalation.toml, e.g. 'uk-payments')
-- and the day the user first complained, when that was before the first
-- contact logged in the journal. Both optional.
ALTER TABLE cases ADD COLUMN escalation_route TEXT
    CHECK (escalation_route IS NULL OR length(trim(escalation_route)) > 0);
ALTER TABLE cases ADD COLUMN first_complaint TEXT
    CHECK (first_complaint IS NULL OR first_complaint GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
