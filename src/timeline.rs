//! A case with everything that happened in it, oldest first.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::cases::{self, Case};
use crate::contacts::{self, Contact, Reference};
use crate::db::Journal;
use crate::error::Result;
use crate::evidence::{self, Attachment};
use crate::model::Status;
use crate::notes::{self, Note};
use crate::time::At;
use crate::transactions::{self, Transaction};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StatusChange {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub at: At,
    pub from: Option<Status>,
    pub to: Status,
}

/// One entry of a case's timeline.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineEntry {
    Contact(Contact),
    Note(Note),
    Transaction(Transaction),
    StatusChange(StatusChange),
    /// A file attached to the case itself (files of a contact or transaction
    /// are listed with that entry).
    Attachment(Attachment),
}

impl TimelineEntry {
    pub fn at(&self) -> At {
        match self {
            TimelineEntry::Contact(c) => c.at,
            TimelineEntry::Note(n) => n.at,
            TimelineEntry::Transaction(t) => t.at,
            TimelineEntry::StatusChange(s) => s.at,
            TimelineEntry::Attachment(a) => a.added_at,
        }
    }

    fn order(&self) -> u8 {
        match self {
            TimelineEntry::StatusChange(_) => 0,
            TimelineEntry::Transaction(_) => 1,
            TimelineEntry::Contact(_) => 2,
            TimelineEntry::Note(_) => 3,
            TimelineEntry::Attachment(_) => 4,
        }
    }
}

/// A reference number with the contact it was given in.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CaseReference {
    #[serde(flatten)]
    pub reference: Reference,
    pub contact_id: i64,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub at: At,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CaseDetail {
    pub case: Case,
    pub timeline: Vec<TimelineEntry>,
    /// Every reference number of the case, in the order they were given.
    pub references: Vec<CaseReference>,
    /// Reference numbers found in contacts and their files, not added yet.
    pub offered_references: Vec<contacts::OfferedReferences>,
    /// The text read from the case's images, and where reading stands.
    pub image_texts: Vec<crate::ocr::ImageText>,
    /// Every file of the case, in the order they were added.
    pub attachments: Vec<Attachment>,
    /// Scam-shield red flags in what support said in this case.
    pub flags: Vec<crate::scan::EntryFlag>,
    /// Where the case would escalate and from when, if it names a route.
    pub escalation: Option<crate::escalation::Escalation>,
    /// Contacts of this case the user reported as scams.
    pub scam_reports: Vec<i64>,
}

impl Journal {
    /// The case and its timeline: contacts, notes, transactions and status
    /// changes, oldest first. Entries in the trash are left out.
    pub fn case_detail(&self, id: i64) -> Result<CaseDetail> {
        let conn = self.read();
        let case = cases::get(conn, id)?;
        let contacts = contacts::of_case(conn, id)?;
        let attachments = evidence::of_case(conn, id)?;
        let mut offered_references = Vec::new();
        for c in &contacts {
            let found = contacts::offered_for(conn, c, &attachments)?;
            if !found.is_empty() {
                offered_references.push(contacts::OfferedReferences {
                    contact_id: c.id,
                    found,
                });
            }
        }
        let references = contacts
            .iter()
            .flat_map(|c| {
                c.references.iter().map(|r| CaseReference {
                    reference: r.clone(),
                    contact_id: c.id,
                    at: c.at,
                })
            })
            .collect();
        let mut timeline: Vec<TimelineEntry> =
            contacts.into_iter().map(TimelineEntry::Contact).collect();
        timeline.extend(
            notes::of_case(conn, id)?
                .into_iter()
                .map(TimelineEntry::Note),
        );
        timeline.extend(
            transactions::of_case(conn, id)?
                .into_iter()
                .map(TimelineEntry::Transaction),
        );
        timeline.extend(
            attachments
                .iter()
                .filter(|a| a.contact_id.is_none() && a.transaction_id.is_none())
                .cloned()
                .map(TimelineEntry::Attachment),
        );
        let mut stmt = conn.prepare(
            "SELECT at_ms, at_offset, from_status, to_status FROM case_status_changes WHERE case_id = ?1 ORDER BY id",
        )?;
        let changes = stmt.query_map(params![id], |r| {
            Ok(StatusChange {
                at: At::from_parts(r.get(0)?, r.get(1)?),
                from: r.get(2)?,
                to: r.get(3)?,
            })
        })?;
        for c in changes {
            timeline.push(TimelineEntry::StatusChange(c?));
        }
        timeline.sort_by_key(|e| (e.at().utc_ms, e.order()));
        Ok(CaseDetail {
            case,
            timeline,
            references,
            offered_references,
            image_texts: crate::ocr::image_texts(conn, id)?,
            attachments,
            flags: self.scan(Some(id))?.flags,
            escalation: self.escalation(id)?,
            scam_reports: {
                let mut stmt = conn.prepare(
                    "SELECT s.contact_id FROM scam_reports s JOIN contacts k ON k.id = s.contact_id
                      WHERE k.case_id = ?1 ORDER BY s.contact_id",
                )?;
                stmt.query_map([id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            },
        })
    }
}
