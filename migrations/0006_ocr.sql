-- Casebook journal, schema version 6: the text of screenshots (OCR).
-- Never edit this file once released: add a new numbered migration instead.

-- Where the reading of an image's text stands. The text itself goes into
-- attachments.text (as for text files), so search finds it the same way.
-- state: pending (to be read), done, failed (the engine could not read the
-- image), unavailable (no engine or language model on this computer; read
-- again once one is installed).
CREATE TABLE attachment_ocr (
    attachment_id INTEGER PRIMARY KEY REFERENCES attachments(id),
    state         TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'unavailable')),
    -- The engine and its languages, e.g. 'tesseract 5.3.0 chi_sim+eng'.
    engine        TEXT NOT NULL DEFAULT '',
    -- What went wrong, for a failed or unavailable reading.
    detail        TEXT NOT NULL DEFAULT '',
    -- How long the reading took.
    took_ms       INTEGER,
    done_ms       INTEGER
) WITHOUT ROWID;

-- Screenshots attached before this version are read too.
INSERT INTO attachment_ocr (attachment_id, state)
SELECT id, 'pending' FROM attachments WHERE media_type LIKE 'image/%';
