//! Diary notes: dated free text in a case. Edits keep the earlier text.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use crate::cases::{check_text, ensure_exists};
use crate::db::Journal;
use crate::error::{Error, Problem, Result};
use crate::revisions::{self, Action, History};
use crate::search::index::{self, Doc, DocKind};
use crate::time::At;

const ENTITY: &str = "note";
const MAX_TEXT: usize = 1_000_000;

impl revisions::Revisable for Note {
    const TRASH: revisions::Trashable = NOTES;
    fn get(conn: &Connection, id: i64) -> Result<Self> {
        get(conn, id)
    }
    fn in_trash(&self) -> bool {
        self.deleted_at.is_some()
    }
    fn reindex(&self, conn: &Connection) -> Result<()> {
        reindex(conn, self)
    }
}

const NOTES: revisions::Trashable = revisions::Trashable {
    table: "notes",
    entity: ENTITY,
    doc: DocKind::Note,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Note {
    pub id: i64,
    pub case_id: i64,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub at: At,
    pub text: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub created_at: At,
    pub edited: bool,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub last_edited_at: Option<At>,
    pub revision_count: i64,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub deleted_at: Option<At>,
}

const COLUMNS: &str = "n.id, n.case_id, n.at_ms, n.at_offset, n.body, n.created_ms, n.created_offset, n.deleted_ms,
    (SELECT count(*) FROM revisions r WHERE r.entity = 'note' AND r.entity_id = n.id),
    (SELECT r.at_ms FROM revisions r WHERE r.entity = 'note' AND r.entity_id = n.id AND r.action = 'edit' ORDER BY r.id DESC LIMIT 1),
    (SELECT r.at_offset FROM revisions r WHERE r.entity = 'note' AND r.entity_id = n.id AND r.action = 'edit' ORDER BY r.id DESC LIMIT 1)";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Note> {
    let last_edit: Option<i64> = r.get(9)?;
    let deleted: Option<i64> = r.get(7)?;
    Ok(Note {
        id: r.get(0)?,
        case_id: r.get(1)?,
        at: At::from_parts(r.get(2)?, r.get(3)?),
        text: r.get(4)?,
        created_at: At::from_parts(r.get(5)?, r.get(6)?),
        edited: last_edit.is_some(),
        last_edited_at: last_edit.map(|ms| At::from_parts(ms, r.get(10).unwrap_or(0))),
        revision_count: r.get(8)?,
        deleted_at: deleted.map(|ms| At::from_parts(ms, 0)),
    })
}

fn check_body(text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid(Problem::NoteEmpty {}));
    }
    check_text("note", text, MAX_TEXT)
}

pub(crate) fn get(conn: &Connection, id: i64) -> Result<Note> {
    let sql = format!("SELECT {COLUMNS} FROM notes n WHERE n.id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?
        .ok_or(Error::NotFound { what: "note", id })
}

pub(crate) fn of_case(conn: &Connection, case_id: i64) -> Result<Vec<Note>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM notes n WHERE n.case_id = ?1 AND n.deleted_ms IS NULL ORDER BY n.at_ms, n.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([case_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn reindex(conn: &Connection, n: &Note) -> Result<()> {
    index::put(
        conn,
        &Doc {
            kind: DocKind::Note,
            entity_id: n.id,
            case_id: n.case_id,
            at: n.at,
            channel: None,
            text: vec![&n.text],
            ids: vec![],
        },
    )
}

impl Journal {
    /// Adds a dated note to a case.
    pub fn add_note(&mut self, case_id: i64, at: At, text: &str) -> Result<Note> {
        check_body(text)?;
        let now = At::now();
        self.write(|tx| {
            ensure_exists(tx, case_id)?;
            tx.execute(
                "INSERT INTO notes (case_id, at_ms, at_offset, body, created_ms, created_offset) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![case_id, at.utc_ms, at.offset_secs, text, now.utc_ms, now.offset_secs],
            )?;
            let note = get(tx, tx.last_insert_rowid())?;
            reindex(tx, &note)?;
            Ok(note)
        })
    }

    pub fn note(&self, id: i64) -> Result<Note> {
        get(self.read(), id)
    }

    /// Changes a note's text or time; the earlier version is kept.
    pub fn edit_note(&mut self, id: i64, at: Option<At>, text: Option<&str>) -> Result<Note> {
        if let Some(t) = text {
            check_body(t)?;
        }
        self.write(|tx| {
            let before = get(tx, id)?;
            if before.deleted_at.is_some() {
                return Err(Error::Conflict(Problem::InTrash {
                    what: "note".into(),
                    id,
                }));
            }
            let new_at = at.unwrap_or(before.at);
            let new_text = text.unwrap_or(&before.text);
            if new_at == before.at && new_text == before.text {
                return Ok(before);
            }
            revisions::record(tx, ENTITY, id, Action::Edit, &before)?;
            tx.execute(
                "UPDATE notes SET at_ms = ?2, at_offset = ?3, body = ?4 WHERE id = ?1",
                params![id, new_at.utc_ms, new_at.offset_secs, new_text],
            )?;
            let note = get(tx, id)?;
            reindex(tx, &note)?;
            Ok(note)
        })
    }

    pub fn delete_note(&mut self, id: i64) -> Result<Note> {
        self.trash(id)
    }

    pub fn restore_note(&mut self, id: i64) -> Result<Note> {
        self.untrash(id)
    }

    pub fn note_history(&self, id: i64) -> Result<History> {
        self.history_of::<Note>(id)
    }
}
