//! An e-mail from support (`.eml`) read as a contact: channel e-mail, the
//! time of its `Date:` header with its offset, the sender as the contact
//! point, the subject and the plain-text body (HTML turned into text, the
//! quoted history folded away) as the reply, and the reference numbers
//! found in it offered to the user (issue 17). The parsing (RFC 2047
//! headers, quoted-printable and base64, GBK, GB18030 and Big5 bodies) is
//! `mail-parser`'s.
//!
//! The `.eml` itself is kept as evidence linked to the contact, so the
//! folded history and every header stay at hand.

use std::io::Cursor;

use crate::contacts::{Contact, ContactInput, Reference};
use crate::db::Journal;
use crate::error::{Error, Problem, Result};
use crate::evidence::{self, AttachTo, Attachment};
use crate::model::{Channel, Direction};
use crate::time::At;

pub mod parse;

pub use parse::{EmailContact, read};

impl EmailContact {
    /// The contact it proposes: an incoming e-mail. Without a date it is
    /// logged at `fallback`.
    pub fn to_input(&self, fallback: At, references: Vec<Reference>) -> ContactInput {
        let mut c = ContactInput::new(Channel::Email, self.at.unwrap_or(fallback));
        c.direction = Direction::In;
        c.via = self.from_address.clone();
        c.agent = self.from_name.clone();
        c.reply = self.reply.clone();
        c.references = references;
        c
    }
}

impl Journal {
    /// What an attached e-mail proposes as a contact.
    pub fn email_of_attachment(&self, attachment_id: i64) -> Result<EmailContact> {
        let (a, bytes) = self.attachment_bytes(attachment_id)?;
        if a.media_type != "message/rfc822" {
            return Err(Error::invalid(Problem::NotAnEmail {}));
        }
        read(&bytes)
    }

    /// Logs the contact an attached e-mail proposed, as the user checked
    /// it, and links the e-mail to it as its evidence (when the file is
    /// not already linked to another entry), in one transaction.
    pub fn log_email_attachment(
        &mut self,
        attachment_id: i64,
        input: ContactInput,
    ) -> Result<Contact> {
        let a = self.attachment(attachment_id)?;
        if a.deleted_at.is_some() {
            return Err(Error::invalid(Problem::InTrash {
                what: "attachment".into(),
                id: attachment_id,
            }));
        }
        self.write(|tx| {
            let contact = crate::contacts::insert(tx, a.case_id, input)?;
            tx.execute(
                "UPDATE attachments SET contact_id = ?1
                  WHERE id = ?2 AND contact_id IS NULL AND transaction_id IS NULL",
                rusqlite::params![contact.id, a.id],
            )?;
            Ok(contact)
        })
    }

    /// Logs an e-mail from support as an incoming contact of `case_id` with
    /// the references the user chose, and keeps the `.eml` itself as
    /// evidence linked to that contact, in one transaction.
    pub fn add_contact_from_email(
        &mut self,
        case_id: i64,
        name: &str,
        bytes: &[u8],
        references: Vec<Reference>,
    ) -> Result<(Contact, Attachment)> {
        let email = read(bytes)?;
        let input = email.to_input(At::now(), references);
        crate::cases::ensure_exists(self.read(), case_id)?;
        let stored = self.evidence.put(name, &mut Cursor::new(bytes))?;
        let text = parse::search_text(bytes);
        self.write(|tx| {
            let contact = crate::contacts::insert(tx, case_id, input)?;
            let to = AttachTo {
                case_id,
                contact_id: Some(contact.id),
                transaction_id: None,
            };
            let attachment = evidence::insert(tx, &to, name, &stored, text)?;
            Ok((contact, attachment))
        })
    }
}
