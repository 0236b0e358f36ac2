//! The contact log: every interaction with support, with its reference numbers.
//! Edits and deletes keep the earlier version (see `revisions`).

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use crate::cases::{check_text, ensure_exists};
use crate::db::Journal;
use crate::error::{Error, Problem, Result};
use crate::model::{Channel, Direction, RefKind};
use crate::references::FoundReference;
use crate::revisions::{self, Action, History};
use crate::search::index::{self, Doc, DocKind};
use crate::time::At;

const MAX_LINE: usize = 2_000;
const MAX_TEXT: usize = 1_000_000;
const ENTITY: &str = "contact";

impl revisions::Revisable for Contact {
    const TRASH: revisions::Trashable = CONTACTS;
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

const CONTACTS: revisions::Trashable = revisions::Trashable {
    table: "contacts",
    entity: ENTITY,
    doc: DocKind::Contact,
};

/// A reference number support gave (ticket, complaint, case, transaction...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Reference {
    pub kind: RefKind,
    pub value: String,
}

impl Reference {
    /// Parses `KIND:VALUE` (e.g. `ticket:TK-2024-0001`); a bare value is `other`.
    pub fn parse(input: &str) -> Result<Reference> {
        let (kind, value) = match input.split_once(':') {
            Some((k, v)) if RefKind::parse(k).is_ok() => (RefKind::parse(k)?, v),
            _ => (RefKind::Other, input),
        };
        let value = value.trim();
        if value.is_empty() {
            return Err(Error::invalid(Problem::ReferenceWithoutValue {
                input: input.to_string(),
            }));
        }
        check_text("reference", value, 200)?;
        Ok(Reference {
            kind,
            value: value.to_string(),
        })
    }
}

/// What support promised to do, and by when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FollowUp {
    pub date: NaiveDate,
    pub promise: String,
    /// The user marked the promise as dealt with.
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Contact {
    pub id: i64,
    pub case_id: i64,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub at: At,
    pub channel: Channel,
    pub direction: Direction,
    /// The phone number, e-mail address, URL or handle used.
    pub via: String,
    pub agent: String,
    pub asked: String,
    pub reply: String,
    pub outcome: String,
    pub duration_secs: Option<i64>,
    pub follow_up: Option<FollowUp>,
    pub references: Vec<Reference>,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub created_at: At,
    pub edited: bool,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub last_edited_at: Option<At>,
    pub revision_count: i64,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub deleted_at: Option<At>,
}

/// The fields of a contact a user gives when logging it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactInput {
    pub at: At,
    pub channel: Channel,
    pub direction: Direction,
    pub via: String,
    pub agent: String,
    pub asked: String,
    pub reply: String,
    pub outcome: String,
    pub duration_secs: Option<i64>,
    pub follow_up: Option<FollowUp>,
    pub references: Vec<Reference>,
}

impl ContactInput {
    pub fn new(channel: Channel, at: At) -> ContactInput {
        ContactInput {
            at,
            channel,
            direction: Direction::Out,
            via: String::new(),
            agent: String::new(),
            asked: String::new(),
            reply: String::new(),
            outcome: String::new(),
            duration_secs: None,
            follow_up: None,
            references: Vec::new(),
        }
    }

    fn validate(mut self) -> Result<ContactInput> {
        self.via = self.via.trim().to_string();
        self.agent = self.agent.trim().to_string();
        check_text("contact point", &self.via, MAX_LINE)?;
        check_text("agent", &self.agent, MAX_LINE)?;
        check_text("question", &self.asked, MAX_TEXT)?;
        check_text("reply", &self.reply, MAX_TEXT)?;
        check_text("outcome", &self.outcome, MAX_TEXT)?;
        if let Some(f) = &self.follow_up {
            check_text("promise", &f.promise, MAX_TEXT)?;
        }
        if self
            .duration_secs
            .is_some_and(|d| !(0..=7 * 24 * 3600).contains(&d))
        {
            return Err(Error::invalid(Problem::DurationOutOfRange {}));
        }
        Ok(self)
    }
}

/// A change to some fields of a contact; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct ContactPatch {
    pub at: Option<At>,
    pub channel: Option<Channel>,
    pub direction: Option<Direction>,
    pub via: Option<String>,
    pub agent: Option<String>,
    pub asked: Option<String>,
    pub reply: Option<String>,
    pub outcome: Option<String>,
    pub duration_secs: Option<Option<i64>>,
    pub follow_up_date: Option<Option<NaiveDate>>,
    pub follow_up_promise: Option<String>,
    pub follow_up_done: Option<bool>,
    pub references: Option<Vec<Reference>>,
}

impl ContactPatch {
    /// A patch that sets every field to `input` (an edit made in a full form).
    /// Whether a follow-up was marked done is kept.
    pub fn replace_with(input: ContactInput) -> ContactPatch {
        ContactPatch {
            at: Some(input.at),
            channel: Some(input.channel),
            direction: Some(input.direction),
            via: Some(input.via),
            agent: Some(input.agent),
            asked: Some(input.asked),
            reply: Some(input.reply),
            outcome: Some(input.outcome),
            duration_secs: Some(input.duration_secs),
            follow_up_date: Some(input.follow_up.as_ref().map(|f| f.date)),
            follow_up_promise: input.follow_up.map(|f| f.promise),
            follow_up_done: None,
            references: Some(input.references),
        }
    }
}

const COLUMNS: &str = "c.id, c.case_id, c.at_ms, c.at_offset, c.channel, c.direction, c.via, c.agent,
    c.asked, c.reply, c.outcome, c.duration_secs, c.follow_up_date, c.follow_up_promise, c.follow_up_done,
    c.created_ms, c.created_offset, c.deleted_ms,
    (SELECT count(*) FROM revisions r WHERE r.entity = 'contact' AND r.entity_id = c.id),
    (SELECT r.at_ms FROM revisions r WHERE r.entity = 'contact' AND r.entity_id = c.id AND r.action = 'edit' ORDER BY r.id DESC LIMIT 1),
    (SELECT r.at_offset FROM revisions r WHERE r.entity = 'contact' AND r.entity_id = c.id AND r.action = 'edit' ORDER BY r.id DESC LIMIT 1),
    (SELECT r.at_offset FROM revisions r WHERE r.entity = 'contact' AND r.entity_id = c.id AND r.action = 'delete' ORDER BY r.id DESC LIMIT 1)";

fn from_row(conn: &Connection, r: &Row<'_>) -> rusqlite::Result<Contact> {
    let id: i64 = r.get(0)?;
    let follow_up = match r.get::<_, Option<String>>(12)? {
        Some(d) => NaiveDate::parse_from_str(&d, "%Y-%m-%d")
            .ok()
            .map(|date| FollowUp {
                date,
                promise: r.get(13).unwrap_or_default(),
                done: r.get::<_, i64>(14).unwrap_or(0) != 0,
            }),
        None => None,
    };
    let mut refs = conn
        .prepare_cached("SELECT kind, value FROM contact_refs WHERE contact_id = ?1 ORDER BY id")?;
    let references = refs
        .query_map([id], |r| {
            Ok(Reference {
                kind: r.get(0)?,
                value: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let last_edit: Option<i64> = r.get(19)?;
    let deleted_ms: Option<i64> = r.get(17)?;
    Ok(Contact {
        id,
        case_id: r.get(1)?,
        at: At::from_parts(r.get(2)?, r.get(3)?),
        channel: r.get(4)?,
        direction: r.get(5)?,
        via: r.get(6)?,
        agent: r.get(7)?,
        asked: r.get(8)?,
        reply: r.get(9)?,
        outcome: r.get(10)?,
        duration_secs: r.get(11)?,
        follow_up,
        references,
        created_at: At::from_parts(r.get(15)?, r.get(16)?),
        edited: last_edit.is_some(),
        last_edited_at: last_edit.map(|ms| At::from_parts(ms, r.get(20).unwrap_or(0))),
        revision_count: r.get(18)?,
        deleted_at: deleted_ms
            .map(|ms| At::from_parts(ms, r.get::<_, Option<i32>>(21).ok().flatten().unwrap_or(0))),
    })
}

fn not_found(id: i64) -> Error {
    Error::NotFound {
        what: "contact",
        id,
    }
}

/// A contact by id, including one in the trash.
pub(crate) fn get(conn: &Connection, id: i64) -> Result<Contact> {
    let sql = format!("SELECT {COLUMNS} FROM contacts c WHERE c.id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], |r| from_row(conn, r))
        .optional()?
        .ok_or_else(|| not_found(id))
}

/// The live (not deleted) contacts of a case, oldest first.
pub(crate) fn of_case(conn: &Connection, case_id: i64) -> Result<Vec<Contact>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM contacts c WHERE c.case_id = ?1 AND c.deleted_ms IS NULL ORDER BY c.at_ms, c.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([case_id], |r| from_row(conn, r))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn write_fields(conn: &Connection, id: i64, c: &ContactInput) -> Result<()> {
    conn.execute(
        "UPDATE contacts SET at_ms = ?2, at_offset = ?3, channel = ?4, direction = ?5, via = ?6, agent = ?7,
            asked = ?8, reply = ?9, outcome = ?10, duration_secs = ?11, follow_up_date = ?12,
            follow_up_promise = ?13, follow_up_done = ?14
         WHERE id = ?1",
        params![
            id,
            c.at.utc_ms,
            c.at.offset_secs,
            c.channel,
            c.direction,
            c.via,
            c.agent,
            c.asked,
            c.reply,
            c.outcome,
            c.duration_secs,
            c.follow_up.as_ref().map(|f| f.date.to_string()),
            c.follow_up.as_ref().map(|f| f.promise.as_str()).unwrap_or(""),
            c.follow_up.as_ref().is_some_and(|f| f.done),
        ],
    )?;
    conn.execute("DELETE FROM contact_refs WHERE contact_id = ?1", [id])?;
    let mut ins = conn
        .prepare_cached("INSERT INTO contact_refs (contact_id, kind, value) VALUES (?1, ?2, ?3)")?;
    for r in &c.references {
        ins.execute(params![id, r.kind, r.value])?;
    }
    Ok(())
}

fn reindex(conn: &Connection, c: &Contact) -> Result<()> {
    let promise = c
        .follow_up
        .as_ref()
        .map(|f| f.promise.as_str())
        .unwrap_or("");
    // The contact point is searched as words; fragments are for references.
    let ids: Vec<&str> = c.references.iter().map(|r| r.value.as_str()).collect();
    index::put(
        conn,
        &Doc {
            kind: DocKind::Contact,
            entity_id: c.id,
            case_id: c.case_id,
            at: c.at,
            channel: Some(c.channel),
            text: vec![&c.agent, &c.asked, &c.reply, &c.outcome, promise, &c.via],
            ids,
        },
    )
}

/// Inserts a contact inside an open transaction.
pub(crate) fn insert(conn: &Connection, case_id: i64, input: ContactInput) -> Result<Contact> {
    let input = input.validate()?;
    ensure_exists(conn, case_id)?;
    let now = At::now();
    conn.prepare_cached(
        "INSERT INTO contacts (case_id, at_ms, at_offset, channel, direction, created_ms, created_offset)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![case_id, input.at.utc_ms, input.at.offset_secs, input.channel, input.direction, now.utc_ms, now.offset_secs])?;
    let id = conn.last_insert_rowid();
    write_fields(conn, id, &input)?;
    let contact = get(conn, id)?;
    reindex(conn, &contact)?;
    Ok(contact)
}

fn apply(c: &Contact, p: ContactPatch) -> ContactInput {
    let follow_up = match (p.follow_up_date, &c.follow_up) {
        (Some(None), _) => None,
        (Some(Some(date)), old) => Some(FollowUp {
            date,
            promise: p
                .follow_up_promise
                .clone()
                .or(old.as_ref().map(|f| f.promise.clone()))
                .unwrap_or_default(),
            done: p
                .follow_up_done
                .or(old.as_ref().map(|f| f.done))
                .unwrap_or(false),
        }),
        (None, Some(old)) => Some(FollowUp {
            date: old.date,
            promise: p
                .follow_up_promise
                .clone()
                .unwrap_or_else(|| old.promise.clone()),
            done: p.follow_up_done.unwrap_or(old.done),
        }),
        (None, None) => None,
    };
    ContactInput {
        at: p.at.unwrap_or(c.at),
        channel: p.channel.unwrap_or(c.channel),
        direction: p.direction.unwrap_or(c.direction),
        via: p.via.unwrap_or_else(|| c.via.clone()),
        agent: p.agent.unwrap_or_else(|| c.agent.clone()),
        asked: p.asked.unwrap_or_else(|| c.asked.clone()),
        reply: p.reply.unwrap_or_else(|| c.reply.clone()),
        outcome: p.outcome.unwrap_or_else(|| c.outcome.clone()),
        duration_secs: p.duration_secs.unwrap_or(c.duration_secs),
        follow_up,
        references: p.references.unwrap_or_else(|| c.references.clone()),
    }
}

fn as_input(c: &Contact) -> ContactInput {
    apply(c, ContactPatch::default())
}

impl Journal {
    /// Logs one interaction with support.
    pub fn add_contact(&mut self, case_id: i64, input: ContactInput) -> Result<Contact> {
        self.write(|tx| insert(tx, case_id, input))
    }

    /// Adds many contacts (each to its case) in one transaction: all or
    /// none (the synthetic journal of `casebook bench`, a bulk load).
    pub fn add_contacts(
        &mut self,
        entries: impl IntoIterator<Item = (i64, ContactInput)>,
    ) -> Result<usize> {
        self.write(|tx| {
            let mut n = 0;
            for (case_id, input) in entries {
                insert(tx, case_id, input)?;
                n += 1;
            }
            Ok(n)
        })
    }

    pub fn contact(&self, id: i64) -> Result<Contact> {
        get(self.read(), id)
    }

    /// Changes a contact. The version before the change is kept and shown by
    /// [`Journal::contact_history`]. A patch that changes nothing stores nothing.
    pub fn edit_contact(&mut self, id: i64, patch: ContactPatch) -> Result<Contact> {
        if patch.follow_up_promise.is_some() || patch.follow_up_done.is_some() {
            let has_date = patch.follow_up_date.as_ref().is_some_and(Option::is_some);
            let current = self.contact(id)?;
            if !has_date && current.follow_up.is_none() {
                return Err(Error::invalid(Problem::FollowUpNeedsDate {}));
            }
        }
        self.write(|tx| {
            let before = get(tx, id)?;
            if before.deleted_at.is_some() {
                return Err(Error::Conflict(Problem::InTrash {
                    what: "contact".into(),
                    id,
                }));
            }
            let after = apply(&before, patch).validate()?;
            if after == as_input(&before) {
                return Ok(before);
            }
            revisions::record(tx, ENTITY, id, Action::Edit, &before)?;
            write_fields(tx, id, &after)?;
            let contact = get(tx, id)?;
            reindex(tx, &contact)?;
            Ok(contact)
        })
    }

    /// Moves a contact to the trash (it stays in the journal and can be restored).
    pub fn delete_contact(&mut self, id: i64) -> Result<Contact> {
        self.trash(id)
    }

    /// Takes a contact back out of the trash.
    pub fn restore_contact(&mut self, id: i64) -> Result<Contact> {
        self.untrash(id)
    }

    /// Every earlier version of a contact, oldest first, and the current one.
    pub fn contact_history(&self, id: i64) -> Result<History> {
        self.history_of::<Contact>(id)
    }

    /// Contacts in the trash, most recently deleted first.
    pub fn trashed_contacts(&self) -> Result<Vec<Contact>> {
        let conn = self.read();
        let sql = format!(
            "SELECT {COLUMNS} FROM contacts c WHERE c.deleted_ms IS NOT NULL ORDER BY c.deleted_ms DESC"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| from_row(conn, r))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The references found in a contact and the text of its files, not added
/// to it yet.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OfferedReferences {
    pub contact_id: i64,
    pub found: Vec<FoundReference>,
}

/// What a contact offers: the reference numbers in what was asked, the
/// reply, the outcome and the promise, and in the text of its files (an
/// e-mail, a screenshot's text), that it does not hold yet.
pub(crate) fn offered_for(
    conn: &rusqlite::Connection,
    c: &Contact,
    attachments: &[crate::evidence::Attachment],
) -> crate::Result<Vec<FoundReference>> {
    let mut text = format!("{}\n{}\n{}\n", c.asked, c.reply, c.outcome);
    if let Some(f) = &c.follow_up {
        text.push_str(&f.promise);
        text.push('\n');
    }
    for a in attachments.iter().filter(|a| a.contact_id == Some(c.id)) {
        text.push_str(&crate::evidence::text_of(conn, a.id)?);
        text.push('\n');
    }
    Ok(new_in(&text, &c.references))
}

impl Journal {
    /// The reference numbers found in a contact's texts and files that it
    /// does not hold yet: offered for the user to add with a click.
    pub fn suggested_references(&self, contact_id: i64) -> crate::Result<Vec<FoundReference>> {
        let c = self.contact(contact_id)?;
        offered_for(self.read(), &c, &self.attachments(c.case_id)?)
    }

    /// Adds one reference number to a contact (the user's click on an
    /// offered one). The earlier version is kept, as for every edit; a
    /// value the contact already holds is not added twice.
    pub fn add_reference(
        &mut self,
        contact_id: i64,
        reference: Reference,
    ) -> crate::Result<Contact> {
        let c = self.contact(contact_id)?;
        if c.references
            .iter()
            .any(|r| r.value.trim().eq_ignore_ascii_case(reference.value.trim()))
        {
            return Ok(c);
        }
        let mut references = c.references.clone();
        references.push(reference);
        self.edit_contact(
            contact_id,
            ContactPatch {
                references: Some(references),
                ..Default::default()
            },
        )
    }
}

impl FoundReference {
    /// The reference as a contact keeps it.
    pub fn reference(&self) -> Reference {
        Reference {
            kind: self.kind,
            value: self.value.clone(),
        }
    }
}

/// The references found in `text` that `known` does not hold yet (compared
/// by value, ignoring case).
pub fn new_in(text: &str, known: &[Reference]) -> Vec<FoundReference> {
    crate::references::find(text)
        .into_iter()
        .filter(|f| {
            !known
                .iter()
                .any(|k| k.value.trim().eq_ignore_ascii_case(&f.value))
        })
        .collect()
}

#[cfg(test)]
mod offered_tests {
    use super::*;

    #[test]
    fn known_references_are_not_offered_again() {
        let known = [Reference {
            kind: RefKind::Ticket,
            value: "tk-1234".into(),
        }];
        assert_eq!(
            new_in("ticket TK-1234 and ticket TK-5678", &known)
                .iter()
                .map(|f| f.value.as_str())
                .collect::<Vec<_>>(),
            ["TK-5678"]
        );
    }
}
