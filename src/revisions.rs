//! Evidence integrity: every edit, delete and restore of an entry stores the
//! entry as it was before, with the time of the change. Nothing is changed
//! silently and nothing is deleted for good.

use rusqlite::{Connection, params};
use serde::Serialize;

use crate::error::Result;
use crate::time::At;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Edit,
    Delete,
    Restore,
}

impl Action {
    fn key(self) -> &'static str {
        match self {
            Action::Edit => "edit",
            Action::Delete => "delete",
            Action::Restore => "restore",
        }
    }
}

/// Stores `before` (the entry as it was) for a change made now.
pub(crate) fn record(
    conn: &Connection,
    entity: &str,
    entity_id: i64,
    action: Action,
    before: &impl Serialize,
) -> Result<At> {
    let at = At::now();
    let json = serde_json::to_string(before).expect("entries serialise to JSON");
    conn.execute(
        "INSERT INTO revisions (entity, entity_id, action, at_ms, at_offset, before_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            entity,
            entity_id,
            action.key(),
            at.utc_ms,
            at.offset_secs,
            json
        ],
    )?;
    Ok(at)
}

/// One past change of an entry.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Revision {
    /// 1 for the first change.
    pub number: usize,
    pub action: Action,
    /// When the change was made.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub at: At,
    /// The entry as it was before this change.
    pub before: serde_json::Value,
    /// Which fields this change altered.
    pub changed: Vec<String>,
}

/// The full story of an entry: its changes in order, and how it is now.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct History {
    pub entity: String,
    pub id: i64,
    pub revisions: Vec<Revision>,
    pub current: serde_json::Value,
}

/// Fields that describe the bookkeeping of an entry rather than its content.
const META_FIELDS: &[&str] = &["edited", "last_edited_at", "revision_count", "deleted_at"];

pub(crate) fn history(
    conn: &Connection,
    entity: &str,
    entity_id: i64,
    current: &impl Serialize,
) -> Result<History> {
    let mut stmt = conn.prepare(
        "SELECT action, at_ms, at_offset, before_json FROM revisions
         WHERE entity = ?1 AND entity_id = ?2 ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![entity, entity_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                At::from_parts(r.get(1)?, r.get(2)?),
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let current = serde_json::to_value(current).expect("entries serialise to JSON");
    let befores: Vec<serde_json::Value> = rows
        .iter()
        .map(|(_, _, j)| serde_json::from_str(j).unwrap_or(serde_json::Value::Null))
        .collect();
    let mut revisions = Vec::with_capacity(rows.len());
    for (i, (action, at, _)) in rows.iter().enumerate() {
        let after = befores.get(i + 1).unwrap_or(&current);
        let action = match action.as_str() {
            "delete" => Action::Delete,
            "restore" => Action::Restore,
            _ => Action::Edit,
        };
        revisions.push(Revision {
            number: i + 1,
            action,
            at: *at,
            before: befores[i].clone(),
            changed: changed_fields(&befores[i], after),
        });
    }
    Ok(History {
        entity: entity.to_string(),
        id: entity_id,
        revisions,
        current,
    })
}

fn changed_fields(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return Vec::new();
    };
    a.iter()
        .filter(|(k, v)| !META_FIELDS.contains(&k.as_str()) && b.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect()
}

impl Revision {
    pub fn action_label(&self) -> &'static str {
        self.action.key()
    }
}

/// A kind of entry that goes to the trash rather than away.
pub(crate) struct Trashable {
    /// Its table (a constant of this crate, never user input).
    pub table: &'static str,
    /// Its name in the revisions table.
    pub entity: &'static str,
    pub doc: crate::search::index::DocKind,
}

/// Moves an entry to the trash: keeps the entry as it was, marks it deleted
/// and takes it out of search. Runs inside the caller's transaction.
pub(crate) fn move_to_trash(
    conn: &Connection,
    t: &Trashable,
    id: i64,
    before: &impl Serialize,
) -> Result<()> {
    let at = record(conn, t.entity, id, Action::Delete, before)?;
    conn.execute(
        &format!("UPDATE {} SET deleted_ms = ?2 WHERE id = ?1", t.table),
        params![id, at.utc_ms],
    )?;
    crate::search::index::remove(conn, t.doc, id)
}

/// Takes an entry out of the trash (the caller puts it back into search).
pub(crate) fn take_from_trash(
    conn: &Connection,
    t: &Trashable,
    id: i64,
    before: &impl Serialize,
) -> Result<()> {
    record(conn, t.entity, id, Action::Restore, before)?;
    conn.execute(
        &format!("UPDATE {} SET deleted_ms = NULL WHERE id = ?1", t.table),
        [id],
    )?;
    Ok(())
}

/// An entry that goes to the trash, comes back and keeps its history:
/// contacts, notes and transaction records. The journal's `delete_…`,
/// `restore_…` and `…_history` are these, written once.
pub(crate) trait Revisable: Serialize + Sized {
    const TRASH: Trashable;
    fn get(conn: &Connection, id: i64) -> Result<Self>;
    fn in_trash(&self) -> bool;
    /// Puts the entry back into search after a restore.
    fn reindex(&self, conn: &Connection) -> Result<()>;
    /// A reason not to restore it (a transaction ID recorded again since).
    fn check_restore(&self, _conn: &Connection) -> Result<()> {
        Ok(())
    }
}

impl crate::db::Journal {
    /// Moves an entry to the trash (it stays in the journal, restorable); an
    /// entry already there is left as it is.
    pub(crate) fn trash<E: Revisable>(&mut self, id: i64) -> Result<E> {
        self.write(|tx| {
            let before = E::get(tx, id)?;
            if before.in_trash() {
                return Ok(before);
            }
            move_to_trash(tx, &E::TRASH, id, &before)?;
            E::get(tx, id)
        })
    }

    /// Takes an entry back out of the trash.
    pub(crate) fn untrash<E: Revisable>(&mut self, id: i64) -> Result<E> {
        self.write(|tx| {
            let before = E::get(tx, id)?;
            if !before.in_trash() {
                return Ok(before);
            }
            before.check_restore(tx)?;
            take_from_trash(tx, &E::TRASH, id, &before)?;
            let after = E::get(tx, id)?;
            after.reindex(tx)?;
            Ok(after)
        })
    }

    /// Every earlier version of an entry, oldest first, and the current one.
    pub(crate) fn history_of<E: Revisable>(&self, id: i64) -> Result<History> {
        let current = E::get(self.read(), id)?;
        history(self.read(), E::TRASH.entity, id, &current)
    }
}
