//! A stream of real writes for the crash-safety harness (`tests/cli/crash.rs`):
//! contacts, edits, notes, attachments and statement imports into one case,
//! each announced on `saved` only after it is committed. The harness kills
//! the process at random points and checks that everything announced is
//! there and nothing is half-written.

use sha2::{Digest, Sha256};

use casebook::contacts::{ContactInput, ContactPatch, Reference};
use casebook::db::Journal;
use casebook::error::Result;
use casebook::evidence::AttachTo;
use casebook::import::{ColumnMapping, Format, ImportOptions, Selection};
use casebook::model::{Channel, RefKind};
use casebook::time::At;

/// One committed write, as the harness reads it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    /// `contact <id> <seq>`: a contact whose reply carries `<tag>-<seq>`.
    Contact { id: i64, seq: u64 },
    /// `edit <id> <seq>`: the contact's reply now carries `edited <tag>-<seq>`.
    Edit { id: i64, seq: u64 },
    /// `note <id>`.
    Note { id: i64 },
    /// `file <id> <sha256>`.
    File { id: i64, sha256: String },
    /// `import <seq> <rows>`: transactions with IDs `<tag>-<seq>-<k>`.
    Import { seq: u64, rows: usize },
}

impl std::fmt::Display for Saved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Saved::Contact { id, seq } => write!(f, "contact {id} {seq}"),
            Saved::Edit { id, seq } => write!(f, "edit {id} {seq}"),
            Saved::Note { id } => write!(f, "note {id}"),
            Saved::File { id, sha256 } => write!(f, "file {id} {sha256}"),
            Saved::Import { seq, rows } => write!(f, "import {seq} {rows}"),
        }
    }
}

impl std::str::FromStr for Saved {
    type Err = String;
    fn from_str(line: &str) -> std::result::Result<Saved, String> {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let num = |i: usize| -> std::result::Result<i64, String> {
            parts
                .get(i)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| format!("bad line: {line}"))
        };
        Ok(match parts.first().copied() {
            Some("contact") => Saved::Contact {
                id: num(1)?,
                seq: num(2)? as u64,
            },
            Some("edit") => Saved::Edit {
                id: num(1)?,
                seq: num(2)? as u64,
            },
            Some("note") => Saved::Note { id: num(1)? },
            Some("file") => Saved::File {
                id: num(1)?,
                sha256: parts.get(2).ok_or("bad file line")?.to_string(),
            },
            Some("import") => Saved::Import {
                seq: num(1)? as u64,
                rows: num(2)? as usize,
            },
            _ => return Err(format!("bad line: {line}")),
        })
    }
}

/// A small deterministic generator (xorshift), so a failing run can be replayed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// The rows a streamed import writes.
pub const IMPORT_ROWS: usize = 20;

fn statement(tag: &str, seq: u64) -> String {
    let mut csv = String::from("Date,Amount,Currency,ID,Payee\n");
    for k in 0..IMPORT_ROWS {
        csv.push_str(&format!(
            "2026-11-{:02} 10:{:02}:00,-{}.{:02},CNY,{tag}-{seq}-{k},商户 {k}\n",
            1 + k % 28,
            k % 60,
            10 + k,
            k
        ));
    }
    csv
}

/// Writes `ops` operations into case `case_id` (or until killed), calling
/// `saved` after each commit. `tag` marks this writer's entries.
pub fn write_stream(
    j: &mut Journal,
    case_id: i64,
    tag: &str,
    seed: u64,
    ops: u64,
    mut saved: impl FnMut(&Saved),
) -> Result<()> {
    let mut rng = Rng::new(seed);
    let mut last_contact: Option<i64> = None;
    for seq in 0..ops {
        let op = rng.below(10);
        let done = match op {
            0..=2 => {
                let mut c = ContactInput::new(Channel::Chat, At::now());
                c.reply = format!("{tag}-{seq} 您好，退款已提交，请耐心等待。");
                c.asked = "退款什么时候到账？".into();
                c.references = vec![Reference {
                    kind: RefKind::Ticket,
                    value: format!("T{tag}-{seq}"),
                }];
                let c = j.add_contact(case_id, c)?;
                last_contact = Some(c.id);
                Saved::Contact { id: c.id, seq }
            }
            3 | 4 if last_contact.is_some() => {
                let id = last_contact.unwrap_or_default();
                let patch = ContactPatch {
                    reply: Some(format!("edited {tag}-{seq} 已改为人工处理")),
                    ..ContactPatch::default()
                };
                j.edit_contact(id, patch)?;
                Saved::Edit { id, seq }
            }
            5 | 6 => {
                let n = j.add_note(
                    case_id,
                    At::now(),
                    &format!("{tag}-{seq} 日记：又打了一次电话"),
                )?;
                Saved::Note { id: n.id }
            }
            7 | 8 => {
                // 4 KiB to 256 KiB of bytes unique to this write (with up
                // to 1 MiB, 200 kills left 300 MB on a disk CI shares).
                let size = 4 * 1024 + rng.below(256 * 1024) as usize;
                let mut bytes = vec![0u8; size];
                let mut r = Rng::new(seed ^ seq.wrapping_mul(31));
                for chunk in bytes.chunks_mut(8) {
                    let v = r.next_u64().to_le_bytes();
                    chunk.copy_from_slice(&v[..chunk.len()]);
                }
                let sha256 = hex::encode(Sha256::digest(&bytes));
                let a = j.attach_reader(
                    AttachTo::case(case_id),
                    &format!("截图-{tag}-{seq}.bin"),
                    &mut &bytes[..],
                )?;
                Saved::File { id: a.id, sha256 }
            }
            _ => {
                let csv = statement(tag, seq);
                let opts = ImportOptions {
                    format: Some(Format::Csv),
                    mapping: Some(ColumnMapping {
                        date: "Date".into(),
                        time: None,
                        amount: "Amount".into(),
                        currency: Some("Currency".into()),
                        fixed_currency: None,
                        id: Some("ID".into()),
                        counterparty: Some("Payee".into()),
                        status: None,
                        note: None,
                        direction: None,
                        day_first: false,
                        utc: false,
                    }),
                    offset_secs: Some(8 * 3600),
                    ..ImportOptions::default()
                };
                let r = j.import_statement(
                    case_id,
                    &format!("statement-{tag}-{seq}.csv"),
                    csv.as_bytes(),
                    &opts,
                    &Selection::All,
                )?;
                Saved::Import {
                    seq,
                    rows: r.imported.len(),
                }
            }
        };
        saved(&done);
    }
    Ok(())
}
